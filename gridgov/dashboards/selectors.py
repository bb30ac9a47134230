"""The command centre's reads: a region's figures over a period, from the rollups and the region
tree only. Every figure carries the link to the all-cases list that holds exactly its cases
(`cases:all` with the same place, reporting period and filter), so it can be checked by hand."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Length
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gridgov.cases.forms import category_label
from gridgov.cases.models import STATE_LABELS, Channel, HandlingLevel
from gridgov.cases.selectors import category_list
from gridgov.core.access import Perm
from gridgov.core.audit import audit_out_of_jurisdiction
from gridgov.core.codes import (
    GRID_LEN,
    SCOPE_COLUMN_BY_LENGTH,
    TOWN_LEN,
    VILLAGE_LEN,
    is_valid_code,
    is_within,
    minimal_cover,
)
from gridgov.core.errors import NotFound, ValidationFailed
from gridgov.core.scoping import Actor, jurisdiction_q, require_permission
from gridgov.dashboards import buckets, errors
from gridgov.dashboards.models import RegionRollup, RollupState
from gridgov.mediation.models import RiskLevel
from gridgov.mediation.selectors import urgent_risk_count, urgent_risks
from gridgov.regions.locator import current_version
from gridgov.regions.models import Level, Region
from gridgov.regions.public import grid_centroids
from gridgov.regions.selectors import region_children, region_get

# The longest period one overview covers (ten years and a leap day or three).
MAX_PERIOD_DAYS = 3660
PERIOD_CHOICES: list[tuple[str, Any]] = [
    ("today", _("Today")),
    ("7d", _("7 days")),
    ("30d", _("30 days")),
    ("year", _("This year")),
]
DEFAULT_PERIOD = "30d"
# How many slowest and most repeated problems a list shows.
TOP = 5


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included
    key: str  # one of PERIOD_CHOICES, or "range"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError as error:
        raise ValidationFailed.on("period", errors.BAD_PERIOD) from error
    if not 1970 <= day.year <= 2200:
        raise ValidationFailed.on("period", errors.BAD_PERIOD)
    return day


def period_from(
    *, key: str | None, start: str | None = None, end: str | None = None, today: date | None = None
) -> Period:
    """The period a request asks for: a named one, or a range (both ends included); a missing
    one is the last 30 days. ValidationFailed for anything else."""
    today = today or timezone.localdate()
    first, last = _parse_day(start), _parse_day(end)
    if first or last:
        if key not in (None, "", "range"):
            raise ValidationFailed.on("period", errors.BAD_PERIOD)
        first, last = first or last, last or today
        assert first is not None
        if first > last:
            raise ValidationFailed.on("period", errors.BAD_PERIOD)
        if (last - first).days + 1 > MAX_PERIOD_DAYS:
            raise ValidationFailed.on("period", errors.PERIOD_TOO_LONG, days=MAX_PERIOD_DAYS)
        return Period(first, last, "range")
    key = key or DEFAULT_PERIOD
    if key == "today":
        return Period(today, today, key)
    if key == "7d":
        return Period(today - timedelta(days=6), today, key)
    if key == "30d":
        return Period(today - timedelta(days=29), today, key)
    if key == "year":
        return Period(today.replace(month=1, day=1), today, key)
    raise ValidationFailed.on("period", errors.BAD_PERIOD)


def overview_region(*, actor: Actor, code: str | None) -> Region:
    """The region to overview: `code` when the actor may see its cases' figures, else NotFound
    (as for a missing one); without a code, the top of the actor's jurisdiction."""
    codes = require_permission(actor, Perm.DASHBOARD_VIEW)
    if not code:
        code = minimal_cover(codes)[0]
    # The rollups count cases by grid: a micro-grid has no figures of its own.
    if not is_valid_code(code) or len(code) > GRID_LEN:
        raise NotFound(errors.REGION_NOT_FOUND, code=code)
    if not any(is_within(code, own) for own in codes):
        if Region.objects.filter(region_code=code).exists():
            audit_out_of_jurisdiction(
                actor=actor, object_type="region", object_id=code, region_code=code
            )
        raise NotFound(errors.REGION_NOT_FOUND, code=code)
    try:
        return region_get(actor=actor, code=code)
    except NotFound as error:
        raise NotFound(errors.REGION_NOT_FOUND, code=code) from error


