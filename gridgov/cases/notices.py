"""What the case services tell people, declared once (see `notifications.catalogue`): the inbox
and SMS render these in the reader's language from the stored key and parameters."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.notifications.catalogue import notice

# What a notice is about, for its link (`cases.apps` resolves these to pages): a case by its
# number, or a list of cases a digest sums up.
CASE = "case"
CASE_LIST = "case_list"
LIST_ESCALATED = "escalated"
LIST_MY_TASKS = "my_tasks"
LIST_QUEUE = "queue:"

NEW_CASE = notice(
    "case.new_case", _("New case to accept"), _("New case %(number)s to accept: %(title)s")
)
ASSIGNED = notice(
    "case.assigned",
    _("New assignment"),
    _("Case %(number)s was dispatched to you: %(title)s"),
)
RETURNED = notice(
    "case.returned",
    _("Returned for rework"),
    _("Case %(number)s was returned for rework: %(title)s"),
)
ESCALATED = notice(
    "case.escalated",
    _("Escalated"),
    _("Case %(number)s was escalated to your level: %(title)s"),
)
TO_VERIFY = notice(
    "case.to_verify",
    _("To verify"),
    _("Case %(number)s was resolved and waits for you to verify it: %(title)s"),
)
REOPENED = notice(
    "case.reopened",
    _("Reopened by the resident"),
    _("The resident reopened case %(number)s: it is not solved. %(title)s"),
)
DEADLINE_WARNING = notice(
    "case.deadline_warning", _("Deadline approaching"), _("Case %(number)s is due soon: %(title)s")
)

# Digests of the periodic sweep: one notice per recipient and unit, however many cases.
ESCALATED_DIGEST = notice(
    "case.escalated_digest",
    _("Escalated"),
    _("Overdue cases escalated to your level, %(unit)s: %(count)d"),
)
DEADLINE_DIGEST = notice(
    "case.deadline_digest",
    _("Deadline approaching"),
    _("Cases of %(unit)s due within %(hours)d hours: %(count)d"),
)
MY_DEADLINE_DIGEST = notice(
    "case.my_deadline_digest",
    _("Deadline approaching"),
    _("Your cases due within %(hours)d hours: %(count)d"),
)
