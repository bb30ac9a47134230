"""Reads of the audit log, scoped to the auditor's jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

# roles.py imports only Django, so naming the permission here creates no import cycle.
from gridgov.core.access import Perm
from gridgov.core.audit import ChainProblem, HeadComparison, head_comparisons, verify_chain
from gridgov.core.codes import COUNTY_LEN
from gridgov.core.models import AuditEntry
from gridgov.core.scoping import Actor, require_permission, scope_queryset

AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilters:
    """What an auditor may narrow the log by; empty values do not filter."""

    action: str = ""  # a prefix: "auth." matches every login and logout row
    outcome: str = ""
    actor_username: str = ""
    date_from: date | None = None  # inclusive, local calendar day
    date_to: date | None = None  # inclusive, local calendar day
    # Keyset cursor: the id of the last row of the previous page; the page holds the rows after it.
    after_id: int | None = None


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_list(*, actor: Actor, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The rows the actor may read, newest first, narrowed by `filters`.

    Ordered by (created_at, id) so a scoped page is a walk of the `(town_code, created_at, id)`
    index; the cursor continues from a row without counting the rows before it.
    """
    entries = scope_queryset(
        AuditEntry.objects.select_related("actor"), actor=actor, permission=Perm.AUDIT_VIEW
    )
    if filters.action:
        entries = entries.filter(action__startswith=filters.action)
    if filters.outcome:
        entries = entries.filter(outcome=filters.outcome)
    if filters.actor_username:
        entries = entries.filter(actor_username=filters.actor_username)
    if filters.date_from is not None:
        entries = entries.filter(created_at__gte=_start_of_day(filters.date_from))
    if filters.date_to is not None:
        entries = entries.filter(created_at__lt=_start_of_day(filters.date_to + timedelta(days=1)))
    if filters.after_id is not None:
        # The cursor row only supplies a position; it need not be one the actor may read.
        cursor = AuditEntry.objects.filter(pk=filters.after_id).values("created_at", "id").first()
        if cursor is not None:
            entries = entries.filter(
                Q(created_at__lt=cursor["created_at"])
                | Q(created_at=cursor["created_at"], id__lt=cursor["id"])
            )
    return entries.order_by("-created_at", "-id")


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    next_after_id: int | None  # None on the last page


def audit_page(*, actor: Actor, filters: AuditFilters, size: int = AUDIT_PAGE_SIZE) -> AuditPage:
    """One page of `audit_list`: fetches one row more than it shows to know whether more follow."""
    rows = list(audit_list(actor=actor, filters=filters)[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    return AuditPage(entries=rows, next_after_id=rows[-1].pk if has_more and rows else None)


@dataclass(frozen=True)
class AuditVerification:
    total: int
    problems: list[ChainProblem]
    heads: list[HeadComparison]

    @property
    def intact(self) -> bool:
        return not self.problems


def audit_verify(*, actor: Actor) -> AuditVerification:
    """Walk every chain of the log (one per county) and compare each end with the anchors kept
    outside the database; report the chains of the auditor's counties and those of no county."""
    codes = require_permission(actor, Perm.AUDIT_VIEW)
    counties = {code[:COUNTY_LEN] for code in codes}

    def visible(chain: str) -> bool:
        # A county's chain is its auditors' (a town's auditor included: the chain covers their
        # rows); the installation's and the global chain, and anchor lines, name no county.
        return not chain.isdigit() or chain in counties

    return AuditVerification(
        total=AuditEntry.objects.count(),
        problems=[problem for problem in verify_chain() if visible(problem.chain)],
        heads=[head for head in head_comparisons() if visible(head.chain)],
    )
