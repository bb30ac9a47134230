"""Who hears about what happens to a case: the unit's routers or one person, told through the
notifications app (inbox and SMS, after commit)."""

from __future__ import annotations

from gridgov.accounts.models import RoleAssignment
from gridgov.cases.models import Case
from gridgov.cases.notices import CASE
from gridgov.core.access import Perm, roles_granting
from gridgov.notifications.catalogue import Notice
from gridgov.notifications.services import notify


def unit_routers(handling_code: str) -> list[int]:
    """Users who route cases at a handling unit (its secretary or officials)."""
    return list(
        RoleAssignment.objects.filter(
            region_code=handling_code, is_active=True, role__in=roles_granting(Perm.CASES_ROUTE)
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def _notify(case: Case, notice: Notice, recipient_ids: list[int]) -> None:
    notify(
        recipient_ids=recipient_ids,
        key=notice.key,
        params={"number": case.number, "title": case.title},
        object_type=CASE,
        object_id=case.number,
    )


def notify_unit_on_commit(case: Case, *, notice: Notice, except_user_id: int | None = None) -> None:
    """Tell the unit's routers; not `except_user_id` (who resolved a case does not verify it)."""
    routers = unit_routers(case.handling_code)
    _notify(case, notice, [user_id for user_id in routers if user_id != except_user_id])


def notify_user_on_commit(case: Case, *, notice: Notice, user_id: int) -> None:
    _notify(case, notice, [user_id])
