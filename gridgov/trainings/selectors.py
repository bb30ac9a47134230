"""Every read of the trainings, scoped to the actor: courses, sessions, their attendance,
certificates, the people trained by kind, and the sessions a person attended (for scoring)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gridgov.core.access import Perm
from gridgov.core.audit import audit_out_of_jurisdiction
from gridgov.core.errors import NotFound
from gridgov.core.scoping import Actor, scope_queryset
from gridgov.teams.models import TeamKind
from gridgov.trainings import errors, rules
from gridgov.trainings.models import Attendance, Certificate, Course, Session


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class CourseFilters:
    kind: str = ""
    region_code: str = ""


def course_list(*, actor: Actor, filters: CourseFilters | None = None) -> QuerySet[Course]:
    """The courses of the actor's places, each with its number of sessions."""
    filters = filters or CourseFilters()
    courses = scope_queryset(Course.objects.all(), actor=actor, permission=Perm.TRAININGS_VIEW)
    if filters.kind:
        courses = courses.filter(kind=filters.kind)
    if filters.region_code:
        courses = courses.filter(region_code__startswith=filters.region_code)
    return courses.annotate(session_count=Count("sessions")).order_by(
        "region_code", "kind", "title", "id"
    )


def course_get(*, actor: Actor, course_id: int, permission: str = Perm.TRAININGS_VIEW) -> Course:
    """The course, or NotFound when missing or outside the actor's jurisdiction (audited)."""
    course = (
        scope_queryset(Course.objects.all(), actor=actor, permission=permission)
        .filter(pk=course_id)
        .first()
    )
    if course is None:
        outside = Course.objects.filter(pk=course_id).values_list("region_code", flat=True).first()
        if outside is not None:
            audit_out_of_jurisdiction(
                actor=actor,
                object_type="training_course",
                object_id=str(course_id),
                region_code=outside,
            )
        raise NotFound(errors.COURSE_NOT_FOUND)
    return course


@dataclass(frozen=True)
class SessionFilters:
    course_id: int | None = None
    kind: str = ""
    region_code: str = ""
    starts_after: datetime | None = None
    starts_before: datetime | None = None


def session_list(*, actor: Actor, filters: SessionFilters | None = None) -> QuerySet[Session]:
    """The sessions held at the actor's places, latest first, with how many attended and passed."""
    filters = filters or SessionFilters()
    sessions = scope_queryset(
        Session.objects.select_related("course"), actor=actor, permission=Perm.TRAININGS_VIEW
    )
    if filters.course_id is not None:
        sessions = sessions.filter(course_id=filters.course_id)
    if filters.kind:
        sessions = sessions.filter(course__kind=filters.kind)
    if filters.region_code:
        sessions = sessions.filter(region_code__startswith=filters.region_code)
    if filters.starts_after:
        sessions = sessions.filter(starts_at__gte=filters.starts_after)
    if filters.starts_before:
        sessions = sessions.filter(starts_at__lt=filters.starts_before)
    return sessions.annotate(
        attended_count=Count("attendances", filter=Q(attendances__attended=True)),
        passed_count=Count("attendances", filter=Q(attendances__passed=True)),
    ).order_by("-starts_at", "-id")


