"""Every read of the region tree, scoped to the actor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length

from gridgov.core.access import Perm
from gridgov.core.audit import audit_out_of_jurisdiction
from gridgov.core.codes import MICRO_GRID_LEN, is_valid_code, minimal_cover
from gridgov.core.errors import NotFound, PermissionDenied
from gridgov.core.scoping import Actor, require_permission, scope_queryset
from gridgov.regions import errors
from gridgov.regions.locator import Location, locate_point
from gridgov.regions.models import Level, Region
from gridgov.regions.names import names_of


def region_queryset(*, actor: Actor) -> QuerySet[Region]:
    return scope_queryset(Region.objects.all(), actor=actor, permission=Perm.REGIONS_VIEW)


def region_list(
    *, actor: Actor, level: str | None = None, parent_code: str | None = None
) -> QuerySet[Region]:
    regions = region_queryset(actor=actor).select_related("parent")
    if level:
        regions = regions.filter(level=level)
    if parent_code:
        regions = regions.filter(parent__region_code=parent_code)
    return regions.order_by("region_code")


def region_get(*, actor: Actor, code: str) -> Region:
    """The region, or NotFound when it is missing or outside the actor's jurisdiction.

    A miss on a region that exists is a refused attempt and goes to the audit log.
    """
    region = (
        region_queryset(actor=actor).select_related("parent").filter(region_code=code).first()
        if is_valid_code(code)
        else None
    )
    if region is None:
        if is_valid_code(code) and Region.objects.filter(region_code=code).exists():
            audit_out_of_jurisdiction(
                actor=actor, object_type="region", object_id=code, region_code=code
            )
        raise NotFound(errors.REGION_NOT_FOUND, code=code)
    return region


def region_children(*, actor: Actor, code: str) -> QuerySet[Region]:
    parent = region_get(actor=actor, code=code)
    return (
        region_queryset(actor=actor)
        .filter(parent=parent)
        .annotate(child_count=Count("children"))
        .order_by("region_code")
    )


def region_top(*, actor: Actor) -> list[Region]:
    """The highest regions the actor may see: where their tree browser starts."""
    codes = require_permission(actor, Perm.REGIONS_VIEW)
    return list(Region.objects.filter(region_code__in=minimal_cover(codes)).order_by("region_code"))


def region_ancestors(*, actor: Actor, region: Region) -> list[Region]:
    """The region's ancestors that the actor may see, top first (for breadcrumbs)."""
    prefixes = [region.region_code[:n] for n in (6, 9, 12, 15) if n < len(region.region_code)]
    return list(
        region_queryset(actor=actor).filter(region_code__in=prefixes).order_by("region_code")
    )


def region_locate(*, actor: Actor, lng: float, lat: float) -> tuple[Location, Region]:
    """Locate a point to its grid; NotFound when that grid is outside the actor's jurisdiction."""
    require_permission(actor, Perm.REGIONS_VIEW)
    location = locate_point(lng=lng, lat=lat)
    region = region_queryset(actor=actor).filter(region_code=location.region_code).first()
    if region is None:
        raise NotFound(errors.OUTSIDE_JURISDICTION)
    return location, region


# Places the case pages name and route by (their permissions are the cases').

CASE_UNIT_LEVELS = [Level.COUNTY, Level.TOWN, Level.VILLAGE]


def region_names(*, actor: Actor, region_codes: set[str]) -> dict[str, str]:
    """Names of the given regions that the actor may see, and of the actor's own ancestors
    (others are shown by code only)."""
    wanted = {code for code in region_codes if code}
    if not wanted:
        return {}
    try:
        regions = scope_queryset(Region.objects.all(), actor=actor, permission=Perm.REGIONS_VIEW)
    except PermissionDenied:
        return {}
    names = dict(regions.filter(region_code__in=wanted).values_list("region_code", "name"))
    # The names of one's own ancestors may show too: a grid worker's cases are handled by the
    # worker's village, which the worker knows by name.
    jurisdiction = actor.jurisdiction_codes(Perm.REGIONS_VIEW)
    ancestors = {
        code for code in wanted - names.keys() if any(own.startswith(code) for own in jurisdiction)
    }
    names.update(names_of(ancestors))
    return names


