"""Import and export of the region tree: the all-or-nothing import service and the scoped export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from gridgov.core import codes
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import Conflict, ValidationFailed
from gridgov.core.models import AuditEntry
from gridgov.core.scoping import Actor, require_permission
from gridgov.regions import errors
from gridgov.regions.models import Region
from gridgov.regions.selectors import region_get, region_queryset
from gridgov.regions.services import bump_boundaries_version
from gridgov.regions.transfer.formats import CSV, GEOJSON, csv_chunks, geojson_chunks
from gridgov.regions.transfer.records import ImportReport, RegionRecord
from gridgov.regions.transfer.validation import ImportPlan, validate_records

_BATCH = 500
_UPDATED_FIELDS = ["name", "kind", "boundary", "population", "households", "updated_at"]


def regions_export(*, actor: Actor, fmt: str, root_code: str | None = None) -> Iterator[str]:
    """The actor's part of the tree (or the subtree at `root_code`) as text chunks, parents first.

    Access is checked now (PermissionDenied; NotFound for a root outside the jurisdiction);
    the rows are read as the chunks are consumed, so a whole county streams.
    """
    if fmt not in (GEOJSON, CSV):
        raise ValidationFailed.on("format", errors.UNKNOWN_FORMAT, formats=f"{GEOJSON}, {CSV}")
    regions = region_queryset(actor=actor)
    if root_code:
        root = region_get(actor=actor, code=root_code)
        regions = regions.filter(**{codes.SCOPE_COLUMN_BY_LENGTH[len(root.code)]: root.code})
    rows = (
        regions.order_by("region_code")
        .values_list("region_code", "level", "kind", "name", "population", "households", "boundary")
        .iterator(chunk_size=_BATCH)
    )
    return geojson_chunks(rows) if fmt == GEOJSON else csv_chunks(rows)


def regions_import(
    *, actor: Actor, records: list[RegionRecord], dry_run: bool = False
) -> ImportReport:
    """Create or update the regions of `records`, all or nothing.

    Every row is checked first; while any row is bad nothing is written and the report lists
    every fault. With `dry_run` nothing is written at all. The actor needs REGIONS_MANAGE over
    each row's code; a row outside it is a bad row like any other.
    """
    jurisdiction = require_permission(actor, Perm.REGIONS_MANAGE)
    if dry_run:
        return _report(validate_records(records, jurisdiction=jurisdiction), dry_run=True)
    # Validation runs inside the transaction, so nothing changes between the check and the write.
    with transaction.atomic():
        plan = validate_records(records, jurisdiction=jurisdiction)
        if plan.ok and (plan.creates or plan.updates):
            _write(plan)
            bump_boundaries_version()
            root = _common_root(
                [row.code for row in plan.creates] + [row.code for row, _id in plan.updates]
            )
            audit_record(
                actor=actor,
                action="region.import",
                object_type="region",
                object_id=root or "",
                region_code=root,
                detail=_audit_detail(actor, plan),
            )
    if plan.outside_rows:
        # Rows outside the jurisdiction are a refused attempt, audited although nothing was written.
        audit_record(
            actor=actor,
            action="region.import",
            outcome=AuditEntry.Outcome.DENIED,
            object_type="region",
            detail={"outside_rows": plan.outside_rows, "bad_rows": len(plan.errors)}
            | _actor_detail(actor),
        )
    report = _report(plan, dry_run=False)
    report.written = plan.ok and bool(plan.creates or plan.updates)
    return report


def _report(plan: ImportPlan, *, dry_run: bool) -> ImportReport:
    return ImportReport(
        dry_run=dry_run,
        rows=plan.rows,
        created=len(plan.creates),
        updated=len(plan.updates),
        unchanged=plan.unchanged,
        errors=plan.errors,
    )


def _write(plan: ImportPlan) -> None:
    ids = dict(plan.known_ids)
    now = timezone.now()
    try:
        # Parents before children: a level's new rows need the ids of the level above.
        for length in codes.CODE_LENGTHS:
            new = []
            for row in plan.creates:
                if len(row.code) != length:
                    continue
                region = Region(
                    level=row.level,
                    kind=row.kind,
                    name=row.name,
                    parent_id=ids[row.parent_code] if row.parent_code else None,
                    boundary=row.boundary,
                    population=row.population,
                    households=row.households,
                )
                region.set_region_code(row.code)
                new.append(region)
            if not new:
                continue
            Region.objects.bulk_create(new, batch_size=_BATCH)
            ids.update(_ids_of(new))
        changed = []
        for row, region_id in plan.updates:
            changed.append(
                Region(
                    id=region_id,
                    name=row.name,
                    kind=row.kind,
                    boundary=row.boundary,
                    population=row.population,
                    households=row.households,
                    updated_at=now,
                )
            )
        Region.objects.bulk_update(changed, _UPDATED_FIELDS, batch_size=_BATCH)
    except IntegrityError as error:
        # Only a concurrent writer on PostgreSQL gets here (SQLite's write lock is held since
        # validation began); the caller's transaction rolls back.
        raise Conflict(errors.TREE_CHANGED) from error


def _ids_of(regions: list[Region]) -> dict[str, int]:
    if all(region.pk is not None for region in regions):
        return {region.region_code: region.pk for region in regions}
    # Databases that do not return ids from a bulk insert.
    found: dict[str, int] = {}
    codes_list = [region.region_code for region in regions]
    for start in range(0, len(codes_list), _BATCH):
        found.update(
            Region.objects.filter(region_code__in=codes_list[start : start + _BATCH]).values_list(
                "region_code", "id"
            )
        )
    return found


def _common_root(region_codes: list[str]) -> str | None:
    """The smallest region whose subtree holds every code, or None when they span counties."""
    if not region_codes:
        return None
    first = region_codes[0]
    root = None
    for length in codes.CODE_LENGTHS:
        if len(first) < length or any(code[:length] != first[:length] for code in region_codes):
            break
        root = first[:length]
    return root


def _actor_detail(actor: Actor) -> dict[str, Any]:
    # An actor without an account (the shell at first setup) is named in the detail instead.
    label = getattr(actor, "label", None)
    return {"actor": label} if label else {}


def _audit_detail(actor: Actor, plan: ImportPlan) -> dict[str, Any]:
    return {
        "created": len(plan.creates),
        "updated": len(plan.updates),
        "unchanged": plan.unchanged,
        "rows": plan.rows,
    } | _actor_detail(actor)
