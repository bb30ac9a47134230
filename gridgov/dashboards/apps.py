from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.menu import MenuEntry, register_menu


class DashboardsConfig(AppConfig):
    name = "gridgov.dashboards"
    label = "dashboards"
    verbose_name = _("Command centre")

    def ready(self) -> None:
        register_menu(
            MenuEntry(
                "command_centre",
                _("Command centre"),
                "dashboards:overview",
                Perm.DASHBOARD_VIEW,
                90,
            ),
        )
