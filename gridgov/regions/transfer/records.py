"""What an import reads (one record per CSV line or GeoJSON feature) and what it answers (the report)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


@dataclass
class RegionRecord:
    """One region as read from a file, values still unchecked (validation says what is wrong)."""

    row: int  # the CSV line (the header is line 1) or the feature's index in `features` (from 0)
    code: str
    name: str = ""
    parent_code: str = ""
    level: str = ""
    kind: str = ""
    population: Any = 0
    households: Any = 0
    # A GeoJSON geometry (dict), None, or the GeoJSON text of a CSV cell.
    boundary: Any = None
    row_label: str = "line"  # "line" (CSV) or "feature" (GeoJSON)
    # Faults found while reading the row itself (a feature that is not an object, missing fields).
    problems: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        if self.row_label == "feature":
            return _("feature %(index)d") % {"index": self.row}
        return _("line %(line)d") % {"line": self.row}


@dataclass(frozen=True)
class RowError:
    row: int
    where: str
    code: str
    problem: str  # a stable slug for programs: "duplicate_code", "overlap", ...
    reason: str  # a sentence for people, translated

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "where": self.where,
            "code": self.code,
            "problem": self.problem,
            "reason": self.reason,
        }


@dataclass
class ImportReport:
    """The outcome of an import or a dry run. Counts say what was (or would be) written."""

    dry_run: bool
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "written": self.written,
            "rows": self.rows,
            "bad_rows": self.bad_rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [error.as_dict() for error in self.errors],
        }

    def summary(self) -> str:
        if not self.ok:
            return _("%(bad)d of %(rows)d rows are bad; nothing was written.") % {
                "bad": self.bad_rows,
                "rows": self.rows,
            }
        counts = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            return (
                _(
                    "Dry run: all rows are good; %(created)d would be created, "
                    "%(updated)d updated, %(unchanged)d unchanged. Nothing was written."
                )
                % counts
            )
        return (
            _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % counts
        )
