"""The monthly scores, recomputed from the records: every grid worker, village and town, each
with its components (value, normalised value, weight, points), ranked among its kind in its town
(workers, villages) or its county (towns). Nothing is typed in: recomputing a month replaces it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gridgov.accounts.selectors import role_holders
from gridgov.assessment import errors
from gridgov.assessment.indicators import MonthFacts, Subject, fact_loaders, registered
from gridgov.assessment.models import Indicator, Score, ScoreComponent, SubjectKind
from gridgov.cases.selectors.measures import (
    TallyBy,
    case_tallies,
    patrol_reports_by_place,
    reports_by_reporter,
)
from gridgov.core.access import Perm, Role
from gridgov.core.audit import audit_record
from gridgov.core.codes import COUNTY_LEN, TOWN_LEN
from gridgov.core.errors import ValidationFailed
from gridgov.core.scoping import require_permission
from gridgov.people.selectors import focus_households_by_grid, visit_facts
from gridgov.regions.selectors import assessed_places

CENT = Decimal("0.01")


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_bounds(month: date) -> tuple[datetime, datetime, date]:
    """The month's first moment, the next month's first moment (local time) and its last day."""
    after = next_month(month)
    start = timezone.make_aware(datetime.combine(month, time.min))
    end = timezone.make_aware(datetime.combine(after, time.min))
    return start, end, after - timedelta(days=1)


def month_facts(*, month: date, now: datetime) -> MonthFacts:
    start, end, last_day = month_bounds(month)
    facts = MonthFacts(month=month, last_day=last_day)
    bounds: dict[str, Any] = {"reported_from": start, "reported_before": end}
    facts.tallies = {
        SubjectKind.WORKER: case_tallies(by=TallyBy.HANDLER, now=now, **bounds),
        SubjectKind.VILLAGE: case_tallies(by=TallyBy.VILLAGE, now=now, **bounds),
        SubjectKind.TOWN: case_tallies(by=TallyBy.TOWN, now=now, **bounds),
    }
    facts.reports = {
        SubjectKind.WORKER: reports_by_reporter(**bounds),
        SubjectKind.VILLAGE: patrol_reports_by_place(by=TallyBy.VILLAGE, **bounds),
        SubjectKind.TOWN: patrol_reports_by_place(by=TallyBy.TOWN, **bounds),
    }
    facts.focus_households = focus_households_by_grid(on=last_day)
    for visit in visit_facts(visited_from=month, visited_until=last_day):
        facts.visited.add(visit.household_id)
        if visit.visited_by_id is not None:
            facts.visited_by.setdefault(visit.visited_by_id, set()).add(visit.household_id)
    for name, loader in fact_loaders().items():
        facts.extra[name] = loader(month, last_day, now)
    return facts


def scored_subjects() -> list[Subject]:
    """Every grid worker (with the grids they work), village and town of the installation."""
    subjects = [
        Subject(
            kind=SubjectKind.WORKER,
            region_code=holder.region_codes[0],
            name=holder.name,
            user_id=holder.user_id,
            grid_codes=holder.region_codes,
            grids=len(holder.region_codes),
        )
        for holder in role_holders(role=Role.GRID_WORKER)
    ]
    subjects += [
        Subject(kind=place.level, region_code=place.region_code, name=place.name, grids=place.grids)
        for place in assessed_places()
    ]
    return subjects


@dataclass(frozen=True)
class Weighed:
    indicator: str
    position: int
    value: float
    numerator: float
    denominator: float | None
    normalised: float | None
    weight: int
    points: Decimal | None


def scheme() -> list[Indicator]:
    """The indicators that count (a weight above 0 and a measure in the registry), in order."""
    known = registered()
    return [
        indicator
        for indicator in Indicator.objects.filter(weight__gt=0).order_by("position", "code")
        if indicator.code in known
    ]


def weigh(facts: MonthFacts, subject: Subject, indicators: Iterable[Indicator]) -> list[Weighed]:
    known = registered()
    weighed = []
    for indicator in indicators:
        measure = known[indicator.code].measure(facts, subject, indicator.target)
        points = (
            None
            if measure.normalised is None
            else (Decimal(measure.normalised) * indicator.weight).quantize(CENT, ROUND_HALF_UP)
        )
        weighed.append(
            Weighed(
                indicator=indicator.code,
                position=indicator.position,
                value=measure.value,
                numerator=measure.numerator,
                denominator=measure.denominator,
                normalised=measure.normalised,
                weight=indicator.weight,
                points=points,
            )
        )
    return weighed


def total_of(components: list[Weighed]) -> Decimal:
    """The points earned out of the weights that applied, as a score out of 100."""
    applied = [c for c in components if c.points is not None]
    weights = sum(c.weight for c in applied)
    if weights == 0:
        return Decimal("0.00")
    earned = sum((c.points for c in applied if c.points is not None), Decimal(0))
    return (earned * 100 / weights).quantize(CENT, ROUND_HALF_UP)


def _rank_scope(subject: Subject) -> str:
    if subject.kind == SubjectKind.TOWN:
        return subject.region_code[:COUNTY_LEN]
    return subject.region_code[:TOWN_LEN]


def _rank(scores: list[Score], scopes: list[str]) -> None:
    """Rank each kind within its scope, highest first; equal totals share a rank (1, 2, 2, 4)."""
    groups: dict[tuple[str, str], list[Score]] = {}
    for score, scope in zip(scores, scopes, strict=True):
        groups.setdefault((score.kind, scope), []).append(score)
    for group in groups.values():
        group.sort(key=lambda s: (-s.total, s.name, s.subject))
        for index, score in enumerate(group):
            previous = group[index - 1] if index else None
            score.rank = previous.rank if previous and previous.total == score.total else index + 1
            score.ranked_among = len(group)


_UPDATED_FIELDS = [
    "kind",
    "user",
    "name",
    "total",
    "rank",
    "ranked_among",
    "computed_at",
    "region_code",
    "county_code",
    "town_code",
    "village_code",
    "grid_code",
]


def _save(month: date, scores: list[Score]) -> None:
    """Write the month's scores over the ones computed before, keeping each subject's row (its
    page's address stays), and remove those of subjects no longer scored."""
    existing = {s.subject: s.pk for s in Score.objects.select_for_update().filter(month=month)}
    new = []
    kept = []
    for score in scores:
        pk = existing.pop(score.subject, None)
        if pk is None:
            new.append(score)
        else:
            score.pk = pk
            kept.append(score)
    Score.objects.filter(pk__in=list(existing.values())).delete()
    Score.objects.bulk_update(kept, _UPDATED_FIELDS, batch_size=500)
    Score.objects.bulk_create(new, batch_size=500)


def scores_compute(*, month: date, now: datetime | None = None) -> int:
    """Recompute every score of `month` from the records (over the month's); how many."""
    month = month_start(month)
    now = now or timezone.now()
    indicators = scheme()
    facts = month_facts(month=month, now=now)
    scores: list[Score] = []
    scopes: list[str] = []
    parts: list[list[Weighed]] = []
    for subject in scored_subjects():
        components = weigh(facts, subject, indicators)
        score = Score(
            month=month,
            kind=subject.kind,
            subject=f"user:{subject.user_id}" if subject.user_id else subject.region_code,
            user_id=subject.user_id,
            name=subject.name[:64],
            total=total_of(components),
            rank=0,
            ranked_among=0,
            computed_at=now,
        )
        score.set_region_code(subject.region_code)
        scores.append(score)
        scopes.append(_rank_scope(subject))
        parts.append(components)
    _rank(scores, scopes)
    with transaction.atomic():
        _save(month, scores)
        ScoreComponent.objects.filter(score__month=month).delete()
        ScoreComponent.objects.bulk_create(
            [
                ScoreComponent(
                    score_id=score.pk,
                    indicator=c.indicator,
                    position=c.position,
                    value=c.value,
                    numerator=c.numerator,
                    denominator=c.denominator,
                    normalised=c.normalised,
                    weight=c.weight,
                    points=c.points,
                )
                for score, components in zip(scores, parts, strict=True)
                for c in components
            ],
            batch_size=1000,
        )
    return len(scores)


def scores_recompute(*, actor: Any, month: date) -> int:
    """Recompute a month's scores now, on demand (whoever sees scores may: they are recomputed
    from the records, so the same records give the same scores). Audited."""
    allowed = require_permission(actor, Perm.ASSESSMENT_VIEW)
    month = month_start(month)
    if month > timezone.localdate():
        raise ValidationFailed.on("month", errors.FUTURE_MONTH)
    count = scores_compute(month=month)
    audit_record(
        actor=actor,
        action="assessment.recompute",
        object_type="scores",
        object_id=month.strftime("%Y-%m"),
        region_code=allowed[0] if allowed else "",
        detail={"scores": count},
    )
    return count
