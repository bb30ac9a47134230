"""The indicator registry: every measure a scoring scheme may weigh, how it is counted from the
records for a grid worker, a village or a town, and where the records behind it are listed.

The county's scheme (`models.Indicator`) stores only each indicator's weight and target; what an
indicator means is here, in code, so a score is always recomputed the same way. Another app's
measure (patrol coverage, trainings attended) is one more `register` call with its facts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gridgov.activities.selectors import PatrolCoverage, patrol_coverage
from gridgov.assessment.models import SubjectKind
from gridgov.cases.selectors.measures import CaseTally
from gridgov.trainings import links as training_links
from gridgov.trainings.selectors import attended_by_place, attended_by_user


class Shape(StrEnum):
    COUNT = "count"  # a count against a monthly target per grid: full marks at the target
    RATE = "rate"  # a share of a denominator, 0..1
    AVERAGE = "average"  # residents' average rating, 1..5, out of 5


@dataclass(frozen=True)
class Subject:
    """Who is scored: a grid worker (with the grids they work) or a village or town."""

    kind: str
    region_code: str  # the worker's first grid, or the place's own code
    name: str
    user_id: int | None = None
    grid_codes: tuple[str, ...] = ()
    grids: int = 0  # how many grids: the worker's, or the place's

    @property
    def key(self) -> object:
        """The key the month's facts are grouped by: the worker's id, or the place's code."""
        return self.user_id if self.kind == SubjectKind.WORKER else self.region_code


def subject_of(score: Any) -> Subject:
    """The subject of a stored score, enough to link to its records."""
    return Subject(
        kind=score.kind, region_code=score.region_code, name=score.name, user_id=score.user_id
    )


@dataclass
class MonthFacts:
    """What the month's records say, grouped once for every subject (see `scoring`)."""

    month: date
    last_day: date
    tallies: dict[str, Mapping[Any, CaseTally]] = field(default_factory=dict)  # by subject kind
    reports: dict[str, Mapping[Any, int]] = field(default_factory=dict)  # by subject kind
    # Households with a focus-group member: household id -> grid code.
    focus_households: dict[int, str] = field(default_factory=dict)
    # Households visited in the month: by anyone, and by each account.
    visited: set[int] = field(default_factory=set)
    visited_by: dict[int, set[int]] = field(default_factory=dict)
    # What another app's indicators read, loaded by the loaders registered with them.
    extra: dict[str, Any] = field(default_factory=dict)

    def tally(self, subject: Subject) -> CaseTally:
        return self.tallies.get(subject.kind, {}).get(subject.key, CaseTally())


@dataclass(frozen=True)
class Measure:
    value: float
    numerator: float
    denominator: float | None  # a rate's denominator, a count's target; None: no target
    normalised: float | None  # 0..1; None: not applicable this month

    @classmethod
    def rate(cls, numerator: int, denominator: int) -> Measure:
        if denominator <= 0:
            return cls(0.0, numerator, denominator, None)
        share = numerator / denominator
        return cls(share, numerator, denominator, share)

    @classmethod
    def count(cls, count: int, target: int) -> Measure:
        if target <= 0:
            return cls(count, count, None, None)
        return cls(count, count, target, min(1.0, count / target))


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    label: str | Promise
    # How it is counted, as the score page explains it.
    explanation: str | Promise
    shape: Shape
    default_weight: int
    default_target: int
    measure: Callable[[MonthFacts, Subject, int], Measure]
    # Where the records behind it are listed (a page), for a subject and a month.
    records: Callable[[Subject, date, date], str]
    # The same records through API v1, where the API lists them.
    api_records: Callable[[Subject, date, date], str] | None = None


_REGISTRY: dict[str, IndicatorSpec] = {}
# name -> loader(first day, last day, now): the facts an indicator reads from facts.extra[name].
FactLoader = Callable[[date, date, datetime], Any]
_LOADERS: dict[str, FactLoader] = {}


def register(spec: IndicatorSpec, *, facts: dict[str, FactLoader] | None = None) -> None:
    """Add an indicator (with the loaders of the month's facts it reads, if any). The scheme's
    row for it (its weight) comes with a data migration, weighted 0 until the county sets it."""
    _REGISTRY[spec.code] = spec
    _LOADERS.update(facts or {})


def fact_loaders() -> dict[str, FactLoader]:
    return dict(_LOADERS)


def registered() -> dict[str, IndicatorSpec]:
    return dict(_REGISTRY)


def spec_of(code: str) -> IndicatorSpec | None:
    return _REGISTRY.get(code)


# --- links to the records -------------------------------------------------------------------


def _case_page(subject: Subject, first: date, last: date, **extra: Any) -> str:
    params: dict[str, Any] = {
        "reported_from": first.isoformat(),
        "reported_to": last.isoformat(),
    }
    if subject.kind != SubjectKind.WORKER:
        params["place"] = subject.region_code
    params.update(extra)
    return f"{reverse('cases:all')}?{urlencode(params)}"


