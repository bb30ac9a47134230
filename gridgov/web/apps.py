from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.menu import MenuEntry, register_menu


class WebConfig(AppConfig):
    name = "gridgov.web"
    label = "web"
    verbose_name = _("Web pages")

    def ready(self) -> None:
        register_menu(MenuEntry("regions", _("Regions"), "web:regions", Perm.REGIONS_VIEW, 500))
