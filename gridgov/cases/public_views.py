"""The residents' public pages (no login): report a problem, track it by its tracking number, rate
it and reopen it once closed. They show nobody's name or contact and no other case; a signed-in
staff member gets exactly what a resident gets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    condition,
    require_http_methods,
    require_POST,
    require_safe,
)

from gridgov.cases import challenge
from gridgov.cases.errors import TRACKING_NOT_FOUND
from gridgov.cases.models import Case, CaseEvent, HandlingLevel
from gridgov.cases.public_forms import (
    Place,
    RateForm,
    ReopenForm,
    ReportForm,
    TrackByCodeForm,
    TrackForm,
    category_label,
)
from gridgov.cases.selectors import (
    case_by_number_and_code,
    case_by_tracking_token,
    category_list,
)
from gridgov.cases.services import case_rate, case_reopen_by_resident, case_report
from gridgov.cases.services.feedback import REOPEN_WINDOW
from gridgov.cases.sla import expected_datetime
from gridgov.cases.states import State
from gridgov.core.audit import audit_record
from gridgov.core.clientaddress import client_address
from gridgov.core.errors import Conflict, NotFound, ValidationFailed
from gridgov.core.models import AuditEntry
from gridgov.core.pages import add_problems
from gridgov.core.pii import redact_text
from gridgov.regions.public import (
    public_outlines_etag,
    public_outlines_json,
    public_place_rows,
    region_names_public,
)

# The state in plain words, for the resident.
STATE_WORDS = {
    State.REPORTED: gettext_lazy("Received, waiting to be accepted"),
    State.ACCEPTED: gettext_lazy("Accepted, a handler is being assigned"),
    State.NOT_ACCEPTED: gettext_lazy("Not accepted"),
    State.DISPATCHED: gettext_lazy("Assigned to a handler"),
    State.IN_PROGRESS: gettext_lazy("Being handled"),
    State.RETURNED: gettext_lazy("Being handled again after a check"),
    State.RESOLVED: gettext_lazy("Handled, being checked"),
    State.VERIFIED: gettext_lazy("Handled and checked, about to be closed"),
    State.CLOSED: gettext_lazy("Closed"),
    State.TRANSFERRED: gettext_lazy("Passed to a competent department"),
    State.SUSPENDED: gettext_lazy("On hold"),
    State.MERGED: gettext_lazy("Handled together with an earlier report of the same problem"),
}

# Each timeline row as a public step: what happened, never who did it or their note.
STEP_WORDS = {
    "report": gettext_lazy("Your report was received."),
    "accept": gettext_lazy("The report was accepted."),
    "reject": gettext_lazy("The report was not accepted."),
    "dispatch": gettext_lazy("A handler was assigned."),
    "start": gettext_lazy("Handling started."),
    "resolve": gettext_lazy("The handler reported the problem solved."),
    "verify": gettext_lazy("The result was checked."),
    "return": gettext_lazy("The result was sent back for more work."),
    "close": gettext_lazy("The case was closed."),
    "refer_down": gettext_lazy("The case was passed to the level closer to you."),
    "take_back": gettext_lazy("The case came back from the department."),
    "suspend": gettext_lazy("Handling was put on hold."),
    "resume": gettext_lazy("Handling resumed."),
    "reopen": gettext_lazy("The case was reopened at your request."),
    "merge": gettext_lazy("The report was joined to an earlier report of the same problem."),
    "merge_in": gettext_lazy("Another report of the same problem was joined to this one."),
    "rate": gettext_lazy("You rated the handling."),
}
DISPATCHED_AT = gettext_lazy("A handler of %(unit)s was assigned.")
ESCALATED_TO = {
    HandlingLevel.TOWN: gettext_lazy("The case was passed up to the town or street."),
    HandlingLevel.COUNTY: gettext_lazy("The case was passed up to the county."),
}
TRANSFERRED_TO = {
    "department": gettext_lazy("The case was passed to a competent department."),
    "court": gettext_lazy("The case was passed to the court's mediation desk."),
}


# Places and outlines of the county (public geography; no one's data)


def _county_code() -> str:
    return str(settings.GRIDGOV_COUNTY_CODE)


def public_places() -> list[Place]:
    """The county's towns and villages, for the address select."""
    return [Place(*row) for row in public_place_rows(county_code=_county_code())]


def _outlines_etag(request: HttpRequest) -> str:
    return public_outlines_etag(county_code=_county_code())


@require_safe
@condition(etag_func=_outlines_etag)
def boundaries(request: HttpRequest) -> HttpResponse:
    """The county's town and village outlines, simplified, as the report map's backdrop."""
    response = HttpResponse(
        public_outlines_json(county_code=_county_code()), content_type="application/geo+json"
    )
    # The same for everyone, so any cache may keep it; the ETag changes with the boundaries.
    response["Cache-Control"] = "public, max-age=3600"
    return response


