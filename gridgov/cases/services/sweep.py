"""The periodic, set-based SLA sweep: warn before deadlines, escalate overdue cases one level up.

Each step is a handful of statements over all due cases at once (INSERT ... SELECT for the
timeline, one UPDATE for the cases), never a loop over cases. People hear of it by digest: one
notice per recipient and unit with the number of cases, not one per case (a sweep of 500,000
overdue cases once wrote 830,331 inbox rows).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.cases import notices
from gridgov.cases.notices import CASE_LIST, LIST_ESCALATED, LIST_MY_TASKS, LIST_QUEUE
from gridgov.cases.sla import ESCALATED_ACCEPT_HOURS, ESCALATED_ACCEPT_HOURS_URGENT
from gridgov.cases.states import WORKING_STATES
from gridgov.core.access import Perm, roles_granting
from gridgov.notifications.catalogue import Notice
from gridgov.notifications.delivery import Delivery
from gridgov.notifications.services import notify_digest
from gridgov.regions.models import Region

_WORKING = tuple(sorted(s.value for s in WORKING_STATES))
_IN_WORKING = ", ".join(["%s"] * len(_WORKING))
_OVERDUE = f"due_at < %s AND state IN ({_IN_WORKING}) AND level IN ('village', 'town')"
_NEXT_LEVEL = "CASE level WHEN 'village' THEN 'town' ELSE 'county' END"
_NEXT_CODE = "SUBSTR(handling_code, 1, CASE level WHEN 'village' THEN 9 ELSE 6 END)"
_NEXT_STATE = "CASE WHEN state = 'reported' THEN 'reported' ELSE 'accepted' END"


def _at(value: datetime) -> Any:
    # Times as the ORM stores them: on SQLite an aware datetime passed raw would be written with
    # a "+00:00" suffix the ORM's own values lack, and its equality lookups would miss those rows.
    return connection.ops.adapt_datetimefield_value(value)


def _json(placeholder: str = "%s") -> str:
    return f"CAST({placeholder} AS jsonb)" if connection.vendor == "postgresql" else placeholder


def _lock_cases() -> None:
    # SQLite's BEGIN IMMEDIATE already excludes other writers. On PostgreSQL, block writers to
    # cases for the sweep's few statements, so the timeline and the cases see the same rows.
    # EXCLUSIVE (not SHARE ROW EXCLUSIVE) also queues SELECT ... FOR UPDATE, which would
    # otherwise deadlock with a transition holding a case row the sweep wants to update.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE cases_case IN EXCLUSIVE MODE")


def _routers_in(placeholders: list[str]) -> str:
    return ", ".join("%s" for _ in placeholders)


def _notify_units(
    rows: list[tuple[int, str, int]],
    notice: Notice,
    params: dict[str, Any],
    *,
    list_id: Callable[[str], str],
) -> None:
    """One notice per (recipient, unit, number of cases) row, naming the unit."""
    names = dict(
        Region.objects.filter(region_code__in={code for _, code, _ in rows}).values_list(
            "region_code", "name"
        )
    )
    notify_digest(
        Delivery(
            recipient_ids=[user_id],
            key=notice.key,
            params={**params, "unit": names.get(code, code), "count": count},
            object_type=CASE_LIST,
            object_id=list_id(code),
            count=count,
            sms=False,
        )
        for user_id, code, count in rows
    )


def escalate_overdue_cases(now: datetime | None = None) -> int:
    """Move every overdue case still being worked one level up; returns how many moved."""
    now = now or timezone.now()
    at = _at(now)
    due = _at(now + timedelta(hours=ESCALATED_ACCEPT_HOURS))
    due_urgent = _at(now + timedelta(hours=ESCALATED_ACCEPT_HOURS_URGENT))
    routers = roles_granting(Perm.CASES_ROUTE)
    note = _("Overdue: escalated automatically")
    with transaction.atomic(), connection.cursor() as cursor:
        _lock_cases()
        cursor.execute(
            "INSERT INTO cases_caseevent (case_id, created_at, actor_id, action, from_state,"
            " to_state, level_before, level_after, handling_code_after, note, data)"
            f" SELECT id, %s, NULL, 'escalate', state, {_NEXT_STATE}, level, {_NEXT_LEVEL},"
            f" {_NEXT_CODE}, %s, {_json()} FROM cases_case WHERE {_OVERDUE}",
            [at, note, '{"automatic": true}', at, *_WORKING],
        )
        escalated = cursor.rowcount
        if not escalated:
            return 0
        # A case still to be accepted keeps its accept deadline equal to its due time (as
        # sla.set_deadlines does), so pages and the API show the level above's deadline.
        cursor.execute(
            f"UPDATE cases_case SET state = {_NEXT_STATE}, handling_code = {_NEXT_CODE},"
            f" level = {_NEXT_LEVEL}, assignee_id = NULL, resolve_deadline_at = NULL,"
            " due_at = CASE urgency WHEN 'urgent' THEN %s ELSE %s END,"
            " accept_deadline_at = CASE WHEN state = 'reported'"
            " THEN CASE urgency WHEN 'urgent' THEN %s ELSE %s END ELSE accept_deadline_at END,"
            f" warned_at = NULL, updated_at = %s WHERE {_OVERDUE}",
            [due_urgent, due, due_urgent, due, at, at, *_WORKING],
        )
        cursor.execute(
            "SELECT ra.user_id, e.handling_code_after, COUNT(DISTINCT e.case_id)"
            " FROM cases_caseevent e JOIN accounts_roleassignment ra"
            " ON ra.region_code = e.handling_code_after"
            f" AND ra.is_active AND ra.role IN ({_routers_in(routers)})"
            " WHERE e.action = 'escalate' AND e.created_at = %s AND e.actor_id IS NULL"
            " GROUP BY ra.user_id, e.handling_code_after",
            [*routers, at],
        )
        _notify_units(
            cursor.fetchall(), notices.ESCALATED_DIGEST, {}, list_id=lambda _: LIST_ESCALATED
        )
    return escalated


def warn_approaching_deadlines(now: datetime | None = None) -> int:
    """Warn the assignee (or, before dispatch, the unit's routers) of cases due within the
    warning window, once per deadline; returns how many cases were warned."""
    now = now or timezone.now()
    at, horizon = _at(now), _at(now + timedelta(hours=settings.DEADLINE_WARNING_HOURS))
    routers = roles_granting(Perm.CASES_ROUTE)
    window_c = (
        f"c.due_at >= %s AND c.due_at < %s AND c.warned_at IS NULL AND c.state IN ({_IN_WORKING})"
    )
    window = f"due_at >= %s AND due_at < %s AND warned_at IS NULL AND state IN ({_IN_WORKING})"
    hours = {"hours": settings.DEADLINE_WARNING_HOURS}
    with transaction.atomic(), connection.cursor() as cursor:
        _lock_cases()
        cursor.execute(
            "SELECT assignee_id, COUNT(*) FROM cases_case"
            f" WHERE assignee_id IS NOT NULL AND {window} GROUP BY assignee_id",
            [at, horizon, *_WORKING],
        )
        notify_digest(
            Delivery(
                recipient_ids=[user_id],
                key=notices.MY_DEADLINE_DIGEST.key,
                params={**hours, "count": count},
                object_type=CASE_LIST,
                object_id=LIST_MY_TASKS,
                count=count,
                sms=False,
            )
            for user_id, count in cursor.fetchall()
        )
        cursor.execute(
            "SELECT ra.user_id, c.handling_code, COUNT(DISTINCT c.id)"
            " FROM cases_case c JOIN accounts_roleassignment ra"
            " ON ra.region_code = c.handling_code AND ra.is_active"
            f" AND ra.role IN ({_routers_in(routers)})"
            f" WHERE c.assignee_id IS NULL AND {window_c}"
            " GROUP BY ra.user_id, c.handling_code",
            [*routers, at, horizon, *_WORKING],
        )
        _notify_units(
            cursor.fetchall(),
            notices.DEADLINE_DIGEST,
            hours,
            list_id=lambda code: LIST_QUEUE + code,
        )
        cursor.execute(
            f"UPDATE cases_case SET warned_at = %s WHERE {window}",
            [at, at, horizon, *_WORKING],
        )
        return cursor.rowcount
