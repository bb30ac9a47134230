"""Read-only figures of a region, computed from the tree (and staff counts given by the caller),
scoped to the actor.

Population and households are kept on grids (the unit the register is collected by), so a
region's figures are the sum over the grids of its subtree; a grid or micro-grid shows its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import Substr

from gridgov.core.access import Role
from gridgov.core.codes import CODE_LENGTHS, GRID_LEN, LENGTH_BY_LEVEL
from gridgov.core.scoping import Actor, jurisdiction_q
from gridgov.regions.models import Level, Region
from gridgov.regions.selectors import region_queryset

# Levels counted below a region, in the order the pages show them.
COUNTED_LEVELS = (Level.TOWN, Level.VILLAGE, Level.GRID, Level.MICRO_GRID)


@dataclass(frozen=True)
class LevelCount:
    level: str
    count: int


@dataclass(frozen=True)
class RegionFigures:
    population: int
    households: int
    # Only the levels below the region, top first.
    counts: list[LevelCount]
    # None when the actor may not see staff here.
    grid_workers: int | None
    info_officers: int | None

    def count_of(self, level: str) -> int:
        return next((item.count for item in self.counts if item.level == level), 0)


def _counts_below(*, actor: Actor, region: Region) -> list[LevelCount]:
    depth = len(region.region_code)
    by_level = dict(
        region_queryset(actor=actor)
        .filter(jurisdiction_q([region.region_code]))
        .exclude(region_code=region.region_code)
        .values_list("level")
        .annotate(count=Count("id"))
        .values_list("level", "count")
    )
    return [
        LevelCount(level=level.value, count=by_level.get(level.value, 0))
        for level in COUNTED_LEVELS
        if LENGTH_BY_LEVEL[level.value] > depth
    ]


def _totals(*, actor: Actor, region: Region) -> tuple[int, int]:
    if len(region.region_code) >= GRID_LEN:
        return region.population, region.households
    totals = (
        region_queryset(actor=actor)
        .filter(jurisdiction_q([region.region_code]), level=Level.GRID)
        .aggregate(population=Sum("population"), households=Sum("households"))
    )
    return totals["population"] or 0, totals["households"] or 0


def region_figures(
    *, actor: Actor, region: Region, staff: Mapping[str, int] | None = None
) -> RegionFigures:
    """Figures of `region`, which the caller got through a scoped selector (`region_get`).

    `staff` counts people by role (from `accounts.selectors.region_staff_counts`, which sits above
    this app); None when the actor may not see staff here.
    """
    population, households = _totals(actor=actor, region=region)
    return RegionFigures(
        population=population,
        households=households,
        counts=_counts_below(actor=actor, region=region),
        grid_workers=None if staff is None else staff.get(Role.GRID_WORKER, 0),
        info_officers=None if staff is None else staff.get(Role.INFO_OFFICER, 0),
    )


@dataclass(frozen=True)
class ChildFigures:
    population: int
    households: int


def children_figures(*, actor: Actor, region: Region) -> dict[str, ChildFigures]:
    """Population and households of each child of `region`, by child code, in one query."""
    child_depth = next(
        (length for length in CODE_LENGTHS if length > len(region.region_code)), None
    )
    if child_depth is None:
        return {}
    scoped = region_queryset(actor=actor).filter(jurisdiction_q([region.region_code]))
    if child_depth > GRID_LEN:
        # Children are micro-grids: each keeps its own figures.
        rows = scoped.filter(level=Level.MICRO_GRID).values_list(
            "region_code", "population", "households"
        )
        return {code: ChildFigures(population, households) for code, population, households in rows}
    grouped = (
        scoped.filter(level=Level.GRID)
        .annotate(child_code=Substr("region_code", 1, child_depth))
        .values("child_code")
        .annotate(population=Sum("population"), households=Sum("households"))
        .values_list("child_code", "population", "households")
    )
    return {
        code: ChildFigures(population or 0, households or 0)
        for code, population, households in grouped
    }
