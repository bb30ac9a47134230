"""The training pages: courses (and setting one up), a course's sessions (and scheduling one),
a session with its attendance as a tick list of the roster (a phone in the training room), the
people trained by kind with the attendance records behind each figure, and certificates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from gridgov.accounts.actors import actor_from
from gridgov.core import codes
from gridgov.core.access import Perm
from gridgov.core.errors import Conflict, ValidationFailed
from gridgov.core.pages import add_problems, page_view, problem_messages
from gridgov.core.scoping import require_permission
from gridgov.regions.selectors import region_list, region_names
from gridgov.trainings import links, selectors, services
from gridgov.trainings.forms import (
    AttendanceQueryForm,
    CertificateQueryForm,
    CourseForm,
    CourseQueryForm,
    PeriodForm,
    SessionForm,
    attendance_entries,
    yes_no,
)
from gridgov.trainings.models import Course, Session
from gridgov.trainings.rules import STATUS_LABELS

MAX_ROWS = 200
MAX_PLACES = 2000


def _places(request: HttpRequest, permission: str, within: str = "") -> list[tuple[str, str]]:
    """The places (county to grid) where the actor holds `permission` (below `within` when
    given), by name, as choices."""
    actor = actor_from(request)
    allowed = actor.jurisdiction_codes(permission)
    regions = region_list(actor=actor).exclude(level="micro_grid")
    return [
        (
            region.region_code,
            f"{region.name} · {region.parent.name}" if region.parent else region.name,
        )
        for region in regions[:MAX_PLACES]
        if any(codes.is_within(region.region_code, top) for top in allowed)
        and codes.is_within(region.region_code, within or region.region_code)
    ]


def _may(actor: Any, code: str, permission: str) -> bool:
    return any(codes.is_within(code, top) for top in actor.jurisdiction_codes(permission))


# Courses


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def course_list(request: HttpRequest) -> HttpResponseBase:
    """The courses of the actor's places; an organiser sets one up below the list."""
    actor = actor_from(request)
    require_permission(actor, Perm.TRAININGS_VIEW)
    organiser = bool(actor.jurisdiction_codes(Perm.TRAININGS_MANAGE))
    status = 200
    form = None
    if request.method == "POST":
        require_permission(actor, Perm.TRAININGS_MANAGE)
        form = CourseForm(request.POST, places=_places(request, Perm.TRAININGS_MANAGE))
        if form.is_valid():
            cleaned = form.cleaned_data
            try:
                course = services.course_create(
                    actor=actor,
                    data=services.CourseInput(
                        kind=cleaned["kind"],
                        title=cleaned["title"],
                        region_code=cleaned["region_code"],
                        hours=cleaned["hours"],
                        validity_months=cleaned["validity_months"],
                        pass_mark=cleaned["pass_mark"],
                        description=cleaned["description"],
                    ),
                )
            except ValidationFailed as error:
                add_problems(form, error)
            else:
                messages.success(request, _("The course is set up: schedule its sessions."))
                return redirect("trainings:course", course_id=course.pk)
        status = 400
    elif organiser:
        form = CourseForm(places=_places(request, Perm.TRAININGS_MANAGE))
    query = CourseQueryForm(request.GET, places=_places(request, Perm.TRAININGS_VIEW))
    if not query.is_valid():
        return render(request, "trainings/courses.html", {"query": query}, status=400)
    courses = list(
        selectors.course_list(
            actor=actor,
            filters=selectors.CourseFilters(
                kind=query.cleaned_data["kind"], region_code=query.cleaned_data["region"]
            ),
        )[:MAX_ROWS]
    )
    names = region_names(actor=actor, region_codes={c.region_code for c in courses})
    context = {
        "query": query,
        "courses": [(c, names.get(c.region_code, c.region_code)) for c in courses],
        "form": form,
    }
    return render(request, "trainings/courses.html", context, status=status)


def _course_page(
    request: HttpRequest, course: Course, form: SessionForm | None, status: int = 200
) -> HttpResponse:
    actor = actor_from(request)
    sessions = list(
        selectors.session_list(actor=actor, filters=selectors.SessionFilters(course_id=course.pk))[
            :MAX_ROWS
        ]
    )
    names = region_names(
        actor=actor, region_codes={course.region_code} | {s.region_code for s in sessions}
    )
    context = {
        "course": course,
        "place": names.get(course.region_code, course.region_code),
        "sessions": [(s, names.get(s.region_code, s.region_code)) for s in sessions],
        "form": form,
    }
    return render(request, "trainings/course.html", context, status=status)


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def course_detail(request: HttpRequest, course_id: int) -> HttpResponseBase:
    """A course with its sessions; an organiser schedules one at the course's place or below."""
    actor = actor_from(request)
    if request.method == "POST":
        require_permission(actor, Perm.TRAININGS_MANAGE)
    course = selectors.course_get(actor=actor, course_id=course_id)
    places = _places(request, Perm.TRAININGS_MANAGE, within=course.region_code)
    if request.method != "POST":
        return _course_page(request, course, SessionForm(places=places) if places else None)
    form = SessionForm(request.POST, places=places)
    if form.is_valid():
        cleaned = form.cleaned_data
        try:
            session = services.session_create(
                actor=actor,
                course=course,
                data=services.SessionInput(
                    region_code=cleaned["region_code"],
                    starts_at=cleaned["starts_at"],
                    ends_at=cleaned["ends_at"],
                    address=cleaned["address"],
                    trainer=cleaned["trainer"],
                    capacity=cleaned["capacity"],
                ),
            )
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The session is scheduled."))
            return redirect("trainings:session", session_id=session.pk)
    return _course_page(request, course, form, status=400)


# A session and its attendance