def _midnight(day: date) -> str:
    return timezone.make_aware(datetime.combine(day, time.min)).isoformat()


def _case_api(subject: Subject, first: date, last: date, **extra: Any) -> str:
    params: dict[str, Any] = {
        "reported_from": _midnight(first),
        "reported_before": _midnight(last + timedelta(days=1)),
    }
    if subject.kind != SubjectKind.WORKER:
        params["region"] = subject.region_code
    params.update(extra)
    return f"{reverse('cases-api:case-list')}?{urlencode(params)}"


def _reports_page(subject: Subject, first: date, last: date) -> str:
    if subject.kind == SubjectKind.WORKER:
        return _case_page(subject, first, last, reporter=subject.user_id)
    return _case_page(subject, first, last, channel="grid_patrol")


def _reports_api(subject: Subject, first: date, last: date) -> str:
    if subject.kind == SubjectKind.WORKER:
        return _case_api(subject, first, last, reporter_id=subject.user_id)
    return _case_api(subject, first, last, channel="grid_patrol")


def _handled_page(**extra: Any) -> Callable[[Subject, date, date], str]:
    def link(subject: Subject, first: date, last: date) -> str:
        person = {"handler": subject.user_id} if subject.kind == SubjectKind.WORKER else {}
        return _case_page(subject, first, last, handled="on", **person, **extra)

    return link


def _handled_api(**extra: Any) -> Callable[[Subject, date, date], str]:
    def link(subject: Subject, first: date, last: date) -> str:
        person = {"assignee_id": subject.user_id} if subject.kind == SubjectKind.WORKER else {}
        return _case_api(subject, first, last, handled="true", **person, **extra)

    return link


def _visits_page(subject: Subject, first: date, last: date) -> str:
    params: dict[str, Any] = {"month": first.strftime("%Y-%m"), "region": subject.region_code}
    if subject.kind == SubjectKind.WORKER:
        params["by"] = subject.user_id
    return f"{reverse('assessment:visits')}?{urlencode(params)}"


def _patrols_page(subject: Subject, first: date, last: date) -> str:
    """The month's finished patrols: the worker's own, or all those in the place."""
    params: dict[str, Any] = {
        "kind": "patrol",
        "since": first.isoformat(),
        "until": last.isoformat(),
        "finished": "on",
    }
    if subject.kind == SubjectKind.WORKER:
        params["by"] = subject.user_id
    else:
        params["region"] = subject.region_code
    return f"{reverse('activities:list')}?{urlencode(params)}"


# --- the measures ---------------------------------------------------------------------------


def _reports_made(facts: MonthFacts, subject: Subject, target: int) -> Measure:
    count = facts.reports.get(subject.kind, {}).get(subject.key, 0)
    return Measure.count(count, target * subject.grids)


def _on_time(facts: MonthFacts, subject: Subject, target: int) -> Measure:
    tally = facts.tally(subject)
    return Measure.rate(tally.on_time, tally.handled)


def _resolution(facts: MonthFacts, subject: Subject, target: int) -> Measure:
    tally = facts.tally(subject)
    return Measure.rate(tally.resolved, tally.handled)


def _verified(facts: MonthFacts, subject: Subject, target: int) -> Measure:
    tally = facts.tally(subject)
    return Measure.rate(tally.verified, tally.resolved)


def _satisfaction(facts: MonthFacts, subject: Subject, target: int) -> Measure:
    tally = facts.tally(subject)
    if tally.rated == 0:
        return Measure(0.0, 0, 0, None)
    average = tally.rating_sum / tally.rated
    return Measure(average, tally.rating_sum, tally.rated, average / 5)


def _within(code: str, subject: Subject) -> bool:
    if subject.kind == SubjectKind.WORKER:
        return code in subject.grid_codes
    return code.startswith(subject.region_code)


def _focus_visits(facts: MonthFacts, subject: Subject, target: int) -> Measure:
    households = {h for h, grid in facts.focus_households.items() if _within(grid, subject)}
    if subject.kind == SubjectKind.WORKER:
        visited = facts.visited_by.get(subject.user_id or 0, set())
    else:
        visited = facts.visited
    return Measure.rate(len(households & visited), len(households))


