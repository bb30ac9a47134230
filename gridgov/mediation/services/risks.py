"""The risk register: raise a hidden danger (on its own or from a case), follow it up, change its
status; each change audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.cases.selectors import case_get
from gridgov.core import codes
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import TOO_LONG, NotFound, Problem, ValidationFailed
from gridgov.core.scoping import require_permission
from gridgov.mediation import errors
from gridgov.mediation.models import Risk, RiskFollowUp, RiskKind, RiskLevel, RiskStatus
from gridgov.mediation.services.common import require_work_at

TEXT_MAX_LENGTH = 5000
MAX_CASES = 50


@dataclass
class RiskInput:
    title: str
    kind: str
    level: str
    people_involved: int | None
    description: str
    region_code: str = ""
    control_measures: str = ""
    responsible_username: str = ""
    case_numbers: list[str] = field(default_factory=list)
    next_follow_up_on: date | None = None


def _responsible(username: str, region_code: str) -> User | None:
    """An official who works in the risk's region (package responsibility): someone whose
    jurisdiction for mediation work covers it."""
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        return None
    covers = any(
        codes.is_within(region_code, code) for code in user.jurisdiction_codes(Perm.MEDIATION_WORK)
    )
    return user if covers else None


def risk_raise(*, actor: Any, data: RiskInput) -> Risk:
    """Raise a risk in the actor's jurisdiction; related cases must be ones the actor sees; the
    responsible official is the actor unless another is named."""
    allowed = require_permission(actor, Perm.MEDIATION_WORK)
    problems: dict[str, list[Problem]] = {}
    if not data.title.strip():
        problems["title"] = [errors.TITLE_REQUIRED.bind()]
    if data.kind not in RiskKind.values:
        problems["kind"] = [errors.BAD_RISK_KIND.bind()]
    if data.level not in RiskLevel.values:
        problems["level"] = [errors.BAD_RISK_LEVEL.bind()]
    if data.people_involved is None or data.people_involved < 1:
        problems["people_involved"] = [errors.BAD_PEOPLE_COUNT.bind()]
    if not data.description.strip():
        problems["description"] = [errors.FACTS_REQUIRED.bind()]
    for name in ("description", "control_measures"):
        if len(getattr(data, name)) > TEXT_MAX_LENGTH:
            problems[name] = [TOO_LONG.bind(limit=TEXT_MAX_LENGTH)]
    related = []
    for number in data.case_numbers[:MAX_CASES]:
        try:
            related.append(case_get(actor=actor, number=number.strip()))
        except NotFound:
            problems.setdefault("cases", []).append(
                errors.CASE_NOT_FOUND.bind(number=number.strip())
            )
    region_code = data.region_code.strip() or (related[0].region_code if related else "")
    if not codes.is_valid_code(region_code) or not any(
        codes.is_within(region_code, code) for code in allowed
    ):
        problems["region_code"] = [errors.PLACE_OUTSIDE_JURISDICTION.bind()]
    responsible = actor
    if data.responsible_username.strip() and "region_code" not in problems:
        responsible = _responsible(data.responsible_username, region_code)
        if responsible is None:
            problems["responsible"] = [errors.BAD_RESPONSIBLE.bind()]
    if problems:
        raise ValidationFailed(problems)
    now = timezone.now()
    with transaction.atomic():
        risk = Risk(
            title=data.title.strip()[:120],
            kind=data.kind,
            level=data.level,
            people_involved=data.people_involved or 1,
            description=data.description.strip(),
            control_measures=data.control_measures.strip(),
            responsible=responsible,
            raised_by=actor,
            created_at=now,
            updated_at=now,
            next_follow_up_on=data.next_follow_up_on,
        )
        risk.set_region_code(region_code)
        risk.save()
        risk.cases.set(related)
        if data.next_follow_up_on is not None:
            RiskFollowUp.objects.create(risk=risk, due_on=data.next_follow_up_on)
        audit_record(
            actor=actor,
            action="mediation.risk_raise",
            object_type="risk",
            object_id=risk.pk,
            region_code=region_code,
            detail={"level": risk.level, "kind": risk.kind, "cases": [c.number for c in related]},
        )
    return risk


def risk_follow_up(
    *,
    actor: Any,
    risk: Risk,
    note: str,
    status: str = "",
    next_follow_up_on: date | None = None,
) -> Risk:
    """Record a follow-up of a risk (closing the one due), optionally a new status and the next
    follow-up; resolving it stamps when."""
    require_work_at(actor, risk.region_code, errors.RISK_NOT_FOUND)
    problems: dict[str, list[Problem]] = {}
    if not note.strip():
        problems["note"] = [errors.RECORD_REQUIRED.bind()]
    elif len(note) > TEXT_MAX_LENGTH:
        problems["note"] = [TOO_LONG.bind(limit=TEXT_MAX_LENGTH)]
    if status and status not in RiskStatus.values:
        problems["status"] = [errors.BAD_RISK_STATUS.bind()]
    if problems:
        raise ValidationFailed(problems)
    now = timezone.now()
    with transaction.atomic():
        risk = Risk.objects.select_for_update().get(pk=risk.pk)
        due = risk.follow_ups.filter(done_at=None).order_by("due_on", "id").first()
        if due is None:
            due = RiskFollowUp(risk=risk, due_on=timezone.localdate(now))
        due.done_at, due.note, due.actor = now, note.strip(), actor
        due.save()
        if status:
            risk.status = status
            risk.resolved_at = now if status == RiskStatus.RESOLVED else None
        risk.next_follow_up_on = next_follow_up_on
        if next_follow_up_on is not None and risk.status != RiskStatus.RESOLVED:
            RiskFollowUp.objects.create(risk=risk, due_on=next_follow_up_on)
        risk.updated_at = now
        risk.save()
        audit_record(
            actor=actor,
            action="mediation.risk_follow_up",
            object_type="risk",
            object_id=risk.pk,
            region_code=risk.region_code,
            detail={"status": risk.status},
        )
    return risk
