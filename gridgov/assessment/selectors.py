"""Every read of supervision and assessment, scoped to the actor: scores and rankings, the
scheme, supervision orders (and the lists of those waiting on someone), package responsibility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from gridgov.assessment import errors
from gridgov.assessment.models import (
    Indicator,
    OrderState,
    PackageKind,
    Responsibility,
    Score,
    ScoreComponent,
    SupervisionOrder,
)
from gridgov.cases.selectors.measures import CaseBrief, OpenWork, case_briefs, open_work
from gridgov.core.access import Perm, role_grants
from gridgov.core.audit import audit_out_of_jurisdiction
from gridgov.core.codes import is_valid_code
from gridgov.core.errors import NotFound
from gridgov.core.scoping import Actor, jurisdiction_q, scope_queryset
from gridgov.mediation.selectors import (
    RiskBrief,
    open_risk_counts,
    risk_briefs,
    risks_answered_by,
)


@dataclass(frozen=True)
class ScoreFilters:
    month: date
    region_code: str = ""  # the scores of this place and the places below it
    kind: str = ""


def _with_components(scores: QuerySet[Score]) -> QuerySet[Score]:
    return scores.select_related("user").prefetch_related(
        Prefetch("components", queryset=ScoreComponent.objects.order_by("position", "id"))
    )


def score_list(*, actor: Actor, filters: ScoreFilters) -> QuerySet[Score]:
    """The month's scores in the actor's jurisdiction, by kind (towns, villages, workers), then
    town and rank, each with its components."""
    scores = scope_queryset(Score.objects.all(), actor=actor, permission=Perm.ASSESSMENT_VIEW)
    scores = scores.filter(month=filters.month)
    if filters.region_code:
        if not is_valid_code(filters.region_code):
            return scores.none()
        scores = scores.filter(jurisdiction_q([filters.region_code]))
    if filters.kind:
        scores = scores.filter(kind=filters.kind)
    return _with_components(scores).order_by("-kind", "town_code", "rank", "name", "id")


def score_get(*, actor: Actor, score_id: int) -> Score:
    """The score, or NotFound when missing or outside the actor's jurisdiction (audited)."""
    scores = scope_queryset(Score.objects.all(), actor=actor, permission=Perm.ASSESSMENT_VIEW)
    score = _with_components(scores.filter(pk=score_id)).first()
    if score is None:
        outside = Score.objects.filter(pk=score_id).values_list("region_code", flat=True).first()
        if outside is not None:
            audit_out_of_jurisdiction(
                actor=actor, object_type="score", object_id=str(score_id), region_code=outside
            )
        raise NotFound(errors.SCORE_NOT_FOUND)
    return score


def score_history(*, actor: Actor, score: Score, months: int = 12) -> list[Score]:
    """The same worker's or place's scores of the months up to this one, oldest first."""
    scores = scope_queryset(Score.objects.all(), actor=actor, permission=Perm.ASSESSMENT_VIEW)
    rows = scores.filter(subject=score.subject, month__lte=score.month).order_by("-month")
    return list(reversed(rows[:months]))


def score_months(*, actor: Actor) -> list[date]:
    """The months that have scores in the actor's jurisdiction, newest first."""
    scores = scope_queryset(Score.objects.all(), actor=actor, permission=Perm.ASSESSMENT_VIEW)
    return list(scores.order_by("-month").values_list("month", flat=True).distinct()[:36])


def scheme_indicators() -> list[Indicator]:
    """The scheme's indicators, weighted or not, in order (not personal data: anyone who sees
    scores reads how they are made)."""
    return list(Indicator.objects.order_by("position", "code"))


# --- supervision orders ----------------------------------------------------------------------


class OrderList:
    WAITING_ON_ME = "waiting"
    ISSUED_BY_ME = "issued"
    ALL = "all"


def _unit_codes(actor: Any) -> list[str]:
    """The units an account answers for: the places where it holds a role that responds."""
    return sorted(
        {
            assignment.region_code
            for assignment in actor.active_assignments()
            if role_grants(assignment.role, Perm.SUPERVISION_RESPOND)
        }
    )


def answers_for_unit(actor: Any, code: str) -> bool:
    """Whether the account answers for the unit (holds a responding role at exactly it)."""
    return bool(code) and code in _unit_codes(actor)


def waiting_on(actor: Any) -> Q:
    """The orders waiting on the actor: open ones addressed to them or to a unit they answer
    for, and answered ones they issued (to review)."""
    units = _unit_codes(actor)
    addressed = Q(addressee_id=actor.pk)
    if units:
        addressed |= Q(addressee__isnull=True, addressee_code__in=units)
    return (Q(state=OrderState.OPEN) & addressed) | Q(
        state=OrderState.RESPONDED, issued_by_id=actor.pk
    )


