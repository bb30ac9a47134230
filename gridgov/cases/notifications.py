"""Who hears about what: the staff inbox and SMS, scheduled after commit as background jobs."""

from __future__ import annotations

from django.db import transaction

from gridgov.accounts.models import RoleAssignment
from gridgov.cases.delivery import deliver_notification
from gridgov.cases.models import Case
from gridgov.core.access import Perm, roles_granting


def unit_routers(handling_code: str) -> list[int]:
    """Users who route cases at a handling unit (its secretary or officials)."""
    return list(
        RoleAssignment.objects.filter(
            region_code=handling_code, is_active=True, role__in=roles_granting(Perm.CASES_ROUTE)
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def _schedule(case_id: int, kind: str, recipient_ids: list[int]) -> None:
    transaction.on_commit(lambda: deliver_notification(case_id, kind, recipient_ids))


def notify_unit_on_commit(case: Case, *, kind: str) -> None:
    _schedule(case.pk, kind, unit_routers(case.handling_code))


def notify_user_on_commit(case: Case, *, kind: str, user_id: int) -> None:
    _schedule(case.pk, kind, [user_id])
