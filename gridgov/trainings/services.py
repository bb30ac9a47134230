"""Writes to the trainings: set up a course, schedule a session, record a session's attendance
and results in one batch (issuing a certificate on each pass, revoking it when a pass is taken
back). Each audited; a batch is all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gridgov.core import codes
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import Conflict, NotFound, Problem, ValidationFailed
from gridgov.core.scoping import require_permission
from gridgov.regions.selectors import region_exists
from gridgov.teams.models import TeamKind, TeamMember
from gridgov.teams.selectors import members_serving_in
from gridgov.trainings import errors, rules
from gridgov.trainings.models import (
    Attendance,
    Certificate,
    CertificateCounter,
    Course,
    Session,
)

TITLE_MAX_LENGTH = 120
MAX_HOURS = 200
MAX_VALIDITY_MONTHS = 120
MAX_CAPACITY = 1000
MAX_SESSION_DAYS = 14
TRAINER_MAX_LENGTH = 64
ROSTER_LIMIT = 2000


@dataclass
class CourseInput:
    kind: str
    title: str
    region_code: str
    hours: int
    validity_months: int
    pass_mark: int = 60
    description: str = ""


@dataclass
class SessionInput:
    starts_at: datetime
    ends_at: datetime
    region_code: str
    trainer: str
    capacity: int
    address: str = ""


@dataclass(frozen=True)
class AttendanceEntry:
    member_id: int
    attended: bool
    passed: bool = False
    score: int | None = None


def _within(code: str, allowed: list[str]) -> bool:
    return any(codes.is_within(code, top) for top in allowed)


def course_create(*, actor: Any, data: CourseInput) -> Course:
    """Set up a course at a place of the actor's jurisdiction for one kind of team."""
    allowed = require_permission(actor, Perm.TRAININGS_MANAGE)
    problems: dict[str, list[Problem]] = {}
    title = data.title.strip()
    if not title or len(title) > TITLE_MAX_LENGTH:
        problems["title"] = [errors.TITLE_REQUIRED.bind()]
    if data.kind not in TeamKind.values:
        problems["kind"] = [errors.KIND_UNKNOWN.bind()]
    place = data.region_code.strip()
    # A well-formed code of one's own jurisdiction may still name no place of the tree.
    if not codes.is_valid_code(place) or not _within(place, allowed) or not region_exists(place):
        problems["region_code"] = [errors.PLACE_OUTSIDE.bind()]
    if not 1 <= data.hours <= MAX_HOURS:
        problems["hours"] = [errors.HOURS_RANGE.bind(limit=MAX_HOURS)]
    if not 1 <= data.validity_months <= MAX_VALIDITY_MONTHS:
        problems["validity_months"] = [errors.VALIDITY_RANGE.bind(limit=MAX_VALIDITY_MONTHS)]
    if not 0 <= data.pass_mark <= 100:
        problems["pass_mark"] = [errors.PASS_MARK_RANGE.bind()]
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        course = Course(
            kind=data.kind,
            title=title,
            hours=data.hours,
            validity_months=data.validity_months,
            pass_mark=data.pass_mark,
            description=data.description.strip(),
            created_by=actor,
            created_at=timezone.now(),
        )
        course.set_region_code(place)
        course.save()
        audit_record(
            actor=actor,
            action="trainings.course_create",
            object_type="training_course",
            object_id=course.pk,
            region_code=place,
            detail={"kind": course.kind},
        )
    return course


def session_create(*, actor: Any, course: Course, data: SessionInput) -> Session:
    """Schedule a session of the course at its place or a place below it, in the actor's
    jurisdiction (the caller has the course through `course_get`)."""
    allowed = require_permission(actor, Perm.TRAININGS_MANAGE)
    problems: dict[str, list[Problem]] = {}
    place = data.region_code.strip()
    if not codes.is_valid_code(place) or not _within(place, allowed) or not region_exists(place):
        problems["region_code"] = [errors.PLACE_OUTSIDE.bind()]
    elif not codes.is_within(place, course.region_code):
        problems["region_code"] = [errors.OUTSIDE_COURSE.bind()]
    if data.ends_at <= data.starts_at:
        problems["ends_at"] = [errors.ENDS_BEFORE_START.bind()]
    elif data.ends_at - data.starts_at > timedelta(days=MAX_SESSION_DAYS):
        problems["ends_at"] = [errors.TOO_LONG_SESSION.bind(days=MAX_SESSION_DAYS)]
    trainer = data.trainer.strip()
    if not trainer or len(trainer) > TRAINER_MAX_LENGTH:
        problems["trainer"] = [errors.TRAINER_REQUIRED.bind()]
    if not 1 <= data.capacity <= MAX_CAPACITY:
        problems["capacity"] = [errors.CAPACITY_RANGE.bind(limit=MAX_CAPACITY)]
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        session = Session(
            course=course,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            address=data.address.strip()[:200],
            trainer=trainer,
            capacity=data.capacity,
            created_by=actor,
            created_at=timezone.now(),
        )
        session.set_region_code(place)
        session.save()
        audit_record(
            actor=actor,
            action="trainings.session_create",
            object_type="training_session",
            object_id=session.pk,
            region_code=place,
            detail={"course": course.pk, "capacity": session.capacity},
        )
    return session


