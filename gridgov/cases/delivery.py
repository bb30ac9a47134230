"""Delivering a case notification: the inbox rows and the SMS (run as a background job)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from huey.contrib.djhuey import db_task

from gridgov.accounts.models import User
from gridgov.cases.models import Case, Notification
from gridgov.core.sms import send_sms

# Marked for extraction here, translated when delivered.
MESSAGES = {
    Notification.Kind.NEW_CASE: gettext_noop("New case %(number)s to accept: %(title)s"),
    Notification.Kind.ASSIGNED: gettext_noop("Case %(number)s was dispatched to you: %(title)s"),
    Notification.Kind.DEADLINE_WARNING: gettext_noop("Case %(number)s is due soon: %(title)s"),
    Notification.Kind.ESCALATED: gettext_noop(
        "Case %(number)s was escalated to your level: %(title)s"
    ),
    Notification.Kind.RETURNED: gettext_noop("Case %(number)s was returned for rework: %(title)s"),
}


def deliver(case_id: int, kind: str, recipient_ids: list[int]) -> int:
    """Write the inbox rows and send the SMS; returns how many recipients were notified."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None or not recipient_ids:
        return 0
    message = _(MESSAGES[Notification.Kind(kind)]) % {"number": case.number, "title": case.title}
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=user_id, case=case, kind=kind, message=message[:200])
            for user_id in sorted(set(recipient_ids))
        ]
    )
    for user in User.objects.filter(pk__in=recipient_ids):
        if user.phone:
            send_sms(to=user.phone.reveal(), body=message)
    return len(set(recipient_ids))


@db_task()
def deliver_notification(case_id: int, kind: str, recipient_ids: list[int]) -> int:
    """The background job: defined here, not in `tasks`, because the services schedule it and
    `tasks` imports the services (the sweep)."""
    return deliver(case_id, kind, recipient_ids)