# Reporting


def _too_many(request: HttpRequest, limit: challenge.RateLimit) -> HttpResponse:
    minutes = max(1, -(-limit.retry_after() // 60))
    response = render(request, "public/too_many.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(limit.retry_after())
    return response


def _limited(client: str) -> challenge.RateLimit | None:
    for limit in (challenge.REPORTS, challenge.FAILURES):
        if limit.exceeded(client):
            return limit
    return None


def _count_failure(request: HttpRequest, client: str, failure: challenge.Failure) -> None:
    # One audit row per client and window, when it reaches the limit: a script hammering the form
    # must not be able to flood the audit log.
    if challenge.FAILURES.hit(client) == challenge.FAILURES.limit:
        audit_record(
            actor=None,
            action="public.report",
            outcome=AuditEntry.Outcome.DENIED,
            object_type="client",
            object_id=client[:64],
            client_address=client_address(request),
            detail={"reason": "too many refused challenges", "last": failure.value},
        )


def _report_form(request: HttpRequest) -> ReportForm:
    context: dict[str, Any] = {
        "categories": list(category_list()),
        "places": public_places(),
        "county_code": _county_code(),
    }
    if request.method == "POST":
        return ReportForm(request.POST, request.FILES, **context)
    return ReportForm(**context)


def _render_report(request: HttpRequest, form: ReportForm) -> HttpResponse:
    return render(request, "public/report.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def report(request: HttpRequest) -> HttpResponse:
    client = challenge.client_key(client_address(request))
    limit = _limited(client)
    if limit is not None:
        return _too_many(request, limit)
    form = _report_form(request)
    if request.method != "POST":
        return _render_report(request, form)
    valid = form.is_valid()
    if form.challenge_failure is not None and form.challenge_failure != challenge.Failure.MISSING:
        _count_failure(request, client, form.challenge_failure)
    if valid:
        assert form.challenge_nonce is not None
        nonce = form.challenge_nonce
        if not challenge.claim(nonce):
            form.refuse_challenge(challenge.Failure.USED)
            return _render_report(request, form)
        try:
            # actor=None even for a signed-in staff member: this is the residents' channel.
            case = case_report(
                actor=None, data=form.case_input(), client_address=client_address(request)
            )
        except ValidationFailed as error:
            challenge.release(nonce)
            form.apply_service_errors(error)
        else:
            challenge.REPORTS.hit(client)
            return redirect("public:received", token=case.tracking_token)
    return _render_report(request, form)


def _county_case(token: str) -> Case:
    """The case a tracking number names, if it is in the county these pages serve (as Open311
    does); NotFound otherwise."""
    case = case_by_tracking_token(token=token)
    if case.county_code != _county_code():
        raise NotFound(TRACKING_NOT_FOUND)
    return case


def _case_or_404(request: HttpRequest, token: str) -> Case | HttpResponse:
    try:
        return _county_case(token)
    except NotFound:
        return render(request, "public/not_found.html", _track_forms(), status=404)


@require_safe
@never_cache
def received(request: HttpRequest, token: str) -> HttpResponse:
    case = _case_or_404(request, token)
    if isinstance(case, HttpResponse):
        return case
    return render(request, "public/received.html", {"case": case})


# Tracking


@require_safe
def track(request: HttpRequest) -> HttpResponse:
    """Look a report up: by its case number and short code (or the last four digits of the phone
    given), or by its tracking link. Failed look-ups are limited per connection."""
    if "number" in request.GET:
        return _track_by_code(request)
    if "token" not in request.GET:
        return render(request, "public/track.html", _track_forms())
    form = TrackForm(request.GET)
    if form.is_valid():
        token = form.cleaned_data["token"]
        try:
            _county_case(token)
        except NotFound:
            form.add_error(
                "token", _("No report has this tracking number. Check it and try again.")
            )
        else:
            return redirect("public:status", token=token)
    return render(request, "public/track.html", _track_forms(link=form), status=404)


def _track_forms(
    *, code: TrackByCodeForm | None = None, link: TrackForm | None = None
) -> dict[str, Any]:
    return {"code_form": code or TrackByCodeForm(), "form": link or TrackForm()}


def _track_by_code(request: HttpRequest) -> HttpResponse:
    client = challenge.client_key(client_address(request))
    if challenge.LOOKUP_FAILURES.exceeded(client):
        return _too_many(request, challenge.LOOKUP_FAILURES)
    form = TrackByCodeForm(request.GET)
    if not form.is_valid():
        return render(request, "public/track.html", _track_forms(code=form), status=400)
    try:
        case = case_by_number_and_code(
            number=form.cleaned_data["number"], code=form.cleaned_data["code"]
        )
        if case.county_code != _county_code():
            raise NotFound(TRACKING_NOT_FOUND)
    except NotFound:
        challenge.LOOKUP_FAILURES.hit(client)
        form.add_error(None, _("No report has this number and code. Check both and try again."))
        return render(request, "public/track.html", _track_forms(code=form), status=404)
    return redirect("public:status", token=case.tracking_token)


@dataclass(frozen=True)
class Step:
    at: datetime
    text: str
    rating: int | None = None
    # What the handler said they did, with personal data masked (a resolve step).
    note: str = ""


def _step(event: CaseEvent, names: dict[str, str], reporter_name: str) -> Step | None:
    if event.action == "dispatch" and event.handling_code_after in names:
        unit = names[event.handling_code_after]
        return Step(at=event.created_at, text=DISPATCHED_AT % {"unit": unit})
    if event.action == "resolve":
        # Only what the handler wrote for the resident, never the internal note; masked still.
        public_note = str(event.data.get("public_note", ""))
        note = redact_text(public_note, names=[reporter_name] if reporter_name else [])
        return Step(at=event.created_at, text=str(STEP_WORDS["resolve"]), note=note)
    if event.action == "escalate":
        text = ESCALATED_TO.get(HandlingLevel(event.level_after)) if event.level_after else None
    elif event.action == "transfer":
        text = TRANSFERRED_TO.get(
            str(event.data.get("transfer_kind", "")), TRANSFERRED_TO["department"]
        )
    else:
        text = STEP_WORDS.get(event.action)
    if text is None:
        # Internal rows (deadline warnings and the like) are not steps the public sees.
        return None
    rating = event.data.get("rating") if event.action == "rate" else None
    return Step(
        at=event.created_at, text=str(text), rating=rating if isinstance(rating, int) else None
    )


def public_steps(case: Case) -> list[Step]:
    """What was done, as the resident may see it: the steps without who took them; a dispatch
    names the unit (a village, a town), a resolve says what the handler wrote, masked."""
    events = list(
        case.events.order_by("created_at", "id").only(
            "created_at", "action", "level_after", "handling_code_after", "note", "data"
        )
    )
    units = {e.handling_code_after for e in events if e.action == "dispatch"}
    names = region_names_public(region_codes=units)
    # Read only to mask it where the handler wrote it; never shown.
    reporter = str(case.reporter_name.reveal()) if case.reporter_name else ""
    steps = (_step(event, names, reporter) for event in events)
    return [step for step in steps if step is not None]


def _render_status(
    request: HttpRequest,
    case: Case,
    *,
    rate_form: RateForm | None = None,
    reopen_form: ReopenForm | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    closed = case.state == State.CLOSED and case.closed_at is not None
    reopen_until = case.closed_at + REOPEN_WINDOW if closed and case.closed_at else None
    expected = expected_datetime(case)
    context = {
        "token": case.tracking_token,
        "number": case.number,
        "code": case.tracking_code,
        "reported_at": case.created_at,
        "state": case.state,
        "state_words": STATE_WORDS[State(case.state)],
        "category": category_label(case.category),
        "level": case.get_level_display(),
        "expected": expected,
        "overdue": expected is not None and expected < timezone.now(),
        "steps": public_steps(case),
        "closed": closed,
        "rating": case.rating,
        "may_rate": closed and case.rating is None,
        "rate_form": rate_form or RateForm(),
        "reopen_until": reopen_until,
        "may_reopen": reopen_until is not None and timezone.now() <= reopen_until,
        "reopen_form": reopen_form or ReopenForm(),
        "conflict": conflict,
    }
    return render(request, "public/status.html", context, status=status)


@require_safe
@never_cache
def status(request: HttpRequest, token: str) -> HttpResponse:
    case = _case_or_404(request, token)
    if isinstance(case, HttpResponse):
        return case
    return _render_status(request, case)


@require_POST
def rate(request: HttpRequest, token: str) -> HttpResponse:
    case = _case_or_404(request, token)
    if isinstance(case, HttpResponse):
        return case
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            case_rate(
                case=case,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except Conflict as error:
            return _render_status(request, case, conflict=error.message, status=409)
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("public:status", token=token)
    return _render_status(request, case, rate_form=form)


@require_POST
def reopen(request: HttpRequest, token: str) -> HttpResponse:
    case = _case_or_404(request, token)
    if isinstance(case, HttpResponse):
        return case
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            case_reopen_by_resident(case=case, reason=form.cleaned_data["reason"])
        except Conflict as error:
            return _render_status(request, case, conflict=error.message, status=409)
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(
                request, _("The case has been reopened and goes back to its handlers.")
            )
            return redirect("public:status", token=token)
    return _render_status(request, case, reopen_form=form)
