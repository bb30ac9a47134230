"""Why the notification services refuse (see `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.core.errors import error_code

NOTIFICATION_NOT_FOUND = error_code(
    "notification.not_found", _("There is no such notification here.")
)
