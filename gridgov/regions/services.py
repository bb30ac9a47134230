"""Every write to the region tree: create, rename, set a boundary, move. Atomic and audited."""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from gridgov.core import codes
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import Conflict, NotFound, Problem, ValidationFailed
from gridgov.core.rescope import rescope_subtree
from gridgov.core.scoping import Actor, scope_queryset
from gridgov.regions import errors
from gridgov.regions.geometry import InvalidBoundary, is_inside, to_shape
from gridgov.regions.models import Region, TreeState
from gridgov.regions.names import forget_names


def _managed_region(*, actor: Actor, region_code: str) -> Region:
    region = (
        scope_queryset(Region.objects.all(), actor=actor, permission=Perm.REGIONS_MANAGE)
        .filter(region_code=region_code)
        .first()
    )
    if region is None:
        raise NotFound(errors.REGION_NOT_FOUND, code=region_code)
    return region


def bump_boundaries_version() -> None:
    """Tell every process's locator that boundaries changed (see regions.locator).

    The new version is at least the current time in microseconds, so a number handed out inside
    a rolled-back transaction is never handed out again for different boundaries.
    """
    forget_names()  # a region was added or moved: codes may name other places now
    floor = time.time_ns() // 1000
    updated = TreeState.objects.filter(pk=1).update(
        boundaries_version=Greatest(F("boundaries_version") + 1, Value(floor))
    )
    if not updated:
        TreeState.objects.create(pk=1, boundaries_version=floor)


def _check_boundary(boundary: dict[str, Any] | None, parent: Region | None) -> None:
    if boundary is None:
        return
    try:
        geometry = to_shape(boundary)
    except InvalidBoundary as error:
        raise ValidationFailed({"boundary": [error.problem]}) from error
    if (
        parent is not None
        and parent.boundary is not None
        and not is_inside(geometry, to_shape(parent.boundary))
    ):
        raise ValidationFailed.on("boundary", errors.NOT_INSIDE_PARENT)


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationFailed.on("name", errors.NAME_REQUIRED)
    limit = Region._meta.get_field("name").max_length or 0
    if len(name) > limit:
        # PostgreSQL would refuse the row with a database error (a 500), SQLite would keep it.
        raise ValidationFailed.on("name", errors.NAME_TOO_LONG, limit=limit)
    return name


def region_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    boundary: dict[str, Any] | None = None,
    population: int = 0,
    households: int = 0,
    kind: str = "",
) -> Region:
    """Create a region under the parent its code names (a county has none)."""
    if not codes.is_valid_code(code):
        raise ValidationFailed.on("code", errors.BAD_CODE)
    name = _clean_name(name)
    problems: dict[str, list[Problem]] = {
        field: [errors.NEGATIVE.bind()]
        for field, value in (("population", population), ("households", households))
        if value < 0
    }
    if kind not in Region.Kind.values:
        problems["kind"] = [errors.UNKNOWN_KIND.bind(kind=kind)]
    if problems:
        raise ValidationFailed(problems)
    parent_code = codes.parent_code(code)
    with transaction.atomic():
        parent = None
        if parent_code is None:
            # A new county is outside every jurisdiction: only an operator of that county code
            # (e.g. set up by `load_demo` or an administrator command) can hold it.
            scope_queryset(Region.objects.none(), actor=actor, permission=Perm.REGIONS_MANAGE)
            if code not in actor.jurisdiction_codes(Perm.REGIONS_MANAGE):
                raise NotFound(errors.REGION_NOT_FOUND, code=code)
        else:
            parent = _managed_region(actor=actor, region_code=parent_code)
        if Region.objects.filter(region_code=code).exists():
            raise ValidationFailed.on("code", errors.CODE_TAKEN, code=code)
        _check_boundary(boundary, parent)
        region = Region(
            level=codes.level_of(code),
            kind=kind,
            name=name,
            parent=parent,
            boundary=boundary,
            population=population,
            households=households,
        )
        region.set_region_code(code)
        region.save()
        if boundary is not None:
            bump_boundaries_version()
        audit_record(
            actor=actor,
            action="region.create",
            object_type="region",
            object_id=code,
            region_code=code,
            detail={"name": region.name},
        )
    return region


def region_rename(*, actor: Actor, code: str, name: str) -> Region:
    name = _clean_name(name)
    with transaction.atomic():
        region = _managed_region(actor=actor, region_code=code)
        old_name = region.name
        if old_name == name:
            return region
        region.name = name
        region.save(update_fields=["name", "updated_at"])
        forget_names()
        audit_record(
            actor=actor,
            action="region.rename",
            object_type="region",
            object_id=code,
            region_code=code,
            detail={"from": old_name, "to": region.name},
        )
    return region


def region_set_boundary(*, actor: Actor, code: str, boundary: dict[str, Any] | None) -> Region:
    with transaction.atomic():
        region = _managed_region(actor=actor, region_code=code)
        _check_boundary(boundary, region.parent)
        region.boundary = boundary
        region.save(update_fields=["boundary", "updated_at"])
        bump_boundaries_version()
        audit_record(
            actor=actor,
            action="region.set_boundary",
            object_type="region",
            object_id=code,
            region_code=code,
        )
    return region


def _free_code(parent_code: str, length: int, wanted_suffix: str) -> str:
    taken = set(
        Region.objects.filter(parent__region_code=parent_code).values_list("region_code", flat=True)
    )
    candidate = parent_code + wanted_suffix
    if candidate not in taken:
        return candidate
    width = length - len(parent_code)
    for number in range(1, 10**width):
        candidate = parent_code + str(number).zfill(width)
        if candidate not in taken:
            return candidate
    raise Conflict(errors.NO_FREE_CODE, code=parent_code)


def region_move(
    *, actor: Actor, code: str, new_parent_code: str, new_code: str | None = None
) -> Region:
    """Move a region (with its subtree) under another parent of the level above it.

    Its code and its descendants' codes are rewritten, and so is the region of every record
    scoped under it, in one transaction. The actor must manage both the old and the new place.
    """
    with transaction.atomic():
        region = _managed_region(actor=actor, region_code=code)
        if region.parent is None:
            raise ValidationFailed.on("code", errors.COUNTY_IMMOVABLE)
        new_parent = _managed_region(actor=actor, region_code=new_parent_code)
        if codes.parent_code(code) == new_parent_code:
            return region
        if len(new_parent_code) != len(region.parent.region_code):
            raise ValidationFailed.on("new_parent_code", errors.PARENT_LEVEL)
        if new_code is None:
            new_code = _free_code(new_parent_code, len(code), code[len(new_parent_code) :])
        elif (
            len(new_code) != len(code)
            or not codes.is_valid_code(new_code)
            or codes.parent_code(new_code) != new_parent_code
        ):
            raise ValidationFailed.on("new_code", errors.NEW_CODE_PREFIX)
        elif Region.objects.filter(region_code=new_code).exists():
            raise ValidationFailed.on("new_code", errors.CODE_TAKEN, code=new_code)
        if (
            region.boundary is not None
            and new_parent.boundary is not None
            and not is_inside(to_shape(region.boundary), to_shape(new_parent.boundary))
        ):
            raise ValidationFailed.on("new_parent_code", errors.NOT_INSIDE_PARENT)
        counts = rescope_subtree(code, new_code)
        Region.objects.filter(region_code=new_code).update(parent=new_parent)
        bump_boundaries_version()
        audit_record(
            actor=actor,
            action="region.move",
            object_type="region",
            object_id=new_code,
            region_code=new_code,
            detail={"from": code, "to": new_code, "rows": counts},
        )
    return Region.objects.get(region_code=new_code)
