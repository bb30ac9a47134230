from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.menu import MenuEntry, register_menu


class NotificationsConfig(AppConfig):
    name = "gridgov.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        register_menu(
            MenuEntry(
                "inbox",
                _("Inbox"),
                "notifications:inbox",
                Perm.CASES_VIEW,
                140,
                badge="inbox_unread_count",
            ),
        )
