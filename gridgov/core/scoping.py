"""The one function that limits a queryset to an actor's jurisdiction.

An actor's jurisdiction for a permission is the union of the subtrees of the role assignments that
grant it. Scoping is an equality on an ancestor column (`town_code = ...`), never a join. An actor
with no role granting the permission is refused (PermissionDenied, HTTP 403); an object outside the
jurisdiction is simply not in the queryset, so it answers 404 like a missing one.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar, cast

from django.db import models
from django.db.models import Q

from gridgov.core.codes import SCOPE_COLUMN_BY_LENGTH, minimal_cover
from gridgov.core.errors import AUTHENTICATION_REQUIRED, NO_ROLE_GRANTS, PermissionDenied

ModelT = TypeVar("ModelT", bound=models.Model)


class Actor(Protocol):
    """What scoping needs of a user (accounts.User provides it)."""

    @property
    def pk(self) -> object: ...

    @property
    def is_authenticated(self) -> bool: ...

    def jurisdiction_codes(self, permission: str) -> list[str]: ...


def jurisdiction_q(codes: list[str], *, prefix: str = "") -> Q:
    """A Q matching rows (or, with `prefix`, a related row) inside the subtrees of `codes`."""
    condition = Q(pk__in=[])
    for code in minimal_cover(codes):
        column = SCOPE_COLUMN_BY_LENGTH[len(code)]
        condition |= Q(**{f"{prefix}{column}": code})
    return condition


def require_permission(actor: Actor | None, permission: str) -> list[str]:
    """The actor's jurisdiction for `permission`; PermissionDenied when they have none."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(AUTHENTICATION_REQUIRED)
    codes = actor.jurisdiction_codes(permission)
    if not codes:
        raise PermissionDenied(NO_ROLE_GRANTS, permission=permission)
    return codes


def jurisdiction_cover(actor: Actor | None, permission: str) -> list[str]:
    """The codes `scope_queryset` filters on for the actor: their jurisdiction's minimal cover,
    sorted; PermissionDenied as `require_permission`."""
    return minimal_cover(require_permission(actor, permission))


class StandInActor:
    """An actor whose jurisdiction is placeholder codes of the given lengths, for compiling a
    scoped query once (core.prepared): `scope_queryset` makes of it the SQL it makes for every
    actor whose `jurisdiction_cover` has codes of those lengths, in that order (the same scope
    columns), each placeholder one parameter of its own. A placeholder starts with NUL, which no
    real code holds, and any two differ within their first six characters (no code is shorter),
    so none lies in another's subtree and `minimal_cover` keeps every one."""

    pk = None
    is_authenticated = True

    def __init__(self, lengths: tuple[int, ...]) -> None:
        self.codes = [f"\x00{i:05d}".ljust(length, "\x00") for i, length in enumerate(lengths)]

    def jurisdiction_codes(self, permission: str) -> list[str]:
        return list(self.codes)


def scope_queryset(
    queryset: models.QuerySet[ModelT], *, actor: Actor | None, permission: str
) -> models.QuerySet[ModelT]:
    """Limit a queryset of RegionScoped rows to what `actor` may see under `permission`."""
    codes = require_permission(actor, permission)
    return queryset.filter(jurisdiction_q(codes))


def request_actor(request: Any) -> Actor:
    """The authenticated actor of a web or API request (views behind login only). Apps above
    `accounts` that need the concrete user use `accounts.actors.actor_from`."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(user, "jurisdiction_codes"):
        raise PermissionDenied(AUTHENTICATION_REQUIRED)
    return cast(Actor, user)
