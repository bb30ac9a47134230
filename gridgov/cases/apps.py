from typing import Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gridgov.cases.notices import CASE, CASE_LIST, LIST_ESCALATED, LIST_MY_TASKS, LIST_QUEUE
from gridgov.core.access import Perm
from gridgov.core.audit_labels import register_audit_actions, register_audit_detail_keys
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


def case_audit_actions(action_verbs: dict[str, Any]) -> dict[str, Any]:
    labels: dict[str, Any] = {
        "case.": _("Cases"),
        "case.report": _("Reported a case"),
        "case.view": _("Read a case"),
        "case.export": _("Exported a list of cases"),
        "case.reveal_contact": _("Read a reporter's contact in full"),
        "case.reopen": _("A resident reopened a case"),
        "case.rate": _("A resident rated a case"),
        "public.": _("Residents' channel"),
        "public.report": _("A resident reported a case"),
        "open311.": _("Open311"),
    }
    for action, verb in action_verbs.items():
        labels.setdefault(f"case.{action}", format_lazy(_("Case: {action}"), action=verb))
    return labels


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
        # The models module may not be imported before the apps are loaded.
        from gridgov.cases.models import ACTION_VERBS

        register_audit_actions(case_audit_actions(ACTION_VERBS))
        register_audit_detail_keys({"by_phone": _("searched by phone"), "state": _("state")})
        register_link(CASE, case_link)
        register_link(CASE_LIST, case_list_link)
