"""The coarse rollups: the fine rows (grid x day x category x channel x state x level x
timeliness) projected onto one row per region and calendar bucket (a day, a month, a year), each
with the figures the overview sums. A long period reads its whole years and months and only the
days at its ends, so a county over ten years is about ninety rows, not one row per case.

Each region has a "tree" row (every case within it: county, town, village) and each case's own
place (its grid, or the smallest region above it) a "place" row (the cases placed exactly
there): a grid's tree is its place, and the most repeated places are places."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from gridgov.cases.states import OPEN_STATES, State
from gridgov.core.codes import COUNTY_LEN, GRID_LEN, TOWN_LEN, VILLAGE_LEN

DAY, MONTH, YEAR = "d", "m", "y"
SPANS = (DAY, MONTH, YEAR)
TREE, PLACE = "tree", "place"
# The figures a coarse row holds as columns (summed by the database); the breakdowns by state,
# level, category and channel are in its `counts`, summed in Python over a few rows.
COLUMNS = (
    "cases",
    "open",
    "closed",
    "overdue",
    "escalated",
    "closed_on_time",
    "rated",
    "rating_sum",
    "resolved",
    "resolve_seconds",
)
OPEN = frozenset(state.value for state in OPEN_STATES)

# (scope, region code, span, start of the bucket)
BucketKey = tuple[str, str, str, date]


def bucket_start(day: date, span: str) -> date:
    if span == YEAR:
        return day.replace(month=1, day=1)
    if span == MONTH:
        return day.replace(day=1)
    return day


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def pieces(start: date, end: date) -> dict[str, list[date]]:
    """The fewest buckets that cover start..end (both included) exactly: whole years, whole
    months, and the days left at either end; by span, each a list of bucket starts."""
    found: dict[str, list[date]] = {DAY: [], MONTH: [], YEAR: []}
    day = start
    while day <= end:
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= end:
            found[YEAR].append(day)
            day = date(day.year + 1, 1, 1)
        elif day.day == 1 and _next_month(day) - timedelta(days=1) <= end:
            found[MONTH].append(day)
            day = _next_month(day)
        else:
            found[DAY].append(day)
            day += timedelta(days=1)
    return found


def regions_of(place: str) -> Iterator[tuple[str, str]]:
    """The (scope, code) rows a case placed at `place` counts in."""
    yield PLACE, place
    for length in (COUNTY_LEN, TOWN_LEN, VILLAGE_LEN):
        if len(place) >= length and not (length == len(place) == GRID_LEN):
            yield TREE, place[:length]


def vector(
    *,
    category_id: int,
    channel: str,
    state: str,
    level: str,
    timeliness: str,
    escalated: bool,
    measures: Iterable[int],
) -> dict[str, int]:
    """What cases sharing one fine key add to a coarse row: its columns and its `counts`
    (prefixed "s:", "l:", "cl:", "c:", "cr:", "cs:", "ch:"). `measures` are the fine row's
    (cases, rated, rating_sum, resolved, resolve_seconds)."""
    cases, rated, rating_sum, resolved, resolve_seconds = measures
    closed = cases if state == State.CLOSED else 0
    values = {
        "cases": cases,
        "open": cases if state in OPEN else 0,
        "closed": closed,
        "overdue": cases if timeliness == "overdue" else 0,
        "escalated": cases if escalated else 0,
        "closed_on_time": closed if timeliness == "on_time" else 0,
        "rated": rated,
        "rating_sum": rating_sum,
        "resolved": resolved,
        "resolve_seconds": resolve_seconds,
        f"s:{state}": cases,
        f"l:{level}": cases,
        f"c:{category_id}": cases,
        f"cr:{category_id}": resolved,
        f"cs:{category_id}": resolve_seconds,
        f"ch:{channel}": cases,
    }
    if closed:
        values[f"cl:{level}"] = closed
    return values


def add(into: dict[str, int], values: dict[str, int], sign: int = 1) -> None:
    for name, value in values.items():
        if value:
            total = into.get(name, 0) + sign * value
            if total:
                into[name] = total
            else:
                into.pop(name, None)
