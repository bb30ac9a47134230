from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gridgov.cases.notices import CASE, CASE_LIST, LIST_ESCALATED, LIST_MY_TASKS, LIST_QUEUE
from gridgov.core.access import Perm
from gridgov.core.menu import MenuEntry, register_menu
from gridgov.notifications.links import register_link


def case_link(number: str) -> str:
    return reverse("cases:detail", args=[number])


def case_list_link(list_id: str) -> str:
    """The page of a list a digest notice names: escalated cases, my tasks, a unit's queue."""
    if list_id == LIST_ESCALATED:
        return reverse("cases:overdue") + "?show=escalated"
    if list_id == LIST_MY_TASKS:
        return reverse("cases:my-tasks")
    if list_id.startswith(LIST_QUEUE):
        return reverse("cases:queue") + "?unit=" + list_id.removeprefix(LIST_QUEUE)
    return ""


class CasesConfig(AppConfig):
    name = "gridgov.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        register_menu(
            MenuEntry("my_tasks", _("My tasks"), "cases:my-tasks", Perm.CASES_HANDLE, 100),
            MenuEntry("cases_report", _("Report a case"), "cases:report", Perm.CASES_REPORT, 110),
            MenuEntry("queue", _("Work queue"), "cases:queue", Perm.CASES_ROUTE, 120),
            MenuEntry("all_cases", _("All cases"), "cases:all", Perm.CASES_VIEW, 125),
            MenuEntry("overdue", _("Overdue"), "cases:overdue", Perm.CASES_VIEW, 130),
        )
        register_link(CASE, case_link)
        register_link(CASE_LIST, case_list_link)
