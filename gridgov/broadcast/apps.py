from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gridgov.broadcast.notices import TERMINAL_LIST
from gridgov.core.access import Perm
from gridgov.core.audit_labels import register_audit_actions
from gridgov.core.menu import MenuEntry, register_menu
from gridgov.notifications.links import register_link


def terminal_list_link(region_code: str) -> str:
    """Where a notice about a place's offline terminals leads."""
    return f"{reverse('broadcast:terminals')}?status=offline&region={region_code}"


class BroadcastConfig(AppConfig):
    name = "gridgov.broadcast"
    label = "broadcast"
    verbose_name = _("Emergency broadcast")

    def ready(self) -> None:
        register_menu(
            MenuEntry(
                "broadcasts", _("Emergency broadcast"), "broadcast:list", Perm.BROADCAST_VIEW, 300
            ),
            MenuEntry(
                "terminals",
                _("Broadcast terminals"),
                "broadcast:terminals",
                Perm.TERMINALS_VIEW,
                310,
            ),
        )
        register_link(TERMINAL_LIST, terminal_list_link)
        register_audit_actions(
            {
                "broadcast.": _("Emergency broadcast"),
                "broadcast.compose": _("Composed a broadcast message"),
                "broadcast.edit": _("Edited a broadcast message"),
                "broadcast.submit": _("Submitted a broadcast message for approval"),
                "broadcast.approve": _("Approved a broadcast message"),
                "broadcast.reject": _("Rejected a broadcast message"),
                "broadcast.dispatch": _("Sent a broadcast message"),
                "broadcast.complete": _("Completed a broadcast message"),
                "broadcast.cancel": _("Cancelled a broadcast message"),
                "terminal.": _("Broadcast terminals"),
                "terminal.import": _("Imported terminals"),
            }
        )