def session_roster(session: Session) -> list[TeamMember]:
    """Who may attend: those serving now on a team of the course's kind at the session's place
    or below it."""
    return members_serving_in(
        kind=session.course.kind, within=[session.region_code], limit=ROSTER_LIMIT
    )


def take_certificate_numbers(county_code: str, year: int, count: int) -> list[str]:
    """`count` new certificate numbers of the county's year. Call inside a transaction: the
    counter's row stays locked until it commits, so concurrent batches wait for each other and
    the numbers never repeat (the unique number is the last guard)."""
    if count <= 0:
        return []
    CertificateCounter.objects.get_or_create(county_code=county_code, year=year)
    counter = CertificateCounter.objects.select_for_update().get(county_code=county_code, year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [rules.certificate_number(county_code, year, n) for n in range(first, first + count)]


def _check(
    session: Session, entries: list[AttendanceEntry], members: dict[int, TeamMember]
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[int] = set()
    pass_mark = session.course.pass_mark
    for entry in entries:
        if entry.member_id in seen:
            problems.append(errors.DUPLICATE_MEMBER.bind(member=entry.member_id))
            continue
        seen.add(entry.member_id)
        member = members.get(entry.member_id)
        if member is None:
            problems.append(errors.NOT_ON_ROSTER.bind(member=entry.member_id))
            continue
        if entry.passed and not entry.attended:
            problems.append(errors.PASSED_WITHOUT_ATTENDING.bind(name=member.name))
        if entry.score is not None and not 0 <= entry.score <= 100:
            problems.append(errors.SCORE_RANGE.bind())
        elif entry.passed and entry.score is not None and entry.score < pass_mark:
            problems.append(
                errors.SCORE_BELOW_PASS.bind(
                    name=member.name, score=entry.score, pass_mark=pass_mark
                )
            )
    return problems


def attendance_record(
    *, actor: Any, session: Session, entries: list[AttendanceEntry]
) -> list[Attendance]:
    """Record who attended the session and who passed (with a score, when marked), all or
    nothing. A pass issues a certificate valid from the session's day for the course's months;
    a pass taken back revokes it (a pass given again restores the same number). Members not in
    `entries` keep what was recorded for them."""
    allowed = require_permission(actor, Perm.TRAININGS_MANAGE)
    if not _within(session.region_code, allowed):
        raise NotFound(errors.SESSION_NOT_FOUND)
    now = timezone.now()
    if session.starts_at > now:
        raise Conflict(errors.NOT_HELD_YET)
    course = session.course
    existing = {
        a.member_id: a for a in Attendance.objects.filter(session=session).select_related("member")
    }
    members = {m.pk: m for m in session_roster(session)}
    members.update({member_id: a.member for member_id, a in existing.items()})
    problems = _check(session, entries, members)
    attended_after = {m for m, a in existing.items() if a.attended}
    for entry in entries:
        (attended_after.add if entry.attended else attended_after.discard)(entry.member_id)
    if len(attended_after) > session.capacity:
        problems.append(errors.OVER_CAPACITY.bind(capacity=session.capacity))
    if problems:
        raise ValidationFailed({"entries": problems})
    issued_on = timezone.localtime(session.starts_at).date()
    with transaction.atomic():
        Session.objects.select_for_update().filter(pk=session.pk).first()
        saved: list[Attendance] = []
        to_certify: list[Attendance] = []
        to_revoke: list[int] = []
        to_restore: list[int] = []
        certified = dict(
            Certificate.objects.filter(attendance__session=session).values_list(
                "attendance__member_id", "revoked_at"
            )
        )
        for entry in entries:
            member = members[entry.member_id]
            row = existing.get(entry.member_id) or Attendance(
                session=session, member=member, kind=course.kind, held_at=session.starts_at
            )
            row.set_region_code(member.region_code)
            row.attended = entry.attended
            row.passed = entry.passed
            row.score = entry.score
            row.recorded_by = actor
            row.recorded_at = now
            row.save()
            saved.append(row)
            has = entry.member_id in certified
            if entry.passed and not has:
                to_certify.append(row)
            elif entry.passed and certified[entry.member_id] is not None:
                to_restore.append(row.pk)
            elif not entry.passed and has and certified[entry.member_id] is None:
                to_revoke.append(row.pk)
        numbers = take_certificate_numbers(session.county_code, issued_on.year, len(to_certify))
        certificates = []
        for row, number in zip(to_certify, numbers, strict=True):
            certificate = Certificate(
                number=number,
                attendance=row,
                member_id=row.member_id,
                course=course,
                issued_on=issued_on,
                expires_on=rules.expiry(issued_on, course.validity_months),
            )
            certificate.set_region_code(row.region_code)
            certificates.append(certificate)
        Certificate.objects.bulk_create(certificates)
        Certificate.objects.filter(attendance_id__in=to_revoke).update(revoked_at=now)
        Certificate.objects.filter(attendance_id__in=to_restore).update(revoked_at=None)
        audit_record(
            actor=actor,
            action="trainings.attendance_record",
            object_type="training_session",
            object_id=session.pk,
            region_code=session.region_code,
            detail={
                "entries": len(entries),
                "attended": sum(1 for e in entries if e.attended),
                "passed": sum(1 for e in entries if e.passed),
                "certificates": [c.number for c in certificates],
                "revoked": len(to_revoke),
            },
        )
    return saved
