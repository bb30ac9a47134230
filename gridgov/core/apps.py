from django.apps import AppConfig
from django.db.models import CharField, TextField
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.lookups import Prefix
from gridgov.core.menu import MenuEntry, register_menu


class CoreConfig(AppConfig):
    name = "gridgov.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        CharField.register_lookup(Prefix)
        TextField.register_lookup(Prefix)
        register_menu(MenuEntry("audit", _("Audit log"), "audit:list", Perm.AUDIT_VIEW, 920))