def _session_page(
    request: HttpRequest, session: Session, problems: list[str], status: int = 200
) -> HttpResponse:
    actor = actor_from(request)
    rows = {row.member_id: row for row in selectors.session_attendance(session=session)}
    organiser = _may(actor, session.region_code, Perm.TRAININGS_MANAGE)
    roster: list[tuple[Any, Any]] = []
    if organiser:
        members = {m.pk: m for m in services.session_roster(session)}
        members.update({member_id: row.member for member_id, row in rows.items()})
        roster = [
            (member, rows.get(member.pk))
            for member in sorted(members.values(), key=lambda m: (m.name, m.pk))
        ]
    names = region_names(actor=actor, region_codes={session.region_code})
    context = {
        "session": session,
        "course": session.course,
        "place": names.get(session.region_code, session.region_code),
        "rows": sorted(rows.values(), key=lambda r: (r.member.name, r.pk)),
        "attended": sum(1 for r in rows.values() if r.attended),
        "passed": sum(1 for r in rows.values() if r.passed),
        "organiser": organiser,
        # A village sees the sessions held there of a course its town or county runs.
        "course_visible": _may(actor, session.course.region_code, Perm.TRAININGS_VIEW),
        "started": session.starts_at <= timezone.now(),
        "roster": roster,
        "problems": problems,
        "today": timezone.localdate(),
    }
    return render(request, "trainings/session.html", context, status=status)


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def session_detail(request: HttpRequest, session_id: int) -> HttpResponseBase:
    """A session with who attended and passed; the organiser ticks the roster and saves it."""
    actor = actor_from(request)
    if request.method != "POST":
        session = selectors.session_get(actor=actor, session_id=session_id)
        return _session_page(request, session, [])
    require_permission(actor, Perm.TRAININGS_MANAGE)
    session = selectors.session_get(
        actor=actor, session_id=session_id, permission=Perm.TRAININGS_MANAGE
    )
    entries, problems = attendance_entries(request.POST)
    if problems:
        return _session_page(request, session, problems, status=400)
    try:
        services.attendance_record(actor=actor, session=session, entries=entries)
    except (ValidationFailed, Conflict) as error:
        status = 409 if isinstance(error, Conflict) else 400
        return _session_page(request, session, problem_messages(error), status=status)
    messages.success(request, _("The attendance is saved."))
    return redirect("trainings:session", session_id=session.pk)


# Figures and records


@page_view
@require_safe
def trained(request: HttpRequest) -> HttpResponse:
    """People trained in a place and period, by kind; each figure opens its records."""
    actor = actor_from(request)
    require_permission(actor, Perm.TRAININGS_VIEW)
    query = PeriodForm(request.GET, places=_places(request, Perm.TRAININGS_VIEW))
    if not query.is_valid():
        return render(request, "trainings/trained.html", {"query": query}, status=400)
    region = query.cleaned_data["region"]
    period = {
        "region_code": region,
        "held_from": query.cleaned_data["from"],
        "held_to": query.cleaned_data["to"],
    }
    rows = selectors.trained_by_kind(actor=actor, **period)
    context = {
        "query": query,
        "rows": [(row, links.attendance_page(kind=row.kind, **period)) for row in rows],
        "total": sum(row.trained for row in rows),
        "people": sum(row.people for row in rows),
        "all_href": links.attendance_page(**period),
    }
    return render(request, "trainings/trained.html", context)


@page_view
@require_safe
def attendance(request: HttpRequest) -> HttpResponse:
    """Attendance records of the trainees of the actor's places: what a figure counts."""
    actor = actor_from(request)
    require_permission(actor, Perm.TRAININGS_VIEW)
    query = AttendanceQueryForm(request.GET, places=_places(request, Perm.TRAININGS_VIEW))
    if not query.is_valid():
        return render(request, "trainings/attendance.html", {"query": query}, status=400)
    cleaned = query.cleaned_data
    found = selectors.attendance_list(
        actor=actor,
        filters=selectors.AttendanceFilters(
            region_code=cleaned["region"],
            kind=cleaned["kind"],
            held_from=cleaned["from"],
            held_to=cleaned["to"],
            attended=yes_no(cleaned["attended"]),
            passed=yes_no(cleaned["passed"]),
            user_id=cleaned["user"],
            session_id=cleaned["session"],
        ),
    )
    rows = list(found[:MAX_ROWS])
    names = region_names(actor=actor, region_codes={r.region_code for r in rows})
    context = {
        "query": query,
        "count": found.count(),
        "rows": [(r, names.get(r.region_code, r.region_code)) for r in rows],
        "shown": len(rows),
    }
    return render(request, "trainings/attendance.html", context)


@page_view
@require_safe
def certificates(request: HttpRequest) -> HttpResponse:
    """Certificates of the actor's places, soonest to expire first, with their status."""
    actor = actor_from(request)
    require_permission(actor, Perm.TRAININGS_VIEW)
    query = CertificateQueryForm(request.GET, places=_places(request, Perm.TRAININGS_VIEW))
    if not query.is_valid():
        return render(request, "trainings/certificates.html", {"query": query}, status=400)
    today = timezone.localdate()
    found = selectors.certificate_list(
        actor=actor,
        filters=selectors.CertificateFilters(
            region_code=query.cleaned_data["region"], status=query.cleaned_data["status"]
        ),
        today=today,
    )
    rows = list(found[:MAX_ROWS])
    names = region_names(actor=actor, region_codes={r.region_code for r in rows})
    context = {
        "query": query,
        "count": found.count(),
        "rows": [
            (
                r,
                names.get(r.region_code, r.region_code),
                selectors.certificate_status(r, today),
                STATUS_LABELS[selectors.certificate_status(r, today)],
            )
            for r in rows
        ],
    }
    return render(request, "trainings/certificates.html", context)
