"""What the broadcast tells people, declared once (see `notifications.catalogue`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.notifications.catalogue import notice

# A notice about terminals leads to the terminal list of a region (by its code).
TERMINAL_LIST = "broadcast_terminals"

TERMINALS_OFFLINE = notice(
    "broadcast.terminals_offline",
    _("Terminals offline"),
    _("%(count)s broadcast terminals at %(place)s stopped answering: %(names)s"),
)
