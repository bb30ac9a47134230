"""Reads about accounts, scoped to the actor."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from gridgov.accounts.errors import ASSIGNMENT_NOT_FOUND, USER_NOT_FOUND
from gridgov.accounts.models import ApiToken, RoleAssignment, User
from gridgov.core import codes
from gridgov.core.access import Perm, Role, roles_granting
from gridgov.core.codes import minimal_cover
from gridgov.core.errors import NotFound
from gridgov.core.prepared import PreparedQuery
from gridgov.core.scoping import Actor, jurisdiction_q, scope_queryset
from gridgov.regions.models import Region
from gridgov.regions.selectors import public_names


def user_jurisdiction(*, actor: Any) -> dict[str, Any]:
    """The actor's own roles and the union of their subtrees."""
    assignments = actor.active_assignments()
    names = public_names(region_codes={a.region_code for a in assignments})
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


# Reads for the account pages. Every one starts from the actor's scoped role assignments, so a user
# who holds no role inside the jurisdiction is invisible (404) as if missing.


def managed_assignments(*, actor: Actor) -> QuerySet[RoleAssignment]:
    # Residents' accounts are residents' data, which the administrator does not read.
    return scope_queryset(
        RoleAssignment.objects.exclude(role=Role.RESIDENT),
        actor=actor,
        permission=Perm.ACCOUNTS_VIEW,
    )


def managed_users(
    *,
    actor: Actor,
    search: str = "",
    role: str = "",
    region_code: str = "",
    active: bool | None = None,
) -> QuerySet[User]:
    """The accounts holding a role in the actor's jurisdiction; narrowed to a name, to those
    holding `role` (active assignments), to those holding a role in `region_code`'s subtree, and
    to enabled or disabled accounts."""
    assignments = managed_assignments(actor=actor)
    holding = assignments
    if role:
        holding = holding.filter(role=role, is_active=True)
    if region_code:
        holding = holding.filter(jurisdiction_q([region_code]))
    users = User.objects.filter(pk__in=holding.values("user_id"))
    if search:
        users = users.filter(Q(username__icontains=search) | Q(display_name__icontains=search))
    if active is not None:
        users = users.filter(is_active=active)
    # Only the assignments inside the jurisdiction: another county's roles are not the admin's to see.
    return users.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=assignments.order_by("-is_active", "region_code", "role"),
            to_attr="visible_assignments",
        )
    ).order_by("username")


def managed_user(*, actor: Actor, user_id: int) -> User:
    user = managed_users(actor=actor).filter(pk=user_id).first()
    if user is None:
        raise NotFound(USER_NOT_FOUND)
    return user


def managed_assignment(*, actor: Actor, user_id: int, assignment_id: int) -> RoleAssignment:
    """One of `user_id`'s assignments visible to the actor; NotFound for any other."""
    user = managed_user(actor=actor, user_id=user_id)
    for assignment in user.visible_assignments:  # type: ignore[attr-defined]
        if assignment.pk == assignment_id:
            return assignment
    raise NotFound(ASSIGNMENT_NOT_FOUND)


def name_assignment_regions(*, users: list[User]) -> None:
    """Give each visible assignment its region's name, in one query for the page."""
    assignments = [a for user in users for a in getattr(user, "visible_assignments", [])]
    rows = Region.objects.filter(region_code__in={a.region_code for a in assignments}).values_list(
        "region_code", "name", "parent__name"
    )
    # Every village has a 第1网格: a grid is named with its village.
    names = {
        code: f"{name} · {parent}" if len(code) >= codes.GRID_LEN and parent else name
        for code, name, parent in rows
    }
    for assignment in assignments:
        assignment.region_name = names.get(assignment.region_code, "")


@dataclass(frozen=True)
class Lockout:
    failures: int
    locked: bool


def lockout_state(*, user: User) -> Lockout:
    attempts = AccessAttempt.objects.filter(username=user.username)
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    limit = getattr(settings, "AXES_FAILURE_LIMIT", 3)
    return Lockout(
        failures=failures, locked=attempts.filter(failures_since_start__gte=limit).exists()
    )


# Who may be dispatched a unit's cases (cases.policy.may_handle): handlers whose jurisdiction
# lies in the unit, or holds it. A county has ~1,300 handlers; the unit's own people come first.
MAX_HANDLER_CANDIDATES = 400


@dataclass(frozen=True)
class Candidate:
    """Someone who may be dispatched a unit's cases, as a picker shows them."""

    user_id: int
    name: str
    role: str
    role_label: str
    region_code: str
    region_name: str


def _closeness(region_code: str, near: str) -> int:
    """How many leading digits the two codes share: the case's own grid first, then its
    village's people, then the town's."""
    shared = 0
    for mine, theirs in zip(region_code, near, strict=False):
        if mine != theirs:
            break
        shared += 1
    return shared


