from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.menu import MenuEntry, register_menu


class MediationConfig(AppConfig):
    name = "gridgov.mediation"
    label = "mediation"
    verbose_name = _("Mediation")

    def ready(self) -> None:
        register_menu(
            MenuEntry("mediation", _("My mediation"), "mediation:home", Perm.MEDIATION_VIEW, 133),
            MenuEntry(
                "mediation_register",
                _("Register a dispute"),
                "mediation:register",
                Perm.MEDIATION_WORK,
                135,
            ),
            MenuEntry("risks", _("Risk register"), "mediation:risks", Perm.MEDIATION_VIEW, 137),
            MenuEntry(
                "mediation_analysis",
                _("Analysis and judgment"),
                "mediation:analysis",
                Perm.MEDIATION_VIEW,
                138,
            ),
        )
