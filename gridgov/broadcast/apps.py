from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.menu import MenuEntry, register_menu


class BroadcastConfig(AppConfig):
    name = "gridgov.broadcast"
    label = "broadcast"
    verbose_name = _("Emergency broadcast")

    def ready(self) -> None:
        register_menu(
            MenuEntry(
                "broadcasts", _("Emergency broadcast"), "broadcast:list", Perm.BROADCAST_VIEW, 300
            ),
        )