def _nearness(candidate: Candidate, near: str, first_roles: Collection[str]) -> tuple[int, int]:
    """The case's own grid first, then its village's people, then the people of the roles the
    case calls for (a dispute's mediators), then everybody else; nearer first within each."""
    shared = _closeness(candidate.region_code, near)
    if shared >= codes.GRID_LEN:
        tier = 0
    elif shared >= codes.VILLAGE_LEN:
        tier = 1
    elif candidate.role in first_roles:
        tier = 2
    else:
        tier = 3
    return tier, -shared


def handler_candidates(
    *,
    handling_code: str,
    near: str = "",
    roles: Collection[str] | None = None,
    first_roles: Collection[str] = (),
) -> list[Candidate]:
    """People who may be dispatched the unit's cases (policy.may_handle): handlers whose
    jurisdiction lies in the unit, or holds it; only those of `roles` when given. Those working
    nearest `near` (the case's place) first, `first_roles` right after the village's people,
    then by name."""
    ancestors = [handling_code[:n] for n in codes.CODE_LENGTHS if n < len(handling_code)]
    handling_roles = set(roles_granting(Perm.CASES_HANDLE))
    if roles is not None:
        handling_roles &= set(roles)
    assignments = list(
        RoleAssignment.objects.filter(
            is_active=True,
            user__is_active=True,
            role__in=sorted(handling_roles),
        )
        .filter(Q(region_code__startswith=handling_code) | Q(region_code__in=ancestors))
        .select_related("user")
        .order_by("region_code", "user__username")[:MAX_HANDLER_CANDIDATES]
    )
    names = public_names(region_codes={a.region_code for a in assignments})
    role_names = dict(Role.choices)
    found: dict[int, Candidate] = {}
    for assignment in assignments:
        if assignment.user_id in found:
            continue
        found[assignment.user_id] = Candidate(
            user_id=assignment.user_id,
            name=str(assignment.user),
            role=assignment.role,
            role_label=str(role_names.get(assignment.role, assignment.role)),
            region_code=assignment.region_code,
            region_name=names.get(assignment.region_code, ""),
        )
    return sorted(
        found.values(),
        key=lambda c: (*_nearness(c, near or handling_code, first_roles), c.name),
    )


def candidate_users(*, handling_code: str, user_ids: set[int]) -> dict[int, User]:
    allowed = {c.user_id for c in handler_candidates(handling_code=handling_code)}
    return {user.pk: user for user in User.objects.filter(pk__in=user_ids & allowed)}


def active_user_named(*, username: str) -> User | None:
    """The active account with this username, if any (callers decide what the person may do)."""
    return User.objects.filter(username=username, is_active=True).first()


def display_names(*, usernames: set[str]) -> dict[str, str]:
    """The names people go by, for usernames a record kept (a timeline's "dispatched to")."""
    rows = User.objects.filter(username__in=sorted(usernames)).values_list(
        "username", "display_name"
    )
    return {username: display_name or username for username, display_name in rows}


# API tokens. Only their hashes are stored: a token is found by the hash of the key presented.


# Every API request looks its token up: compiled once (see core.prepared for what it saves).
_token_by_hash = PreparedQuery(
    lambda key_hash: ApiToken.objects.select_related("user").filter(key_hash=key_hash)[:1],
    key_hash="\x00stand-in for a key hash",
)


def api_token_by_key(*, key: str) -> ApiToken | None:
    """The token whose key this is, with its user, revoked and lapsed ones included (the caller
    refuses them)."""
    found = _token_by_hash.fetch(key_hash=ApiToken.hash_of(key))
    return found[0] if found else None


def live_api_tokens(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens that still authenticate, newest first."""
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at", "-pk")


def role_holder_ids(
    *, roles: Collection[str], region_codes: Collection[str]
) -> dict[str, set[int]]:
    """The active people holding one of `roles` assigned at exactly each of the regions (the
    village's secretary, the town's officials), by region code: whom an app tells about a place."""
    holders: dict[str, set[int]] = {}
    rows = RoleAssignment.objects.filter(
        is_active=True,
        user__is_active=True,
        role__in=sorted(roles),
        region_code__in=sorted(region_codes),
    ).values_list("region_code", "user_id")
    for region_code, user_id in rows:
        holders.setdefault(region_code, set()).add(user_id)
    return holders


@dataclass(frozen=True)
class RoleHolder:
    user_id: int
    name: str
    region_codes: tuple[str, ...]  # where they hold the role, by code


def role_holders(*, role: str) -> list[RoleHolder]:
    """Every active person holding `role`, with the places they hold it at (for the system: the
    assessment scores each grid worker), by user id."""
    places: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    rows = RoleAssignment.objects.filter(is_active=True, user__is_active=True, role=role)
    for user_id, code, display_name, username in rows.values_list(
        "user_id", "region_code", "user__display_name", "user__username"
    ).order_by("user_id", "region_code"):
        places.setdefault(user_id, []).append(code)
        names[user_id] = display_name or username
    return [RoleHolder(user_id, names[user_id], tuple(codes)) for user_id, codes in places.items()]
