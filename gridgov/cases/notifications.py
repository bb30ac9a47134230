"""Who hears about what: the staff inbox and SMS, scheduled after commit as background jobs."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gridgov.accounts.models import RoleAssignment
from gridgov.accounts.roles import Perm, roles_granting
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


def unit_routers(handling_code: str) -> list[int]:
    """Users who route cases at a handling unit (its secretary or officials)."""
    return list(
        RoleAssignment.objects.filter(
            region_code=handling_code, is_active=True, role__in=roles_granting(Perm.CASES_ROUTE)
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


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
    from gridgov.accounts.models import User

    for user in User.objects.filter(pk__in=recipient_ids):
        if user.phone:
            send_sms(to=user.phone.reveal(), body=message)
    return len(set(recipient_ids))


def _schedule(case_id: int, kind: str, recipient_ids: list[int]) -> None:
    from gridgov.cases.tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification(case_id, kind, recipient_ids))


def notify_unit_on_commit(case: Case, *, kind: str) -> None:
    _schedule(case.pk, kind, unit_routers(case.handling_code))


def notify_user_on_commit(case: Case, *, kind: str, user_id: int) -> None:
    _schedule(case.pk, kind, [user_id])
