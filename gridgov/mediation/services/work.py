"""Work on a mediation file: sessions and their records, the outcome (and the agreement's
terms), the follow-up visit, the judicial confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gridgov.cases.services import case_transition
from gridgov.cases.states import State
from gridgov.core.audit import audit_record
from gridgov.core.errors import TOO_LONG, Conflict, Problem, ValidationFailed
from gridgov.mediation import errors
from gridgov.mediation.models import (
    AGREED,
    FOLLOW_UP_DAYS,
    Judicial,
    MediationFile,
    MediationSession,
    Outcome,
)
from gridgov.mediation.services.common import require_work_at

TEXT_MAX_LENGTH = 10000


def _locked(actor: Any, file: MediationFile) -> MediationFile:
    require_work_at(actor, file.region_code, errors.FILE_NOT_FOUND, number=file.number)
    return (
        MediationFile.objects.select_for_update().select_related("case", "centre").get(pk=file.pk)
    )


def _audit(actor: Any, file: MediationFile, action: str, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=f"mediation.{action}",
        object_type="mediation_file",
        object_id=file.number,
        region_code=file.region_code,
        detail=detail,
    )


def _text(problems: dict[str, list[Problem]], name: str, value: str) -> str:
    if len(value) > TEXT_MAX_LENGTH:
        problems[name] = [TOO_LONG.bind(limit=TEXT_MAX_LENGTH)]
    return value.strip()


def session_schedule(
    *,
    actor: Any,
    file: MediationFile,
    starts_at: datetime | None,
    place: str = "",
    online: bool = False,
    participants: str = "",
) -> MediationSession:
    """Schedule a session: a time, and a place unless it is held online."""
    problems: dict[str, list[Problem]] = {}
    if starts_at is None:
        problems["starts_at"] = [errors.TIME_REQUIRED.bind()]
    if not online and not place.strip():
        problems["place"] = [errors.PLACE_REQUIRED.bind()]
    participants = _text(problems, "participants", participants)
    with transaction.atomic():
        file = _locked(actor, file)
        if not file.is_open:
            raise Conflict(errors.FILE_CLOSED)
        if problems:
            raise ValidationFailed(problems)
        assert starts_at is not None
        now = timezone.now()
        session = MediationSession.objects.create(
            file=file,
            starts_at=starts_at,
            place=place.strip()[:200],
            online=online,
            participants=participants,
            created_by=actor,
            created_at=now,
        )
        MediationFile.objects.filter(pk=file.pk).update(updated_at=now)
        _audit(actor, file, "session_schedule", session=session.pk)
    return session


def session_record(
    *, actor: Any, session: MediationSession, record: str, participants: str = ""
) -> MediationSession:
    """Write the record (笔录) of a session held; once written it stands."""
    problems: dict[str, list[Problem]] = {}
    record = _text(problems, "record", record)
    participants = _text(problems, "participants", participants)
    if not record and "record" not in problems:
        problems["record"] = [errors.RECORD_REQUIRED.bind()]
    with transaction.atomic():
        file = _locked(actor, session.file)
        session = MediationSession.objects.select_for_update().get(pk=session.pk)
        if session.held_at is not None:
            raise Conflict(errors.SESSION_HELD)
        if problems:
            raise ValidationFailed(problems)
        now = timezone.now()
        session.record = record
        if participants:
            session.participants = participants
        session.held_at = now
        session.save(update_fields=["record", "participants", "held_at"])
        MediationFile.objects.filter(pk=file.pk).update(updated_at=now)
        _audit(actor, file, "session_record", session=session.pk)
    return session


@dataclass
class OutcomeInput:
    outcome: str
    agreed_terms: str = ""
    responsibilities: str = ""
    performance_method: str = ""
    performance_place: str = ""
    performance_deadline: date | None = None
    note: str = ""


def file_record_outcome(*, actor: Any, file: MediationFile, data: OutcomeInput) -> MediationFile:
    """Conclude the mediation: an agreement (its terms, responsibilities and how, where and when
    it is performed), a partial agreement, or a failure (referred elsewhere or not). An agreement's
    follow-up visit falls due on the performance deadline (else in 15 days). When the actor
    handles the case and is working on it, the case is resolved with the outcome as its note."""
    problems: dict[str, list[Problem]] = {}
    if data.outcome not in Outcome.values or not data.outcome:
        problems["outcome"] = [errors.BAD_OUTCOME.bind()]
    terms = _text(problems, "agreed_terms", data.agreed_terms)
    responsibilities = _text(problems, "responsibilities", data.responsibilities)
    note = _text(problems, "note", data.note)
    if data.outcome in AGREED and not terms and "agreed_terms" not in problems:
        problems["agreed_terms"] = [errors.TERMS_REQUIRED.bind()]
    if data.outcome in (Outcome.FAILED, Outcome.REFERRED) and not note and "note" not in problems:
        problems["note"] = [errors.NOTE_REQUIRED.bind()]
    with transaction.atomic():
        file = _locked(actor, file)
        if not file.is_open:
            raise Conflict(errors.FILE_CLOSED)
        if problems:
            raise ValidationFailed(problems)
        now = timezone.now()
        file.outcome = data.outcome
        file.outcome_at = now
        file.agreed_terms = terms
        file.responsibilities = responsibilities
        file.performance_method = data.performance_method.strip()[:200]
        file.performance_place = data.performance_place.strip()[:200]
        file.performance_deadline = data.performance_deadline
        file.outcome_note = note
        if data.outcome in AGREED:
            file.follow_up_due_on = data.performance_deadline or (
                timezone.localdate(now) + timedelta(days=FOLLOW_UP_DAYS)
            )
        file.updated_at = now
        file.save()
        case = file.case
        if case.state == State.IN_PROGRESS and case.assignee_id == actor.pk:
            summary = str(Outcome(data.outcome).label)
            case_transition(
                actor=actor,
                case=case,
                action="resolve",
                note=f"{summary}：{terms or note}"[:2000],
            )
        _audit(actor, file, "outcome", outcome=data.outcome)
    return file


def file_record_follow_up(
    *, actor: Any, file: MediationFile, performed: bool | None, note: str
) -> MediationFile:
    """The follow-up visit (回访) after an agreement: whether it was performed, and the record."""
    problems: dict[str, list[Problem]] = {}
    note = _text(problems, "note", note)
    if not note and "note" not in problems:
        problems["note"] = [errors.RECORD_REQUIRED.bind()]
    with transaction.atomic():
        file = _locked(actor, file)
        if file.outcome not in AGREED:
            raise Conflict(errors.NO_AGREEMENT if file.outcome else errors.FILE_OPEN)
        if problems:
            raise ValidationFailed(problems)
        now = timezone.now()
        file.followed_up_at = now
        file.follow_up_note = note
        file.performed = performed
        file.updated_at = now
        file.save(update_fields=["followed_up_at", "follow_up_note", "performed", "updated_at"])
        _audit(actor, file, "follow_up", performed=performed)
    return file


def file_record_judicial(
    *, actor: Any, file: MediationFile, status: str, court: str = "", on: date | None = None
) -> MediationFile:
    """The application for judicial confirmation (to a court), then the court's decision."""
    day = on or timezone.localdate()
    with transaction.atomic():
        file = _locked(actor, file)
        if file.outcome not in AGREED:
            raise Conflict(errors.NO_AGREEMENT if file.outcome else errors.FILE_OPEN)
        if status == Judicial.APPLIED and file.judicial_status == Judicial.NONE:
            if not court.strip():
                raise ValidationFailed.on("court", errors.COURT_REQUIRED)
            file.judicial_court = court.strip()[:120]
            file.judicial_applied_on = day
        elif (
            status in (Judicial.CONFIRMED, Judicial.REJECTED)
            and file.judicial_status == Judicial.APPLIED
        ):
            file.judicial_result_on = day
        else:
            raise ValidationFailed.on("status", errors.BAD_JUDICIAL)
        file.judicial_status = status
        file.updated_at = timezone.now()
        file.save()
        _audit(actor, file, "judicial", status=status)
    return file
