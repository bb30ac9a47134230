from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.menu import MenuEntry, register_menu


class CasesConfig(AppConfig):
    name = "gridgov.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        register_menu(
            MenuEntry("my_tasks", _("My tasks"), "cases:my-tasks", Perm.CASES_HANDLE, 100),
            MenuEntry("cases_report", _("Report a case"), "cases:report", Perm.CASES_REPORT, 110),
            MenuEntry("queue", _("Work queue"), "cases:queue", Perm.CASES_ROUTE, 120),
            MenuEntry("overdue", _("Overdue"), "cases:overdue", Perm.CASES_VIEW, 130),
            MenuEntry(
                "inbox",
                _("Inbox"),
                "cases:inbox",
                Perm.CASES_VIEW,
                140,
                badge="inbox_unread_count",
            ),
        )
