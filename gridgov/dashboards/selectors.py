"""The command centre's reads: a region's figures over a period, from the rollups and the region
tree only. Every figure carries the link to the all-cases list that holds exactly its cases
(`cases:all` with the same place, reporting period and filter), so it can be checked by hand."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gridgov.cases.forms import category_label
from gridgov.cases.models import STATE_LABELS, Channel, HandlingLevel
from gridgov.cases.selectors import category_list
from gridgov.cases.states import OPEN_STATES, State
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
from gridgov.dashboards import errors
from gridgov.dashboards.models import CaseRollup, RollupState
from gridgov.regions.models import Region
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


def list_href(region_code: str, period: Period, **filters: str) -> str:
    """The all-cases list of the region's cases reported in the period, narrowed by `filters`."""
    params: dict[str, str] = {}
    if len(region_code) >= GRID_LEN:
        params.update(place=region_code[:VILLAGE_LEN], grid=region_code[:GRID_LEN])
    elif len(region_code) >= TOWN_LEN:
        params["place"] = region_code
    params.update(reported_from=period.start.isoformat(), reported_to=period.end.isoformat())
    params.update(filters)
    return f"{reverse('cases:all')}?{urlencode(params)}"


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


_MEASURES = {
    "cases": Sum("cases"),
    "rated": Sum("rated"),
    "rating_sum": Sum("rating_sum"),
    "resolved": Sum("resolved"),
    "resolve_seconds": Sum("resolve_seconds"),
}
_OPEN = {state.value for state in OPEN_STATES}


def rollup_rows(*, region_code: str, period: Period) -> QuerySet[CaseRollup]:
    return CaseRollup.objects.filter(
        jurisdiction_q([region_code]), day__gte=period.start, day__lte=period.end
    )


def _grouped(rows: QuerySet[CaseRollup], *fields: str) -> list[dict[str, Any]]:
    return list(rows.order_by().values(*fields).annotate(**_MEASURES))


class _Tally:
    """Sums of the measures over groups, split the ways the figures need."""

    def __init__(self, groups: Iterable[dict[str, Any]]) -> None:
        self.received = self.open = self.closed = self.overdue = self.escalated = 0
        self.closed_on_time = self.rated = self.rating_sum = 0
        self.state: dict[str, int] = defaultdict(int)
        self.closed_level: dict[str, int] = defaultdict(int)
        self.level: dict[str, int] = defaultdict(int)
        for group in groups:
            cases = group["cases"] or 0
            self.received += cases
            self.open += cases if group["state"] in _OPEN else 0
            self.overdue += cases if group["timeliness"] == "overdue" else 0
            self.escalated += cases if group["escalated"] else 0
            self.rated += group["rated"] or 0
            self.rating_sum += group["rating_sum"] or 0
            self.state[group["state"]] += cases
            self.level[group["level"]] += cases
            if group["state"] == State.CLOSED:
                self.closed += cases
                self.closed_level[group["level"]] += cases
                self.closed_on_time += cases if group["timeliness"] == "on_time" else 0

    @property
    def on_time(self) -> float | None:
        return self.closed_on_time / self.closed if self.closed else None

    @property
    def satisfaction(self) -> float | None:
        return round(self.rating_sum / self.rated, 2) if self.rated else None


_SPLIT = ("state", "level", "timeliness", "escalated")


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


def _children(
    *, actor: Actor, region: Region, rows: QuerySet[CaseRollup], period: Period
) -> list[ChildRow]:
    column = _child_column(region.region_code)
    if column is None:
        return []
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for group in _grouped(rows, column, *_SPLIT):
        groups[group[column]].append(group)
    result = []
    for child in region_children(actor=actor, code=region.region_code):
        code = child.region_code
        tally = _Tally(groups.get(code, []))
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


def _average_days(group: dict[str, Any]) -> float | None:
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
    rows = rollup_rows(region_code=code, period=period)
    tally = _Tally(_grouped(rows, *_SPLIT))
    totals = _headline(tally, code, period)
    categories = {category.pk: category for category in category_list()}

    by_category_rows = _grouped(rows, "category_id")
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
    place_groups = sorted(
        _grouped(rows, "region_code"), key=lambda group: (-group["cases"], group["region_code"])
    )[:TOP]
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
                    (
                        group["channel"],
                        channels.get(group["channel"], group["channel"]),
                        group["cases"],
                    )
                    for group in _grouped(rows, "channel")
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
        children=_children(actor=actor, region=region, rows=rows, period=period),
        slowest=slowest,
        repeated_categories=repeated_categories,
        repeated_places=repeated_places,
        trend=series(region_code=code, period=period, measure="received", interval=interval),
        interval=interval,
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
    rows = rollup_rows(region_code=region_code, period=period)
    if measure == "open":
        rows = rows.filter(state__in=sorted(_OPEN))
    elif measure == "closed":
        rows = rows.filter(state=State.CLOSED)
    elif measure == "overdue":
        rows = rows.filter(timeliness="overdue")
    elif measure == "escalated":
        rows = rows.filter(escalated=True)
    by_day = dict(rows.order_by().values_list("day").annotate(total=Sum("cases")))

    def bucket(day: date) -> date:
        return day - timedelta(days=day.weekday()) if interval == "week" else day

    points: dict[date, int] = {}
    day = period.start
    while day <= period.end:
        points[bucket(day)] = points.get(bucket(day), 0) + (by_day.get(day) or 0)
        day += timedelta(days=1)
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


def child_boundaries(*, actor: Actor, region: Region) -> list[tuple[str, str, Any]]:
    """The region's children's codes, names and boundaries (for the map)."""
    return [
        (child.region_code, child.name, child.boundary)
        for child in region_children(actor=actor, code=region.region_code)
    ]
