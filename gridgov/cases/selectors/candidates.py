"""Whom a case can be dispatched to, with how many open tasks each already has."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from gridgov.accounts.selectors import Candidate, handler_candidates
from gridgov.cases.models import Case, Category
from gridgov.core.access import Perm, Role, roles_granting


def is_dispute(category: Category) -> bool:
    """A dispute's sub-category is a dispute as its group is."""
    parent = category.parent if category.parent_id else None
    return category.is_dispute or (parent is not None and parent.is_dispute)


@dataclass(frozen=True)
class LoadedCandidate:
    candidate: Candidate
    open_tasks: int


def dispatch_candidates(
    *, handling_code: str, near: str = "", category: Category | None = None
) -> list[LoadedCandidate]:
    """The unit's possible handlers, nearest the case's place first, each with their open load
    (cases dispatched to them and not yet resolved), counted in one grouped query.

    A case's category says whom else it calls for: a dispute's mediators come right after the
    village's own people; any other case is no mediator's work, so they are not offered."""
    roles: set[str] | None = None
    first_roles: set[str] = set()
    if category is not None:
        if is_dispute(category):
            first_roles = {Role.MEDIATOR}
        else:
            roles = set(roles_granting(Perm.CASES_HANDLE)) - {Role.MEDIATOR}
    candidates = handler_candidates(
        handling_code=handling_code, near=near, roles=roles, first_roles=first_roles
    )
    loads = dict(
        Case.objects.filter(assignee_id__in=[c.user_id for c in candidates], due_at__isnull=False)
        .values_list("assignee_id")
        .annotate(open_tasks=Count("id"))
        .order_by()
    )
    return [LoadedCandidate(c, loads.get(c.user_id, 0)) for c in candidates]