@functools.lru_cache(maxsize=16)
def _all_cases_path(script_prefix: str, urlconf: str | None) -> str:
    # An overview links some 140 figures to the list: reversing its address each time was a
    # fifth of the overview's Python. Kept per script prefix and URLconf, as reverse() answers.
    return reverse("cases:all")


def list_href(region_code: str, period: Period, **filters: str) -> str:
    """The all-cases list of the region's cases reported in the period, narrowed by `filters`."""
    params: dict[str, str] = {}
    if len(region_code) >= GRID_LEN:
        params.update(place=region_code[:VILLAGE_LEN], grid=region_code[:GRID_LEN])
    elif len(region_code) >= TOWN_LEN:
        params["place"] = region_code
    params.update(reported_from=period.start.isoformat(), reported_to=period.end.isoformat())
    params.update(filters)
    return f"{_all_cases_path(get_script_prefix(), get_urlconf())}?{urlencode(params)}"


@dataclass
class Figure:
    """One number of the overview and the list that holds its cases."""

    key: str
    label: str
    value: int
    href: str


@dataclass
class Rate:
    """A share (0..1, None when there is nothing to divide) and the figure it is a share of."""

    value: float | None
    of: Figure


@dataclass
class ChildRow:
    code: str
    name: str
    population: int
    received: Figure
    open: Figure
    closed: Figure
    overdue: Figure
    escalated: Figure
    on_time: Rate
    satisfaction: float | None
    open_per_thousand: float | None


@dataclass
class Problem:
    """A category or a place among the slowest or the most repeated."""

    key: str
    name: str
    cases: Figure
    average_days: float | None


@dataclass
class UrgentRisk:
    """An open red or orange risk, shortly: what it is, where, and its page."""

    id: int
    title: str
    level: str
    level_label: str
    place: str
    href: str


@dataclass
class RiskPanel:
    """The region's open red and orange risks: how many (`href` is the risk register narrowed
    the same way) and the most severe and newest few."""

    count: int
    href: str
    items: list[UrgentRisk]


# How many urgent risks the overview lists by name.
RISKS_LISTED = 5


def risk_panel(*, actor: Actor, region: Region) -> RiskPanel | None:
    """The open red and orange risks within the region, or None for an actor who may not see
    the risk register."""
    code = region.region_code
    count = urgent_risk_count(actor=actor, region_code=code)
    if count is None:
        return None
    risks = urgent_risks(actor=actor, region_code=code)[:RISKS_LISTED]
    names = dict(
        Region.objects.filter(region_code__in={risk.region_code for risk in risks}).values_list(
            "region_code", "name"
        )
    )
    levels = dict(RiskLevel.choices)
    return RiskPanel(
        count=count,
        href=f"{reverse('mediation:risks')}?{urlencode({'region': code, 'urgent': '1'})}",
        items=[
            UrgentRisk(
                id=risk.pk,
                title=risk.title,
                level=risk.level,
                level_label=str(levels.get(risk.level, risk.level)),
                place=names.get(risk.region_code, risk.region_code),
                href=reverse("mediation:risk", args=[risk.pk]),
            )
            for risk in risks
        ],
    )


@dataclass
class Summary:
    region: Region
    period: Period
    updated_at: datetime | None
    totals: dict[str, Figure]
    on_time: Rate
    satisfaction: float | None
    rated: Figure
    by_state: list[Figure]
    by_level: list[Figure]
    by_channel: list[Figure]
    by_category: list[tuple[Figure, list[Figure]]]
    where_resolved: list[Rate]
    children: list[ChildRow]
    slowest: list[Problem]
    repeated_categories: list[Problem]
    repeated_places: list[Problem]
    trend: list[tuple[date, int]] = field(default_factory=list)
    interval: str = "day"  # of the trend: each point a day, or a week from its Monday
    # Open red and orange risks now (not only those found in the period); None when the actor
    # may not see the risk register.
    risks: RiskPanel | None = None