def order_list(*, actor: Any, which: str = OrderList.WAITING_ON_ME) -> QuerySet[SupervisionOrder]:
    """Supervision orders: waiting on the actor, issued by them, or all of their jurisdiction
    (for whoever may see scores there). Deadline first for the waiting ones, newest first else."""
    base = SupervisionOrder.objects.select_related("issued_by", "addressee", "responded_by")
    if which == OrderList.WAITING_ON_ME:
        return base.filter(waiting_on(actor)).order_by("deadline_on", "id")
    if which == OrderList.ISSUED_BY_ME:
        return base.filter(issued_by_id=actor.pk).order_by("-issued_at", "-id")
    scoped = scope_queryset(base, actor=actor, permission=Perm.ASSESSMENT_VIEW)
    return scoped.order_by("-issued_at", "-id")


def order_waiting_count(*, actor: Any) -> int:
    return SupervisionOrder.objects.filter(waiting_on(actor)).count()


def order_get(*, actor: Any, number: str) -> SupervisionOrder:
    """The order, for whoever sees scores where it lies, its addressee and its issuer; NotFound
    otherwise (audited), as for a missing one."""
    base = SupervisionOrder.objects.select_related("issued_by", "addressee", "responded_by")
    order = base.filter(number=number).first()
    if order is not None:
        concerned = order.issued_by_id == actor.pk or order.addressee_id == actor.pk
        if order.addressee_id is None and answers_for_unit(actor, order.addressee_code):
            concerned = True
        visible = scope_queryset(
            SupervisionOrder.objects.filter(pk=order.pk),
            actor=actor,
            permission=Perm.ASSESSMENT_VIEW,
        ).exists()
        if concerned or visible:
            return order
        audit_out_of_jurisdiction(
            actor=actor,
            object_type="supervision_order",
            object_id=number,
            region_code=order.region_code,
        )
    raise NotFound(errors.ORDER_NOT_FOUND)


def order_timeline(*, order: SupervisionOrder) -> list[Any]:
    return list(order.events.select_related("actor").order_by("created_at", "id"))


# --- package responsibility ------------------------------------------------------------------


def my_package(*, actor: Any) -> list[Responsibility]:
    """What the actor answers for now, places first."""
    rows = Responsibility.objects.filter(official_id=actor.pk, ended_at__isnull=True)
    return list(rows.order_by("kind", "region_code", "id"))


def package_list(*, actor: Actor, region_code: str = "") -> QuerySet[Responsibility]:
    """The package responsibilities of the actor's jurisdiction (PACKAGE_ASSIGN), current
    ones, by official."""
    rows = scope_queryset(
        Responsibility.objects.select_related("official", "assigned_by"),
        actor=actor,
        permission=Perm.PACKAGE_ASSIGN,
    ).filter(ended_at__isnull=True)
    if region_code:
        if not is_valid_code(region_code):
            return rows.none()
        rows = rows.filter(jurisdiction_q([region_code]))
    return rows.order_by("official__display_name", "official_id", "kind", "region_code", "id")


def package_get(*, actor: Actor, package_id: int) -> Responsibility:
    rows = scope_queryset(
        Responsibility.objects.select_related("official"),
        actor=actor,
        permission=Perm.PACKAGE_ASSIGN,
    )
    row = rows.filter(pk=package_id).first()
    if row is None:
        raise NotFound(errors.PACKAGE_NOT_FOUND)
    return row


@dataclass(frozen=True)
class PackageItem:
    """One thing an official answers for, with where it stands now."""

    kind: str
    label: str
    region_code: str
    responsibility: Responsibility | None = None
    case: CaseBrief | None = None
    risk: RiskBrief | None = None
    work: OpenWork | None = None
    open_risks: int = 0
    score: Score | None = None


def package_overview(*, actor: Any) -> list[PackageItem]:
    """Everything the actor answers for in one place: the places (their open and late cases,
    open risks and latest score), cases and risks named in their package, and the risks the
    mediation register names them responsible for. Read for them whatever their roles: being
    named is what lets them see it."""
    rows = my_package(actor=actor)
    now = timezone.now()
    places = [row.region_code for row in rows if row.kind == PackageKind.REGION]
    work = open_work(region_codes=places, now=now)
    risks_open = open_risk_counts(region_codes=places)
    latest: dict[str, Score] = {}
    for score in Score.objects.filter(subject__in=places).order_by("subject", "-month"):
        latest.setdefault(score.subject, score)
    cases = case_briefs(numbers=[r.case_number for r in rows if r.case_number], now=now)
    risk_ids = [r.risk_id for r in rows if r.risk_id]
    risks = risk_briefs(risk_ids=risk_ids)
    items = []
    for row in rows:
        items.append(
            PackageItem(
                kind=row.kind,
                label=row.label,
                region_code=row.region_code,
                responsibility=row,
                case=cases.get(row.case_number) if row.case_number else None,
                risk=risks.get(row.risk_id) if row.risk_id else None,
                work=work.get(row.region_code) if row.kind == PackageKind.REGION else None,
                open_risks=risks_open.get(row.region_code, 0),
                score=latest.get(row.region_code),
            )
        )
    for brief in risks_answered_by(user_id=actor.pk):
        if brief.id not in risk_ids:
            items.append(
                PackageItem(
                    kind=PackageKind.RISK,
                    label=brief.title,
                    region_code=brief.region_code,
                    risk=brief,
                )
            )
    return items
