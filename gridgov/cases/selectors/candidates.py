"""Whom a case can be dispatched to, with how many open tasks each already has."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from gridgov.accounts.selectors import Candidate, handler_candidates
from gridgov.cases.models import Case


@dataclass(frozen=True)
class LoadedCandidate:
    candidate: Candidate
    open_tasks: int


def dispatch_candidates(*, handling_code: str, near: str = "") -> list[LoadedCandidate]:
    """The unit's possible handlers, nearest the case's place first, each with their open load
    (cases dispatched to them and not yet resolved), counted in one grouped query."""
    candidates = handler_candidates(handling_code=handling_code, near=near)
    loads = dict(
        Case.objects.filter(assignee_id__in=[c.user_id for c in candidates], due_at__isnull=False)
        .values_list("assignee_id")
        .annotate(open_tasks=Count("id"))
        .order_by()
    )
    return [LoadedCandidate(c, loads.get(c.user_id, 0)) for c in candidates]
