"""Joint meetings (联席会议) on an analysis report: record who attended, the cases and risks
discussed, the decisions and the follow-up tasks (each with an owner and a deadline); an owner
marks their task done. Each write audited."""

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
from gridgov.core.errors import (
    TOO_LONG,
    Conflict,
    NotFound,
    PermissionDenied,
    Problem,
    ValidationFailed,
)
from gridgov.core.scoping import require_permission
from gridgov.mediation import errors
from gridgov.mediation.models import JointMeeting, MeetingTask, Risk
from gridgov.mediation.selectors import risk_get

TEXT_MAX_LENGTH = 5000
MAX_TASKS = 20
MAX_DISCUSSED = 50


@dataclass
class TaskInput:
    description: str
    owner_username: str
    due_on: date | None


@dataclass
class MeetingInput:
    region_code: str
    since: date | None
    until: date | None
    held_on: date | None
    attendees: str
    decisions: str
    case_numbers: list[str] = field(default_factory=list)
    risk_ids: list[int] = field(default_factory=list)
    tasks: list[TaskInput] = field(default_factory=list)


def may_own_tasks_at(user: User, region_code: str) -> bool:
    """Whether `user` can own a follow-up task of a meeting on `region_code`: an active account
    doing mediation work at, above or below the place."""
    return user.is_active and any(
        codes.is_within(region_code, code) or codes.is_within(code, region_code)
        for code in user.jurisdiction_codes(Perm.MEDIATION_WORK)
    )


def _check_text(problems: dict[str, list[Problem]], name: str, value: str, required: Any) -> str:
    if len(value) > TEXT_MAX_LENGTH:
        problems[name] = [TOO_LONG.bind(limit=TEXT_MAX_LENGTH)]
    elif not value.strip():
        problems[name] = [required.bind()]
    return value.strip()


def _check_tasks(
    problems: dict[str, list[Problem]], tasks: list[TaskInput], region_code: str
) -> list[tuple[str, User, date]]:
    wanted = [t for t in tasks if t.description.strip() or t.owner_username.strip() or t.due_on]
    if len(wanted) > MAX_TASKS:
        problems["tasks"] = [errors.TOO_MANY_TASKS.bind(limit=MAX_TASKS)]
        return []
    names = {t.owner_username.strip() for t in wanted}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    checked: list[tuple[str, User, date]] = []
    for task in wanted:
        owner = users.get(task.owner_username.strip())
        if not task.description.strip() or task.due_on is None or not task.owner_username.strip():
            problems.setdefault("tasks", []).append(errors.TASK_INCOMPLETE.bind())
        elif len(task.description) > 300:
            problems.setdefault("tasks", []).append(TOO_LONG.bind(limit=300))
        elif owner is None or not may_own_tasks_at(owner, region_code):
            problems.setdefault("tasks", []).append(errors.BAD_OWNER.bind())
        else:
            checked.append((task.description.strip(), owner, task.due_on))
    return checked


def meeting_record(*, actor: Any, data: MeetingInput) -> JointMeeting:
    """Record a joint meeting on the analysis report of a place in the actor's jurisdiction for
    mediation work; the cases and risks discussed must be ones the actor sees; nothing is saved
    while anything is wrong."""
    allowed = require_permission(actor, Perm.MEDIATION_WORK)
    problems: dict[str, list[Problem]] = {}
    region_code = data.region_code.strip()
    if not codes.is_valid_code(region_code) or not any(
        codes.is_within(region_code, code) for code in allowed
    ):
        problems["region_code"] = [errors.PLACE_OUTSIDE_JURISDICTION.bind()]
    for name in ("since", "until", "held_on"):
        if getattr(data, name) is None:
            problems[name] = [errors.DATE_REQUIRED.bind()]
    if data.since and data.until and data.since > data.until:
        problems["since"] = [errors.BAD_PERIOD.bind()]
    attendees = _check_text(problems, "attendees", data.attendees, errors.ATTENDEES_REQUIRED)
    decisions = _check_text(problems, "decisions", data.decisions, errors.DECISIONS_REQUIRED)
    cases = []
    for number in [n.strip() for n in data.case_numbers if n.strip()][:MAX_DISCUSSED]:
        try:
            cases.append(case_get(actor=actor, number=number))
        except NotFound:
            problems.setdefault("cases", []).append(errors.CASE_NOT_FOUND.bind(number=number))
    risks: list[Risk] = []
    for risk_id in data.risk_ids[:MAX_DISCUSSED]:
        try:
            risks.append(risk_get(actor=actor, risk_id=risk_id))
        except NotFound:
            problems.setdefault("risks", []).append(errors.RISK_NOT_FOUND.bind())
    tasks = _check_tasks(problems, data.tasks, region_code) if "region_code" not in problems else []
    if problems:
        raise ValidationFailed(problems)
    assert data.since is not None
    assert data.until is not None
    assert data.held_on is not None
    with transaction.atomic():
        meeting = JointMeeting(
            since=data.since,
            until=data.until,
            held_on=data.held_on,
            attendees=attendees,
            decisions=decisions,
            recorded_by=actor,
            created_at=timezone.now(),
        )
        meeting.set_region_code(region_code)
        meeting.save()
        meeting.cases.set(cases)
        meeting.risks.set(risks)
        MeetingTask.objects.bulk_create(
            [
                MeetingTask(meeting=meeting, description=text[:300], owner=owner, due_on=due)
                for text, owner, due in tasks
            ]
        )
        audit_record(
            actor=actor,
            action="mediation.meeting_record",
            object_type="joint_meeting",
            object_id=meeting.pk,
            region_code=region_code,
            detail={
                "cases": [c.number for c in cases],
                "risks": [r.pk for r in risks],
                "tasks": len(tasks),
            },
        )
    return meeting


def meeting_task_done(*, actor: Any, task: MeetingTask) -> MeetingTask:
    """The task's owner marks it done."""
    with transaction.atomic():
        task = MeetingTask.objects.select_for_update().select_related("meeting").get(pk=task.pk)
        if task.owner_id != getattr(actor, "pk", None):
            raise PermissionDenied(errors.NOT_YOUR_TASK)
        if task.done_at is not None:
            raise Conflict(errors.TASK_DONE)
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        audit_record(
            actor=actor,
            action="mediation.meeting_task_done",
            object_type="joint_meeting",
            object_id=task.meeting_id,
            region_code=task.meeting.region_code,
            detail={"task": task.pk},
        )
    return task