@dataclass(frozen=True)
class ReportPlace:
    """A place a report can be filed at, named so that a person can tell it from its namesakes:
    "第1网格 · 西关村" (every village has a 第1网格)."""

    code: str
    name: str
    within: str  # the parent's name; empty for a county

    @property
    def label(self) -> str:
        return f"{self.name} · {self.within}" if self.within else self.name


# A longer list than this is searched by name, not scrolled (a county has about 1,400 places).
REPORT_PLACES_MAX = 2000


def _report_place_rows(*, actor: Actor) -> QuerySet[Region]:
    """Places down to grids; micro-grids only for someone who works in one (an information
    officer placed at a micro-grid reports there, and nowhere else)."""
    regions = scope_queryset(Region.objects.all(), actor=actor, permission=Perm.CASES_REPORT)
    own_micro_grids = [
        code for code in actor.jurisdiction_codes(Perm.CASES_REPORT) if len(code) == MICRO_GRID_LEN
    ]
    return regions.filter(~Q(level=Level.MICRO_GRID) | Q(region_code__in=own_micro_grids))


def _places(rows: QuerySet[Region]) -> list[ReportPlace]:
    return [
        ReportPlace(code=code, name=name, within=parent_name or "")
        for code, name, parent_name in rows.values_list("region_code", "name", "parent__name")
    ]


def report_regions(*, actor: Actor) -> list[ReportPlace]:
    """Where the actor may place a report by address: their report jurisdiction, down to grids."""
    rows = _report_place_rows(actor=actor).order_by("region_code")
    return _places(rows[:REPORT_PLACES_MAX])


def report_place_search(*, actor: Actor, query: str, limit: int = 20) -> list[ReportPlace]:
    """Places in the actor's report jurisdiction whose name, or whose parent's name, contains the
    query ("西关" finds the village and its grids); larger places first."""
    query = query.strip()
    if not query:
        return []
    rows = _report_place_rows(actor=actor).filter(
        Q(name__icontains=query) | Q(parent__name__icontains=query)
    )
    # Codes are paths, so a shorter code is a larger place: villages before their grids.
    ordered = rows.annotate(code_length=Length("region_code")).order_by(
        "code_length", "region_code"
    )
    return _places(ordered[:limit])


def case_units(*, actor: Actor) -> list[Region]:
    """The handling units (county, towns, villages) whose queues the actor may open."""
    regions = scope_queryset(Region.objects.all(), actor=actor, permission=Perm.CASES_VIEW)
    return list(regions.filter(level__in=CASE_UNIT_LEVELS).order_by("region_code")[:500])


def case_grids(*, actor: Actor, village_code: str) -> list[Region]:
    """The grids of a village whose cases the actor sees (to narrow a list of cases)."""
    regions = scope_queryset(Region.objects.all(), actor=actor, permission=Perm.CASES_VIEW)
    return list(
        regions.filter(level=Level.GRID, parent__region_code=village_code).order_by("region_code")
    )


def case_unit(*, actor: Actor, code: str) -> Region:
    """A region in the actor's case jurisdiction, or NotFound (outside answers like missing)."""
    if not is_valid_code(code):
        raise NotFound(errors.UNIT_NOT_FOUND)
    regions = scope_queryset(Region.objects.all(), actor=actor, permission=Perm.CASES_VIEW)
    region = regions.filter(region_code=code).first()
    if region is None:
        raise NotFound(errors.UNIT_NOT_FOUND)
    return region


def public_towns_and_villages(*, county_code: str) -> list[tuple[str, str, str, Any]]:
    """(code, name, level, boundary) of the county's towns and villages: public geography, no
    one's data, for the residents' report form (no actor: it is read without a login)."""
    return list(
        Region.objects.filter(county_code=county_code, level__in=[Level.TOWN, Level.VILLAGE])
        .order_by("region_code")
        .values_list("region_code", "name", "level", "boundary")
    )


def public_boundaries(*, region_codes: set[str]) -> list[tuple[str, Any]]:
    """(code, boundary) of the given regions: public geography, read without an actor."""
    return list(
        Region.objects.filter(region_code__in=sorted(region_codes)).values_list(
            "region_code", "boundary"
        )
    )


def region_exists(code: str) -> bool:
    """Whether the tree has a region of this code (another app checks a place it is given)."""
    return Region.objects.filter(region_code=code).exists()