_TABLE = RegionRollup._meta.db_table
_CHILD_SUMS = {name: Sum(name) for name in buckets.COLUMNS}


def _scope(region_code: str) -> str:
    return buckets.PLACE if len(region_code) >= GRID_LEN else buckets.TREE


def _buckets_q(period: Period) -> Q:
    """The coarse rows that cover the period exactly: its whole years and months, and its days."""
    condition = Q(pk__in=[])
    for span, starts in buckets.pieces(period.start, period.end).items():
        if starts:
            condition |= Q(span=span, start__in=starts)
    return condition


def rollup_rows(*, region_code: str, period: Period) -> QuerySet[RegionRollup]:
    """The rows counting the cases within the region reported in the period, each once."""
    return RegionRollup.objects.filter(
        _buckets_q(period), region_code=region_code, scope=_scope(region_code)
    )


def _totals(rows: QuerySet[RegionRollup]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for *columns, counts in rows.values_list(*buckets.COLUMNS, "counts"):
        buckets.add(totals, dict(zip(buckets.COLUMNS, columns, strict=True)))
        buckets.add(totals, counts)
    return totals


def _split(totals: Mapping[str, Any], prefix: str) -> dict[str, int]:
    return {name[len(prefix) :]: value for name, value in totals.items() if name.startswith(prefix)}


class _Tally:
    """The sums of a region's rows, split the ways the figures need."""

    def __init__(self, totals: Mapping[str, Any]) -> None:
        self.received = totals.get("cases") or 0
        self.open = totals.get("open") or 0
        self.closed = totals.get("closed") or 0
        self.overdue = totals.get("overdue") or 0
        self.escalated = totals.get("escalated") or 0
        self.closed_on_time = totals.get("closed_on_time") or 0
        self.rated = totals.get("rated") or 0
        self.rating_sum = totals.get("rating_sum") or 0
        self.state: dict[str, int] = defaultdict(int, _split(totals, "s:"))
        self.level: dict[str, int] = defaultdict(int, _split(totals, "l:"))
        self.closed_level: dict[str, int] = defaultdict(int, _split(totals, "cl:"))

    @property
    def on_time(self) -> float | None:
        return self.closed_on_time / self.closed if self.closed else None

    @property
    def satisfaction(self) -> float | None:
        return round(self.rating_sum / self.rated, 2) if self.rated else None


def _headline(tally: _Tally, code: str, period: Period) -> dict[str, Figure]:
    return {
        "received": Figure("received", str(_("Received")), tally.received, list_href(code, period)),
        "open": Figure("open", str(_("Open")), tally.open, list_href(code, period, state="open")),
        "closed": Figure(
            "closed", str(_("Closed")), tally.closed, list_href(code, period, state="closed")
        ),
        "overdue": Figure(
            "overdue", str(_("Overdue")), tally.overdue, list_href(code, period, overdue="on")
        ),
        "escalated": Figure(
            "escalated",
            str(_("Escalated")),
            tally.escalated,
            list_href(code, period, escalated="on"),
        ),
    }


def _child_column(code: str) -> str | None:
    return SCOPE_COLUMN_BY_LENGTH.get(len(code) + 3) if len(code) < GRID_LEN else None


def _children(*, actor: Actor, region: Region, period: Period) -> list[ChildRow]:
    if _child_column(region.region_code) is None:
        return []
    # Their outlines (a town's is hundreds of kilobytes of JSON) are for the map, not the table.
    children = region_children(actor=actor, code=region.region_code).defer("boundary")
    scope = _scope(region.region_code + "000")
    groups = {
        group["region_code"]: group
        for group in RegionRollup.objects.filter(
            _buckets_q(period),
            region_code__in=[child.region_code for child in children],
            scope=scope,
        )
        .order_by()
        .values("region_code")
        .annotate(**_CHILD_SUMS)
    }
    result = []
    for child in children:
        code = child.region_code
        tally = _Tally(groups.get(code, {}))
        figures = _headline(tally, code, period)
        population = child.population or 0
        result.append(
            ChildRow(
                code=code,
                name=child.name,
                population=population,
                received=figures["received"],
                open=figures["open"],
                closed=figures["closed"],
                overdue=figures["overdue"],
                escalated=figures["escalated"],
                on_time=Rate(tally.on_time, figures["closed"]),
                satisfaction=tally.satisfaction,
                open_per_thousand=round(tally.open * 1000 / population, 2) if population else None,
            )
        )
    return result


def _most_repeated_places(code: str, period: Period) -> list[dict[str, Any]]:
    """The places within the region with the most cases reported in the period (the region's
    own place included). One branch per span, each read from its index alone (an OR of them
    would read the table's rows), summed over all the places, the top few kept."""
    branches: list[str] = []
    params: list[str | date] = []
    column = SCOPE_COLUMN_BY_LENGTH[len(code)]
    for span, starts in buckets.pieces(period.start, period.end).items():
        if starts:
            marks = ", ".join(["%s"] * len(starts))
            branches.append(
                f"SELECT region_code, cases, resolved, resolve_seconds FROM {_TABLE}"  # noqa: S608
                f" WHERE {column} = %s AND scope = %s AND span = %s AND start IN ({marks})"
            )
            params += [code, buckets.PLACE, span, *starts]
    query = (
        "SELECT region_code, SUM(cases), SUM(resolved), SUM(resolve_seconds)"  # noqa: S608
        f" FROM ({' UNION ALL '.join(branches)}) AS buckets"
        f" GROUP BY region_code ORDER BY 2 DESC, 1 LIMIT {TOP}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [
            {"region_code": row[0], "cases": row[1], "resolved": row[2], "resolve_seconds": row[3]}
            for row in cursor.fetchall()
        ]


def children_figures(*, actor: Actor, region: Region, period: Period) -> list[ChildRow]:
    """The children's rows of the overview alone (what the map colours by)."""
    return _children(actor=actor, region=region, period=period)


def _average_days(group: Mapping[str, Any]) -> float | None:
    resolved = group["resolved"] or 0
    return round(group["resolve_seconds"] / resolved / 86400, 1) if resolved else None


def default_interval(period: Period) -> str:
    """Days for a short period; weeks past two months, where daily points become noise."""
    return "week" if period.days > WEEKLY_AFTER_DAYS else "day"


def summary(*, actor: Actor, region: Region, period: Period, interval: str = "") -> Summary:
    """The overview of `region` (already checked with `overview_region`) over `period`, its
    trend by `interval` (day or week; by default as `default_interval` chooses)."""
    interval = interval or default_interval(period)
    code = region.region_code
    all_totals = _totals(rollup_rows(region_code=code, period=period))
    tally = _Tally(all_totals)
    totals = _headline(tally, code, period)
    categories = {category.pk: category for category in category_list()}

    resolved, seconds = _split(all_totals, "cr:"), _split(all_totals, "cs:")
    by_category_rows = [
        {
            "category_id": int(key),
            "cases": cases,
            "resolved": resolved.get(key, 0),
            "resolve_seconds": seconds.get(key, 0),
        }
        for key, cases in _split(all_totals, "c:").items()
    ]
    by_leaf = {group["category_id"]: group for group in by_category_rows}
    tops: dict[int, list[Figure]] = defaultdict(list)
    top_counts: dict[int, int] = defaultdict(int)
    for category_id, group in sorted(by_leaf.items(), key=lambda item: -item[1]["cases"]):
        category = categories.get(category_id)
        if category is None:
            continue
        top = category.parent or category
        top_counts[top.pk] += group["cases"]
        if category.parent is not None:
            tops[top.pk].append(
                Figure(
                    category.code,
                    category_label(category),
                    group["cases"],
                    list_href(code, period, category=category.code),
                )
            )
    by_category = [
        (
            Figure(
                categories[top_id].code,
                category_label(categories[top_id]),
                count,
                list_href(code, period, category=categories[top_id].code),
            ),
            tops.get(top_id, []),
        )
        for top_id, count in sorted(top_counts.items(), key=lambda item: -item[1])
    ]
    slowest = sorted(
        (
            Problem(
                categories[group["category_id"]].code,
                category_label(categories[group["category_id"]]),
                Figure(
                    "resolved",
                    str(_("Cases")),
                    group["cases"],
                    list_href(code, period, category=categories[group["category_id"]].code),
                ),
                _average_days(group),
            )
            for group in by_category_rows
            if group["category_id"] in categories and group["resolved"]
        ),
        key=lambda problem: -(problem.average_days or 0),
    )[:TOP]
    repeated_categories = [
        Problem(figure.key, figure.label, figure, None)
        for figure in sorted(
            (leaf for _top, leaves in by_category for leaf in leaves),
            key=lambda figure: -figure.value,
        )[:TOP]
    ]
    place_groups = _most_repeated_places(code, period)
    names = dict(
        Region.objects.filter(region_code__in=[g["region_code"] for g in place_groups]).values_list(
            "region_code", "name"
        )
    )
    repeated_places = [
        Problem(
            group["region_code"],
            names.get(group["region_code"], group["region_code"]),
            Figure(
                "cases", str(_("Cases")), group["cases"], list_href(group["region_code"], period)
            ),
            _average_days(group),
        )
        for group in place_groups
    ]
    levels = dict(HandlingLevel.choices)
    channels = dict(Channel.choices)
    state_time = RollupState.objects.filter(pk=1).values_list("folded_at", flat=True).first()
    return Summary(
        region=region,
        period=period,
        updated_at=state_time,
        totals=totals,
        on_time=Rate(tally.on_time, totals["closed"]),
        satisfaction=tally.satisfaction,
        rated=Figure("rated", str(_("Rated")), tally.rated, list_href(code, period, rated="yes")),
        by_state=[
            Figure(state, str(label), tally.state[state], list_href(code, period, state=state))
            for state, label in STATE_LABELS.items()
            if tally.state.get(state)
        ],
        by_level=[
            Figure(level, str(label), tally.level[level], list_href(code, period, level=level))
            for level, label in levels.items()
        ],
        by_channel=[
            Figure(channel, str(label), count, list_href(code, period, channel=channel))
            for channel, label, count in sorted(
                (
                    (channel, channels.get(channel, channel), count)
                    for channel, count in _split(all_totals, "ch:").items()
                ),
                key=lambda item: -item[2],
            )
        ],
        by_category=by_category,
        where_resolved=[
            Rate(
                tally.closed_level[level] / tally.closed if tally.closed else None,
                Figure(
                    level,
                    str(label),
                    tally.closed_level[level],
                    list_href(code, period, state="closed", level=level),
                ),
            )
            for level, label in levels.items()
        ],
        children=_children(actor=actor, region=region, period=period),
        slowest=slowest,
        repeated_categories=repeated_categories,
        repeated_places=repeated_places,
        trend=series(region_code=code, period=period, measure="received", interval=interval),
        interval=interval,
        risks=risk_panel(actor=actor, region=region),
    )


MEASURE_CHOICES = ("received", "open", "closed", "overdue", "escalated")
WEEKLY_AFTER_DAYS = 62
INTERVALS = ("day", "week")


def series(
    *, region_code: str, period: Period, measure: str, interval: str
) -> list[tuple[date, int]]:
    """The measure for the cases reported each day (or each week, from Monday) of the period;
    every day or week is present, with 0 when nothing was reported."""
    if measure not in MEASURE_CHOICES:
        raise ValidationFailed.on("measure", errors.BAD_MEASURE, measure=measure)
    if interval not in INTERVALS:
        raise ValidationFailed.on("interval", errors.BAD_INTERVAL)
    by_day = dict(
        RegionRollup.objects.filter(
            region_code=region_code,
            scope=_scope(region_code),
            span=buckets.DAY,
            start__gte=period.start,
            start__lte=period.end,
        ).values_list("start", "cases" if measure == "received" else measure)
    )

    points: dict[date, int] = {}
    if interval == "week":
        first = period.start - timedelta(days=period.start.weekday())
        points = {first + timedelta(weeks=n): 0 for n in range((period.end - first).days // 7 + 1)}
        for day, count in by_day.items():
            week = day - timedelta(days=day.weekday())
            points[week] += count or 0
    else:
        points = {period.start + timedelta(days=n): 0 for n in range(period.days)}
        for day, count in by_day.items():
            points[day] += count or 0
    return sorted(points.items())


def series_href(region_code: str, period: Period, point: date, interval: str, measure: str) -> str:
    """The list behind one point of a series (its days, within the period)."""
    start = max(point, period.start)
    end = min(point + timedelta(days=6 if interval == "week" else 0), period.end)
    filters = {
        "received": {},
        "open": {"state": "open"},
        "closed": {"state": "closed"},
        "overdue": {"overdue": "on"},
        "escalated": {"escalated": "on"},
    }[measure]
    return list_href(region_code, Period(start, end, "range"), **filters)


@dataclass
class OpenPoint:
    """A grid's open cases (reported in the period) at the grid's centre, for the map."""

    code: str
    name: str
    lat: float
    lng: float
    open: Figure


# How long the map keeps a region's grid centres (a changed boundary changes the key at once).
CENTRES_SECONDS = 3600


def _centroids_within(code: str) -> dict[str, tuple[float, float]]:
    """The centroids of every grid within the region, kept as one entry of the cache: the
    shared cache holds an entry per grid (a file each on `make run`), and a county's map needs
    a thousand of them (0.4 s of reads)."""
    key = f"gridgov:command:centres:{current_version()}:{code}"
    found: dict[str, tuple[float, float]] | None = cache.get(key)
    if found is None:
        grids = Region.objects.filter(jurisdiction_q([code]), level=Level.GRID).values_list(
            "region_code", flat=True
        )
        found = grid_centroids(grid_codes=set(grids))
        cache.set(key, found, CENTRES_SECONDS)
    return found


def open_case_points(*, region: Region, period: Period) -> list[OpenPoint]:
    """The grids within the region with open cases reported in the period, each at its
    centroid (grids without a boundary are left out), with the list of those cases."""
    code = region.region_code
    counts = dict(
        RegionRollup.objects.filter(
            _buckets_q(period), jurisdiction_q([code]), scope=buckets.PLACE, open__gt=0
        )
        .annotate(code_length=Length("region_code"))
        .filter(code_length=GRID_LEN)
        .order_by()
        .values_list("region_code")
        .annotate(total=Sum("open"))
    )
    within = _centroids_within(code)
    centres = {grid: within[grid] for grid in counts if grid in within}
    names = dict(
        Region.objects.filter(region_code__in=list(centres)).values_list("region_code", "name")
    )
    return [
        OpenPoint(
            code=grid,
            name=names.get(grid, grid),
            lat=lat,
            lng=lng,
            open=Figure(
                "open", str(_("Open")), counts[grid], list_href(grid, period, state="open")
            ),
        )
        for grid, (lat, lng) in sorted(centres.items())
    ]


def child_boundaries(*, actor: Actor, region: Region) -> list[tuple[str, str, Any]]:
    """The region's children's codes, names and boundaries (for the map)."""
    return [
        (child.region_code, child.name, child.boundary)
        for child in region_children(actor=actor, code=region.region_code)
    ]