register(
    IndicatorSpec(
        code="reports_made",
        label=_("Reports made"),
        explanation=_(
            "Cases reported in the month: by the worker themselves, or for a village or town by "
            "its grid patrols; full marks at the monthly target for each grid."
        ),
        shape=Shape.COUNT,
        default_weight=20,
        default_target=6,
        measure=_reports_made,
        records=_reports_page,
        api_records=_reports_api,
    )
)
register(
    IndicatorSpec(
        code="on_time",
        label=_("Handled on time"),
        explanation=_(
            "Of the cases reported in the month and handled by the worker (dispatched to them) "
            "or the place, the share neither overdue now nor resolved after their deadline."
        ),
        shape=Shape.RATE,
        default_weight=20,
        default_target=0,
        measure=_on_time,
        records=_handled_page(),
        api_records=_handled_api(),
    )
)
register(
    IndicatorSpec(
        code="resolution",
        label=_("Resolution rate"),
        explanation=_("Of the same cases, the share resolved (resolved, verified or closed)."),
        shape=Shape.RATE,
        default_weight=15,
        default_target=0,
        measure=_resolution,
        records=_handled_page(),
        api_records=_handled_api(),
    )
)
register(
    IndicatorSpec(
        code="verified",
        label=_("Verified rate"),
        explanation=_(
            "Of the cases resolved, the share someone other than the handler verified "
            "(verified or closed)."
        ),
        shape=Shape.RATE,
        default_weight=10,
        default_target=0,
        measure=_verified,
        records=_handled_page(),
        api_records=_handled_api(),
    )
)
register(
    IndicatorSpec(
        code="satisfaction",
        label=_("Residents' satisfaction"),
        explanation=_(
            "The residents' average rating (1 to 5) of the same cases, out of 5; only the rated "
            "cases count."
        ),
        shape=Shape.AVERAGE,
        default_weight=15,
        default_target=0,
        measure=_satisfaction,
        records=_handled_page(rated="yes"),
        api_records=_handled_api(rated="true"),
    )
)
register(
    IndicatorSpec(
        code="focus_visits",
        label=_("Focus-group households visited"),
        explanation=_(
            "Of the households with a focus-group member in the worker's grids (or the place), "
            "the share visited in the month (by the worker, or by anyone for a place)."
        ),
        shape=Shape.RATE,
        default_weight=20,
        default_target=0,
        measure=_focus_visits,
        records=_visits_page,
    )
)


# --- patrol coverage, from the front lines' patrols -------------------------------------------

PATROLS = "patrols"


def _patrols_of_month(first: date, last: date, now: datetime) -> dict[int, PatrolCoverage]:
    """The month's finished patrols of the installation, by recorder, with the grids checked in."""
    since = timezone.make_aware(datetime.combine(first, time.min))
    until = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return patrol_coverage(scope_code="", since=since, until=until)


def _patrol_coverage(facts: MonthFacts, subject: Subject, target: int) -> Measure:
    coverage: dict[int, PatrolCoverage] = facts.extra.get(PATROLS, {})
    if subject.kind == SubjectKind.WORKER:
        own = coverage.get(subject.user_id or 0)
        covered = (own.grids if own else set()) & set(subject.grid_codes)
        return Measure.rate(len(covered), len(subject.grid_codes))
    # A place's grid counts whoever walked it (a worker standing in for another, say).
    covered = {
        grid
        for walked in coverage.values()
        for grid in walked.grids
        if grid.startswith(subject.region_code)
    }
    return Measure.rate(len(covered), subject.grids)


# --- trainings attended (the trainings app's records) ----------------------------------------


def _trainings_attended(facts: MonthFacts, subject: Subject, target: int) -> Measure:
    if subject.kind == SubjectKind.WORKER:
        count = facts.extra["trainings_by_user"].get(subject.user_id, 0)
        return Measure.count(count, target)
    count = facts.extra["trainings_by_place"].get(subject.region_code, 0)
    return Measure.count(count, target * subject.grids)


def _trainings_filters(subject: Subject, first: date, last: date) -> dict[str, Any]:
    person: dict[str, Any] = (
        {"user_id": subject.user_id}
        if subject.kind == SubjectKind.WORKER
        else {"region_code": subject.region_code}
    )
    return {"held_from": first, "held_to": last, **person}


def _trainings_page(subject: Subject, first: date, last: date) -> str:
    return training_links.attendance_page(**_trainings_filters(subject, first, last))


def _trainings_api(subject: Subject, first: date, last: date) -> str:
    return training_links.attendance_api(**_trainings_filters(subject, first, last))


register(
    IndicatorSpec(
        code="patrol_coverage",
        label=_("Patrol coverage"),
        explanation=_(
            "Of the worker's grids (or the place's), the share with a check-in on a patrol "
            "finished in the month (the worker's own patrols, or anyone's for a place)."
        ),
        shape=Shape.RATE,
        default_weight=0,
        default_target=0,
        measure=_patrol_coverage,
        records=_patrols_page,
    ),
    facts={PATROLS: _patrols_of_month},
)


register(
    IndicatorSpec(
        code="trainings_attended",
        label=_("Trainings attended"),
        explanation=_(
            "Training sessions the worker attended in the month (as a member of any team), full "
            "marks at the monthly target; for a village or town, the attendances of the people "
            "serving there, full marks at the target for each grid."
        ),
        shape=Shape.COUNT,
        default_weight=0,
        default_target=1,
        measure=_trainings_attended,
        records=_trainings_page,
        api_records=_trainings_api,
    ),
    facts={
        "trainings_by_user": lambda first, last, now: attended_by_user(first=first, last=last),
        "trainings_by_place": lambda first, last, now: attended_by_place(first=first, last=last),
    },
)
