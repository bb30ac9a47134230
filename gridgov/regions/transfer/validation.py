"""Checking an import before anything is written: every row, every fault, each with its reason.

Three passes: each row on its own (code, level, parent code, kind, name, figures, polygon);
then the rows together (duplicates); then against the tree (parents present, children inside
their parent, no overlapping regions of a level). The database is read in a few batched queries
and each level's overlaps come from one STRtree, so a county of ~6,500 regions stays fast.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from gridgov.core import codes
from gridgov.core.jsonbody import parse_json
from gridgov.regions.geometry import InvalidBoundary, is_inside, overlapping_pairs, to_shape
from gridgov.regions.models import Region
from gridgov.regions.transfer.formats import looks_like_excel_number
from gridgov.regions.transfer.records import RegionRecord, RowError

# The largest value a PositiveIntegerField holds on every supported database.
MAX_COUNT = 2_147_483_647
NAME_MAX_LENGTH = 64
# Kinds are only meaningful at the levels whose statistical codes distinguish them.
KINDS_BY_LEVEL: dict[str, frozenset[str]] = {
    "town": frozenset({"", Region.Kind.TOWN, Region.Kind.STREET}),
    "village": frozenset({"", Region.Kind.VILLAGE, Region.Kind.COMMUNITY}),
}
_PLAIN_ONLY = frozenset({""})
_BATCH = 500
_DIGITS = re.compile(r"^[0-9]+$")
# How many offending codes one message names before it says "and N more".
_NAMED = 5


@dataclass
class CheckedRow:
    """A row whose code is well formed and inside the jurisdiction, with its values parsed."""

    record: RegionRecord
    code: str
    level: str
    parent_code: str | None
    kind: str
    name: str
    population: int
    households: int
    boundary: dict[str, Any] | None
    shape: BaseGeometry | None


@dataclass
class ImportPlan:
    rows: int
    errors: list[RowError] = field(default_factory=list)
    creates: list[CheckedRow] = field(default_factory=list)
    updates: list[tuple[CheckedRow, int]] = field(default_factory=list)  # with the region's id
    unchanged: int = 0
    # Region ids by code for the parents and rows that already exist.
    known_ids: dict[str, int] = field(default_factory=dict)
    outside_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for value in values:
        batch.append(value)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _count(value: Any) -> int | None:
    """A population or household figure: a whole number from 0 to MAX_COUNT, else None."""
    number: int
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _DIGITS.match(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 0 <= number <= MAX_COUNT else None


def _inside(child: BaseGeometry, parent: BaseGeometry) -> bool:
    # The prepared `contains` answers nearly every row; the area test only judges edge noise.
    return bool(parent.contains(child)) or is_inside(child, parent)


def _named(items: list[str], total: int | None = None) -> str:
    """The first _NAMED items, then "and N more" up to `total` (default: all of `items`)."""
    shown = items[:_NAMED]
    rest = (len(items) if total is None else total) - len(shown)
    text = ", ".join(shown)
    if rest > 0:
        text += " " + _("and %(count)d more") % {"count": rest}
    return text


class _Validator:
    def __init__(self, records: list[RegionRecord], jurisdiction: list[str]) -> None:
        self.records = records
        self.jurisdiction = codes.minimal_cover(jurisdiction)
        self.plan = ImportPlan(rows=len(records))
        self.by_code: dict[str, CheckedRow] = {}
        self.existing: dict[str, dict[str, Any]] = {}
        self.db_parents: dict[str, dict[str, Any]] = {}
        self._db_shapes: dict[str, BaseGeometry | None] = {}

    def fail(self, record: RegionRecord, problem: str, reason: str) -> None:
        self.plan.errors.append(RowError(record.row, record.where, record.code, problem, reason))

    def within(self, code: str) -> bool:
        return any(codes.is_within(code, top) for top in self.jurisdiction)

    def run(self) -> ImportPlan:
        rows = [row for row in map(self.check_row, self.records) if row is not None]
        self.check_duplicates(rows)
        self.load_tree()
        self.check_parents()
        self.check_existing_children()
        self.check_overlaps()
        self.plan_changes()
        self.plan.errors.sort(key=lambda error: error.row)
        return self.plan

    # --- each row on its own ----------------------------------------------------------------

    def check_row(self, record: RegionRecord) -> CheckedRow | None:
        for problem in record.problems:
            self.fail(record, "unreadable_row", problem)
        if record.problems:
            return None
        code = record.code
        if not codes.is_valid_code(code):
            reason = _("malformed code %(code)r: 6, 9, 12, 15 or 18 digits are expected") % {
                "code": code
            }
            if looks_like_excel_number(code):
                reason += " " + _(
                    "(a spreadsheet turned it into a number: format the column as text)"
                )
            self.fail(record, "malformed_code", reason)
            return None
        if not self.within(code):
            self.plan.outside_rows += 1
            self.fail(record, "outside_jurisdiction", _("outside your jurisdiction"))
            return None
        level = codes.level_of(code)
        if record.level and record.level != level:
            self.fail(
                record,
                "level_mismatch",
                _("level %(given)s does not match a code of %(digits)d digits (%(expected)s)")
                % {"given": record.level, "digits": len(code), "expected": level},
            )
        parent_code = codes.parent_code(code)
        self.check_parent_code(record, parent_code)
        kind = record.kind
        if kind not in KINDS_BY_LEVEL.get(level, _PLAIN_ONLY):
            allowed = sorted(value for value in KINDS_BY_LEVEL.get(level, _PLAIN_ONLY) if value)
            self.fail(
                record,
                "bad_kind",
                _("kind %(kind)r does not fit level %(level)s (allowed: %(allowed)s)")
                % {"kind": kind, "level": level, "allowed": ", ".join(allowed) or _("none")},
            )
        name = record.name.strip()
        if not name:
            self.fail(record, "bad_name", _("a name is required"))
        elif len(name) > NAME_MAX_LENGTH:
            self.fail(
                record,
                "bad_name",
                _("the name is longer than %(max)d characters") % {"max": NAME_MAX_LENGTH},
            )
        figures = {}
        for label, value in (("population", record.population), ("households", record.households)):
            figures[label] = _count(value)
            if figures[label] is None:
                self.fail(
                    record,
                    "bad_number",
                    _("%(field)s must be a whole number from 0 to %(max)d, not %(value)r")
                    % {"field": label, "max": MAX_COUNT, "value": value},
                )
        boundary, shape = self.check_boundary(record)
        return CheckedRow(
            record=record,
            code=code,
            level=level,
            parent_code=parent_code,
            kind=kind,
            name=name,
            population=figures["population"] or 0,
            households=figures["households"] or 0,
            boundary=boundary,
            shape=shape,
        )

    def check_parent_code(self, record: RegionRecord, expected: str | None) -> None:
        given = record.parent_code
        if not given or given == expected:
            return
        if expected is None:
            reason = _("a county has no parent, but parent_code is %(parent)s")
        elif not record.code.startswith(given):
            reason = _("the code is not under its parent's code %(parent)s")
        else:
            reason = _("parent %(parent)s is not exactly one level up (expected %(expected)s)")
        self.fail(record, "not_under_parent", reason % {"parent": given, "expected": expected})

    def check_boundary(
        self, record: RegionRecord
    ) -> tuple[dict[str, Any] | None, BaseGeometry | None]:
        boundary = record.boundary
        if boundary is None:
            return None, None
        if isinstance(boundary, str):
            try:
                boundary = parse_json(boundary)
            except ValueError as error:
                self.fail(
                    record,
                    "invalid_boundary",
                    _("the boundary is not GeoJSON text: %(message)s")
                    % {"message": getattr(error, "msg", str(error))},
                )
                return None, None
        try:
            shape = to_shape(boundary)
        except InvalidBoundary as error:
            self.fail(
                record, "invalid_boundary", _("invalid boundary: %(fault)s") % {"fault": error}
            )
            return None, None
        shapely.prepare(shape)
        return boundary, shape

    # --- the rows together ----------------------------------------------------------------

    def check_duplicates(self, rows: list[CheckedRow]) -> None:
        occurrences: dict[str, list[CheckedRow]] = defaultdict(list)
        for row in rows:
            occurrences[row.code].append(row)
        for code, same in occurrences.items():
            # The first occurrence stands for the code in the later checks, so its children
            # are not also reported as orphans.
            self.by_code[code] = same[0]
            if len(same) == 1:
                continue
            # Each row names at most _NAMED other places: a code repeated n times stays O(n).
            first_places = [row.record.where for row in same[: _NAMED + 1]]
            for index, row in enumerate(same):
                others = [place for i, place in enumerate(first_places) if i != index]
                self.fail(
                    row.record,
                    "duplicate_code",
                    _("duplicate code: also at %(others)s")
                    % {"others": _named(others[:_NAMED], total=len(same) - 1)},
                )

    # --- against the tree -----------------------------------------------------------------

    def load_tree(self) -> None:
        fields = ("id", "region_code", "name", "kind", "boundary", "population", "households")
        for batch in _chunks(self.by_code):
            for values in Region.objects.filter(region_code__in=batch).values(*fields):
                self.existing[values["region_code"]] = values
        wanted = {
            row.parent_code
            for row in self.by_code.values()
            if row.parent_code and row.parent_code not in self.by_code
        }
        for batch in _chunks(sorted(wanted)):
            for region_id, code, boundary in Region.objects.filter(
                region_code__in=batch
            ).values_list("id", "region_code", "boundary"):
                self.db_parents[code] = {"id": region_id, "boundary": boundary}
        self.plan.known_ids = {
            code: values["id"] for code, values in (self.existing | self.db_parents).items()
        }

    def db_shape(self, code: str, boundary: Any) -> BaseGeometry | None:
        if code not in self._db_shapes:
            try:
                shape = to_shape(boundary) if boundary is not None else None
            except InvalidBoundary:
                # A stored boundary that no longer parses: nothing to compare against.
                shape = None
            if shape is not None:
                shapely.prepare(shape)
            self._db_shapes[code] = shape
        return self._db_shapes[code]

    def parent_shape(self, parent_code: str) -> BaseGeometry | None:
        in_file = self.by_code.get(parent_code)
        if in_file is not None:
            return in_file.shape
        stored = self.db_parents.get(parent_code)
        return self.db_shape(parent_code, stored["boundary"]) if stored else None

    def check_parents(self) -> None:
        for row in self.by_code.values():
            parent = row.parent_code
            if parent is None:
                continue
            if parent not in self.by_code and parent not in self.db_parents:
                self.fail(
                    row.record,
                    "parent_missing",
                    _("parent %(parent)s is neither in the file nor in the database")
                    % {"parent": parent},
                )
                continue
            parent_shape = self.parent_shape(parent)
            if (
                row.shape is not None
                and parent_shape is not None
                and not _inside(row.shape, parent_shape)
            ):
                self.fail(
                    row.record,
                    "not_inside_parent",
                    _("the boundary is not inside its parent %(parent)s") % {"parent": parent},
                )

    def check_existing_children(self) -> None:
        """A region whose boundary changes must still hold its stored children not in the file."""
        changed = [
            row
            for row in self.by_code.values()
            if row.shape is not None
            and row.code in self.existing
            and row.level != "micro_grid"
            and row.boundary != self.existing[row.code]["boundary"]
        ]
        outside: dict[str, list[str]] = defaultdict(list)
        for level, parent_rows in self._by_level(changed).items():
            child_level = codes.LEVEL_BY_LENGTH[codes.LENGTH_BY_LEVEL[level] + 3]
            for code, boundary in self._stored_children(child_level, [r.code for r in parent_rows]):
                shape = self.db_shape(code, boundary)
                parent_code = codes.parent_code(code)
                parent_shape = self.by_code[parent_code].shape if parent_code else None
                if (
                    shape is not None
                    and parent_shape is not None
                    and not _inside(shape, parent_shape)
                ):
                    outside[parent_code or ""].append(code)
        for parent_code, children in outside.items():
            self.fail(
                self.by_code[parent_code].record,
                "child_outside",
                _("stored regions not in the file would lie outside this boundary: %(codes)s")
                % {"codes": _named(sorted(children))},
            )

    def _stored_children(
        self, child_level: str, parent_codes: list[str]
    ) -> Iterator[tuple[str, Any]]:
        """Stored regions of `child_level` under `parent_codes` that the file does not replace."""
        by_length: dict[int, list[str]] = defaultdict(list)
        for code in parent_codes:
            by_length[len(code)].append(code)
        others: list[str] = []
        for length, same_length in by_length.items():
            column = codes.SCOPE_COLUMN_BY_LENGTH[length]
            for batch in _chunks(same_length):
                stored = Region.objects.filter(
                    level=child_level, boundary__isnull=False, **{f"{column}__in": batch}
                ).values_list("region_code", flat=True)
                others += [code for code in stored if code not in self.by_code]
        # Codes first, boundaries only for the rows the file does not replace: decoding every
        # sibling's polygon would double the time of a file that re-imports the whole county.
        for batch in _chunks(others):
            yield from Region.objects.filter(region_code__in=batch).values_list(
                "region_code", "boundary"
            )

    @staticmethod
    def _by_level(rows: Iterable[CheckedRow]) -> dict[str, list[CheckedRow]]:
        grouped: dict[str, list[CheckedRow]] = defaultdict(list)
        for row in rows:
            grouped[row.level].append(row)
        return grouped

    def check_overlaps(self) -> None:
        """No two regions of a level overlap: the file's rows and the stored siblings they join."""
        with_shape = [row for row in self.by_code.values() if row.shape is not None]
        for level, level_rows in self._by_level(with_shape).items():
            # Identical boundaries (a column filled down in a spreadsheet) are reported from
            # their groups, and only one of each goes to the STRtree: n copies would otherwise
            # be n² pairwise intersections.
            twins: dict[bytes, list[CheckedRow]] = defaultdict(list)
            for row in level_rows:
                if row.shape is not None:
                    twins[shapely.normalize(row.shape).wkb].append(row)
            clashes: dict[str, list[str]] = defaultdict(list)
            for same in twins.values():
                for row in same[1:]:
                    clashes[row.code].append(self._describe_row(same[0]))
                    clashes[same[0].code].append(self._describe_row(row))
            rows = [same[0] for same in twins.values()]
            parents = sorted({row.parent_code for row in rows if row.parent_code})
            stored = [
                (code, shape)
                for code, boundary in self._stored_children(level, parents)
                if (shape := self.db_shape(code, boundary)) is not None
            ]
            geometries = [row.shape for row in rows if row.shape is not None]
            geometries += [shape for _code, shape in stored]
            for i, j in overlapping_pairs(geometries):
                for mine, other in ((i, j), (j, i)):
                    if mine < len(rows):
                        clashes[rows[mine].code].append(self._describe(other, rows, stored))
            for row in level_rows:
                if row.code in clashes:
                    self.fail(
                        row.record,
                        "overlap",
                        _("the boundary overlaps %(others)s")
                        % {"others": _named(clashes[row.code])},
                    )

    @staticmethod
    def _describe_row(row: CheckedRow) -> str:
        return _("%(code)s (%(where)s)") % {"code": row.code, "where": row.record.where}

    def _describe(
        self, index: int, rows: list[CheckedRow], stored: list[tuple[str, BaseGeometry]]
    ) -> str:
        if index < len(rows):
            return self._describe_row(rows[index])
        code = stored[index - len(rows)][0]
        if not self.within(code):
            return _("a region outside your jurisdiction")
        return _("the stored region %(code)s") % {"code": code}

    # --- what would be written ------------------------------------------------------------

    def plan_changes(self) -> None:
        for row in self.by_code.values():
            stored = self.existing.get(row.code)
            if stored is None:
                self.plan.creates.append(row)
            elif (
                stored["name"],
                stored["kind"],
                stored["boundary"],
                stored["population"],
                stored["households"],
            ) == (row.name, row.kind, row.boundary, row.population, row.households):
                self.plan.unchanged += 1
            else:
                self.plan.updates.append((row, stored["id"]))


def validate_records(records: list[RegionRecord], *, jurisdiction: list[str]) -> ImportPlan:
    """Every fault of every row, and what would be created and updated; reads, never writes."""
    return _Validator(records, jurisdiction).run()
