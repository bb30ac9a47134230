"""Reads about accounts, scoped to the actor."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from gridgov.accounts.models import RoleAssignment
from gridgov.core.access import Perm, Role
from gridgov.core.codes import minimal_cover
from gridgov.core.scoping import Actor, jurisdiction_q, scope_queryset
from gridgov.regions.models import Region


def user_jurisdiction(*, actor: Any) -> dict[str, Any]:
    """The actor's own roles and the union of their subtrees."""
    assignments = actor.active_assignments()
    names = dict(
        Region.objects.filter(region_code__in=[a.region_code for a in assignments]).values_list(
            "region_code", "name"
        )
    )
    return {
        "username": actor.username,
        "display_name": actor.display_name,
        "roles": [
            {
                "role": a.role,
                "role_label": str(Role(a.role).label),
                "region_code": a.region_code,
                "region_name": names.get(a.region_code, ""),
            }
            for a in assignments
        ],
        "jurisdiction": minimal_cover([a.region_code for a in assignments]),
    }


def region_staff(*, actor: Any, region_code: str) -> QuerySet[RoleAssignment]:
    """Staff assigned at a region (not below it), if the actor may see staff there."""
    return (
        scope_queryset(
            RoleAssignment.objects.all(), actor=actor, permission=Perm.REGIONS_STAFF_VIEW
        )
        .filter(region_code=region_code, is_active=True)
        .exclude(role=Role.RESIDENT)
        .select_related("user")
        .order_by("role", "user__username")
    )


def region_staff_counts(*, actor: Actor, region_code: str) -> dict[str, int] | None:
    """Grid workers and information officers serving in the subtree of `region_code`, by role;
    None when the actor may not see staff there."""
    if not actor.jurisdiction_codes(Perm.REGIONS_STAFF_VIEW):
        return None
    # Distinct people: one grid worker may serve two grids.
    rows = (
        scope_queryset(
            RoleAssignment.objects.all(), actor=actor, permission=Perm.REGIONS_STAFF_VIEW
        )
        .filter(
            jurisdiction_q([region_code]),
            is_active=True,
            role__in=[Role.GRID_WORKER, Role.INFO_OFFICER],
        )
        .values("role")
        .annotate(people=Count("user", distinct=True))
        .values_list("role", "people")
    )
    return dict(rows)