def session_get(*, actor: Actor, session_id: int, permission: str = Perm.TRAININGS_VIEW) -> Session:
    session = (
        scope_queryset(Session.objects.select_related("course"), actor=actor, permission=permission)
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        outside = (
            Session.objects.filter(pk=session_id).values_list("region_code", flat=True).first()
        )
        if outside is not None:
            audit_out_of_jurisdiction(
                actor=actor,
                object_type="training_session",
                object_id=str(session_id),
                region_code=outside,
            )
        raise NotFound(errors.SESSION_NOT_FOUND)
    return session


def session_attendance(*, session: Session) -> QuerySet[Attendance]:
    """The session's attendance (the caller has the session through `session_get`), by name,
    with each row's certificate when it has one."""
    return (
        Attendance.objects.filter(session=session)
        .select_related("member", "certificate")
        .order_by("member__name", "id")
    )


@dataclass(frozen=True)
class AttendanceFilters:
    region_code: str = ""  # where the trainees serve: this place and below
    kind: str = ""
    held_from: date | None = None
    held_to: date | None = None  # inclusive
    attended: bool | None = None
    passed: bool | None = None
    user_id: int | None = None  # the trainee's account
    session_id: int | None = None


def attendance_list(
    *, actor: Actor, filters: AttendanceFilters | None = None
) -> QuerySet[Attendance]:
    """Attendance records of the trainees serving in the actor's places, latest session first:
    the records behind each figure of the people trained."""
    filters = filters or AttendanceFilters()
    rows = scope_queryset(
        Attendance.objects.select_related("member", "session", "session__course"),
        actor=actor,
        permission=Perm.TRAININGS_VIEW,
    )
    rows = _filtered(rows, filters)
    return rows.order_by("-held_at", "session_id", "member__name", "id")


def _filtered(rows: QuerySet[Attendance], filters: AttendanceFilters) -> QuerySet[Attendance]:
    if filters.region_code:
        rows = rows.filter(region_code__startswith=filters.region_code)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.held_from:
        rows = rows.filter(held_at__gte=_day_start(filters.held_from))
    if filters.held_to:
        rows = rows.filter(held_at__lt=_day_start(filters.held_to + timedelta(days=1)))
    if filters.attended is not None:
        rows = rows.filter(attended=filters.attended)
    if filters.passed is not None:
        rows = rows.filter(passed=filters.passed)
    if filters.user_id is not None:
        rows = rows.filter(member__user_id=filters.user_id)
    if filters.session_id is not None:
        rows = rows.filter(session_id=filters.session_id)
    return rows


@dataclass(frozen=True)
class TrainedByKind:
    kind: str
    trained: int  # attendances (person-times, 人次) of those who attended
    people: int  # distinct team members among them
    passed: int

    @property
    def label(self) -> str:
        return str(TeamKind(self.kind).label)


def trained_by_kind(
    *,
    actor: Actor,
    region_code: str = "",
    held_from: date | None = None,
    held_to: date | None = None,
) -> list[TrainedByKind]:
    """The people trained in the actor's places (or `region_code`) in the period, by the kind of
    team they were trained as, every kind listed (0 when none)."""
    rows = scope_queryset(Attendance.objects.all(), actor=actor, permission=Perm.TRAININGS_VIEW)
    rows = _filtered(
        rows,
        AttendanceFilters(
            region_code=region_code, held_from=held_from, held_to=held_to, attended=True
        ),
    )
    counted: dict[str, dict[str, Any]] = {
        row["kind"]: dict(row)
        for row in rows.values("kind").annotate(
            trained=Count("id"),
            people=Count("member_id", distinct=True),
            passed=Count("id", filter=Q(passed=True)),
        )
    }
    return [
        TrainedByKind(
            kind=kind,
            trained=counted.get(kind, {}).get("trained", 0),
            people=counted.get(kind, {}).get("people", 0),
            passed=counted.get(kind, {}).get("passed", 0),
        )
        for kind in TeamKind.values
    ]


@dataclass(frozen=True)
class CertificateFilters:
    region_code: str = ""
    status: str = ""  # one of rules.CertificateStatus
    kind: str = ""


def certificate_list(
    *, actor: Actor, filters: CertificateFilters | None = None, today: date | None = None
) -> QuerySet[Certificate]:
    """Certificates held by the trainees of the actor's places, soonest to expire first."""
    filters = filters or CertificateFilters()
    today = today or timezone.localdate()
    rows = scope_queryset(
        Certificate.objects.select_related("member", "course"),
        actor=actor,
        permission=Perm.TRAININGS_VIEW,
    )
    if filters.region_code:
        rows = rows.filter(region_code__startswith=filters.region_code)
    if filters.kind:
        rows = rows.filter(course__kind=filters.kind)
    soon = today + timedelta(days=rules.EXPIRING_DAYS)
    status = filters.status
    if status == rules.CertificateStatus.REVOKED:
        rows = rows.filter(revoked_at__isnull=False)
    elif status:
        rows = rows.filter(revoked_at__isnull=True)
    if status == rules.CertificateStatus.EXPIRED:
        rows = rows.filter(expires_on__lt=today)
    elif status == rules.CertificateStatus.EXPIRING:
        rows = rows.filter(expires_on__gte=today, expires_on__lte=soon)
    elif status == rules.CertificateStatus.VALID:
        rows = rows.filter(expires_on__gt=soon)
    return rows.order_by("expires_on", "number")


def certificate_status(
    certificate: Certificate, today: date | None = None
) -> rules.CertificateStatus:
    return rules.certificate_status(
        expires_on=certificate.expires_on,
        revoked=certificate.revoked_at is not None,
        today=today or timezone.localdate(),
    )


# For scoring (assessment reads these; not scoped: the scores are computed for everyone).


def sessions_attended_by_user(*, user_id: int, month: date) -> int:
    """How many sessions the account's team memberships attended in the month of `month`."""
    first = month.replace(day=1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return attended_by_user(first=first, last=last).get(user_id, 0)


def attended_by_user(*, first: date, last: date) -> dict[int, int]:
    """Account id -> sessions attended from `first` to `last` (inclusive) by its team members."""
    rows = (
        _filtered(
            Attendance.objects.filter(member__user_id__isnull=False),
            AttendanceFilters(held_from=first, held_to=last, attended=True),
        )
        .values("member__user_id")
        .annotate(sessions=Count("session_id", distinct=True))
    )
    return {row["member__user_id"]: row["sessions"] for row in rows}


def attended_by_place(*, first: date, last: date) -> dict[str, int]:
    """Town and village code -> attendances from `first` to `last` of the trainees serving
    there (an attendance counts for both its village and its town)."""
    rows = _filtered(Attendance.objects.all(), AttendanceFilters(held_from=first, held_to=last))
    rows = rows.filter(attended=True)
    counts: dict[str, int] = {}
    for column in ("town_code", "village_code"):
        for code, count in (
            rows.values_list(column).annotate(n=Count("id")).values_list(column, "n")
        ):
            if code:
                counts[code] = counts.get(code, 0) + count
    return counts
