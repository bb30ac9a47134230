"""Server-rendered staff pages for cases (phone first): report, tasks, queues, the case page,
overdue cases."""

from gridgov.cases.views.all_cases import all_cases, all_cases_by_phone, all_cases_export
from gridgov.cases.views.detail import detail, merge, photo, reveal_contact, transition
from gridgov.cases.views.overdue import overdue
from gridgov.cases.views.queue import bulk_accept, bulk_dispatch, queue
from gridgov.cases.views.report_lookups import report_caller, report_places
from gridgov.cases.views.worker import report, tasks

__all__ = [
    "all_cases",
    "all_cases_by_phone",
    "all_cases_export",
    "bulk_accept",
    "bulk_dispatch",
    "detail",
    "merge",
    "overdue",
    "photo",
    "queue",
    "report",
    "report_caller",
    "report_places",
    "reveal_contact",
    "tasks",
    "transition",
]