def public_names(*, region_codes: set[str]) -> dict[str, str]:
    """Names of the given regions: public geography, read without an actor."""
    return names_of(region_codes)


# The region tree as a picker shows it: a level at a time, opened down to the chosen region.


@dataclass
class RegionBranch:
    code: str
    name: str
    level: str
    within: str  # the parent's name, for a search's results ("第1网格 · 西关村")
    has_children: bool
    children: list[RegionBranch]  # loaded only on the way to the chosen region

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level in Level.values else self.level


# A search answers with this many places at most; a narrower word finds the rest.
REGION_SEARCH_MAX = 30


def _branches(rows: QuerySet[Region]) -> list[RegionBranch]:
    annotated = rows.annotate(child_count=Count("children")).order_by("region_code")
    return [
        RegionBranch(
            code=code,
            name=name,
            level=level,
            within=parent_name or "",
            has_children=child_count > 0,
            children=[],
        )
        for code, name, level, parent_name, child_count in annotated.values_list(
            "region_code", "name", "level", "parent__name", "child_count"
        )
    ]


def region_branches(
    *, actor: Actor, permission: str, parent_code: str = "", open_to: str = ""
) -> list[RegionBranch]:
    """The regions under `parent_code` in the actor's jurisdiction under `permission`, or the
    jurisdiction's top regions when none is given; each branch on the way to `open_to` comes
    with its children, so a picker shows a region already chosen in its place."""
    regions = scope_queryset(Region.objects.all(), actor=actor, permission=permission)
    if parent_code:
        if not is_valid_code(parent_code) or not regions.filter(region_code=parent_code).exists():
            raise NotFound(errors.REGION_NOT_FOUND, code=parent_code)
        rows = regions.filter(parent__region_code=parent_code)
    else:
        top = minimal_cover(require_permission(actor, permission))
        rows = regions.filter(region_code__in=top)
    branches = _branches(rows)
    # A single top region (a county official's county) is opened at once: its towns are the
    # first choice anyone makes.
    single_top = not parent_code and len(branches) == 1
    for branch in branches:
        on_the_way = open_to.startswith(branch.code) and open_to != branch.code
        if branch.has_children and (on_the_way or single_top):
            branch.children = region_branches(
                actor=actor, permission=permission, parent_code=branch.code, open_to=open_to
            )
    return branches


def region_branch_search(*, actor: Actor, permission: str, query: str) -> list[RegionBranch]:
    """Regions in the jurisdiction whose name, or whose parent's name, contains the query;
    larger places first ("西关" finds the village, then its grids)."""
    query = query.strip()
    if not query:
        return []
    regions = scope_queryset(Region.objects.all(), actor=actor, permission=permission)
    rows = regions.filter(Q(name__icontains=query) | Q(parent__name__icontains=query))
    codes = list(
        rows.annotate(code_length=Length("region_code"))
        .order_by("code_length", "region_code")
        .values_list("region_code", flat=True)[:REGION_SEARCH_MAX]
    )
    found = {
        branch.code: branch for branch in _branches(Region.objects.filter(region_code__in=codes))
    }
    return [found[code] for code in codes if code in found]


@dataclass(frozen=True)
class AssessedPlace:
    """A village or town that is scored, with how many grids it has (for the system: a worker
    recomputes the scores without an actor)."""

    region_code: str
    name: str
    level: str
    grids: int


def assessed_places() -> list[AssessedPlace]:
    """Every town and village of the installation with its number of grids, by code."""
    grids = Count("region_code", filter=Q(level=Level.GRID))
    per_village = dict(
        Region.objects.filter(level=Level.GRID)
        .values("village_code")
        .order_by()
        .annotate(count=grids)
        .values_list("village_code", "count")
    )
    per_town = dict(
        Region.objects.filter(level=Level.GRID)
        .values("town_code")
        .order_by()
        .annotate(count=grids)
        .values_list("town_code", "count")
    )
    rows = Region.objects.filter(level__in=[Level.TOWN, Level.VILLAGE]).order_by("region_code")
    return [
        AssessedPlace(
            region_code=code,
            name=name,
            level=level,
            grids=(per_town if level == Level.TOWN else per_village).get(code, 0),
        )
        for code, name, level in rows.values_list("region_code", "name", "level")
    ]
