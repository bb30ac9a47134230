"""Mediation pages: a mediator's day, the desk's registration form, a file and the work on it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gridgov.accounts.actors import actor_from
from gridgov.cases.selectors import category_list
from gridgov.core.access import Perm
from gridgov.core.clientaddress import client_address
from gridgov.core.codes import is_within
from gridgov.core.errors import ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import require_permission
from gridgov.mediation import selectors
from gridgov.mediation.analysis import analysis_report, report_names
from gridgov.mediation.documents import DOCX_KINDS, KINDS, TITLES
from gridgov.mediation.forms import (
    FileQueryForm,
    FollowUpForm,
    JudicialForm,
    MeetingForm,
    OutcomeForm,
    PeriodForm,
    RecordForm,
    ReferForm,
    RegisterForm,
    RiskFollowUpForm,
    RiskQueryForm,
    SessionForm,
)
from gridgov.mediation.models import AGREED, CentreLevel, MediationFile, RiskLevel, Track
from gridgov.mediation.services import (
    DisputeInput,
    MeetingInput,
    PartyInput,
    TaskInput,
    dispute_register,
    file_record_follow_up,
    file_record_judicial,
    file_record_outcome,
    file_refer,
    meeting_record,
    meeting_task_done,
    risk_follow_up,
    session_record,
    session_schedule,
)
from gridgov.mediation.services.work import OutcomeInput
from gridgov.regions.selectors import region_names, report_regions


@page_view
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    require_permission(actor, Perm.MEDIATION_VIEW)
    day = selectors.mediator_day(actor=actor)
    urgent = selectors.urgent_risks(actor=actor)
    context = {
        "day": day,
        "urgent": urgent,
        "tasks": selectors.my_tasks(actor=actor),
        "risk_follow_ups": selectors.risk_follow_ups_due(actor=actor),
        "today": timezone.localdate(),
    }
    return render(request, "mediation/home.html", context)


def _bad_query(request: HttpRequest, form: forms.Form) -> HttpResponse:
    return render(request, "mediation/bad_query.html", {"form": form}, status=400)


@page_view
@require_safe
def risks(request: HttpRequest) -> HttpResponse:
    """The risk register: red and orange first (the county sees them at once), open ones unless
    all are asked for; a figure's link narrows it to a place and a period."""
    actor = actor_from(request)
    query = RiskQueryForm(request.GET)
    if not query.is_valid():
        return _bad_query(request, query)
    data = query.cleaned_data
    narrowed = any(data[name] for name in RISK_PERIOD_FIELDS)
    show_all = data["all"] or narrowed
    filters = selectors.RiskFilters(
        region_code=data["region"] or "",
        open_only=not show_all,
        urgent_only=data["urgent"],
        **{name: data[name] for name in RISK_PERIOD_FIELDS},
    )
    rows = selectors.risk_list(actor=actor, filters=filters)[:200]
    context = {
        "risks": rows,
        "show_all": show_all,
        "narrowed": narrowed,
        "urgent": data["urgent"],
    }
    return render(request, "mediation/risks.html", context)


RISK_PERIOD_FIELDS = ("found_from", "found_before", "resolved_from", "resolved_before")
FILE_PERIOD_FIELDS = (
    "registered_from",
    "registered_before",
    "concluded_from",
    "concluded_before",
    "referred_from",
    "referred_before",
)
LIST_MAX = 200


@page_view
@require_safe
def files(request: HttpRequest) -> HttpResponse:
    """Mediation files of the jurisdiction, newest first, narrowed by the same query as the API's
    list: what a figure of the analysis report counts."""
    actor = actor_from(request)
    require_permission(actor, Perm.MEDIATION_VIEW)
    query = FileQueryForm(request.GET)
    if not query.is_valid():
        return _bad_query(request, query)
    data = query.cleaned_data
    filters = selectors.FileFilters(
        region_code=data["region"] or "",
        open_only=data["open"],
        outcome=data["outcome"],
        centre_level=data["centre_level"],
        **{name: data[name] for name in FILE_PERIOD_FIELDS},
    )
    found = selectors.file_list(actor=actor, filters=filters)
    total = found.count()
    context = {"files": list(found[:LIST_MAX]), "total": total, "shown": min(total, LIST_MAX)}
    return render(request, "mediation/files.html", context)


def _month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


@page_view
@require_safe
def analysis(request: HttpRequest) -> HttpResponse:
    """Analysis and judgment for a place and a period (this month by default): the seed's
    figures, each a link to the records it counts, then the breakdowns and the hotspots; the
    same report as a PDF and an xlsx."""
    actor = actor_from(request)
    places = selectors.report_places(actor=actor)
    first, last = _month(timezone.localdate())
    asked = {"region": places[0][0] if places else "", "start": first, "end": last}
    asked.update(request.GET.dict())
    form = PeriodForm(asked, places=places)
    if not form.is_valid():
        return render(request, "mediation/analysis.html", {"form": form}, status=400)
    region, start, end = (form.cleaned_data[name] for name in ("region", "start", "end"))
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    report = analysis_report(actor=actor, region_code=region, since=since, until=until)
    names = report_names(actor=actor, report=report)
    query = urlencode({"region": region, "from": start.isoformat(), "to": end.isoformat()})
    downloads = reverse("mediation-api:analysis-report")
    context = {
        "form": form,
        "report": report,
        "place": dict(places).get(region, ""),
        "by_kind": [(names.kind(code), n) for code, n in report.by_kind.items()],
        "by_level": [
            (CentreLevel(level).label, report.by_level.get(level, 0))
            for level in CentreLevel.values
        ],
        "referrals": [
            (Track(r.from_track).label, Track(r.to_track).label, r.count) for r in report.referrals
        ],
        "open_risks": [
            (level, RiskLevel(level).label, report.open_risks.get(level, 0))
            for level in RiskLevel.values
        ],
        "hotspots": [(names.grid(h.grid_code), h) for h in report.hotspots],
        "meetings": list(
            selectors.meeting_list(actor=actor, region_code=region, since=start, until=end)[:20]
        ),
        "may_record": bool(actor.jurisdiction_codes(Perm.MEDIATION_WORK)),
        "meeting_query": urlencode(
            {"region": region, "start": start.isoformat(), "end": end.isoformat()}
        ),
        "pdf": f"{downloads}?{query}&format=pdf",
        "xlsx": f"{downloads}?{query}&format=xlsx",
    }
    return render(request, "mediation/analysis.html", context)


def _register_form(request: HttpRequest, actor: Any) -> RegisterForm:
    centres = [(c.pk, c.name) for c in selectors.desk_centres(actor=actor)[:500]]
    categories = [(c.code, c.name) for c in category_list().filter(is_dispute=True, children=None)]
    places = [(place.code, place.label) for place in report_regions(actor=actor)]
    mediators = [
        (m.username, f"{m.name}（{m.centre}）" if m.centre else m.name)
        for m in selectors.desk_mediators(actor=actor)
    ]
    data = request.POST if request.method == "POST" else None
    return RegisterForm(
        data, centres=centres, categories=categories, places=places, mediators=mediators
    )


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponseBase:
    actor = actor_from(request)
    require_permission(actor, Perm.MEDIATION_WORK)
    form = _register_form(request, actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        amount = data.get("amount_involved")
        try:
            file = dispute_register(
                actor=actor,
                data=DisputeInput(
                    centre_id=data["centre"],
                    category_code=data["category"],
                    channel=data["channel"],
                    title=data["title"],
                    facts=data["facts"],
                    region_code=data["region_code"].strip(),
                    address=data["address"],
                    amount_involved="" if amount is None else str(amount),
                    people_band=data["people_band"],
                    parties=[
                        PartyInput(side=side, **form.party(side))
                        for side in ("applicant", "respondent")
                    ],
                    mediator_usernames=data["mediators"],
                ),
                client_address=client_address(request),
            )
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(
                request, _("Mediation file %(number)s opened.") % {"number": file.number}
            )
            return redirect("mediation:detail", number=file.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "mediation/register.html", {"form": form}, status=status)


def _detail(
    request: HttpRequest, file: MediationFile, *, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    forms_by_name: dict[str, forms.Form] = {
        "session": SessionForm(),
        "record": RecordForm(),
        "outcome": OutcomeForm(),
        "follow_up": FollowUpForm(),
        "judicial": JudicialForm(),
        "refer": ReferForm(),
        **(bound or {}),
    }
    actor = actor_from(request)
    may_work = (
        bool(actor.jurisdiction_codes(Perm.MEDIATION_WORK))
        and selectors.file_queryset(actor=actor, work=True).filter(pk=file.pk).exists()
    )
    context = {
        "file": file,
        "parties": list(file.parties.all()),
        "sessions": list(file.sessions.all()),
        "mediators": list(file.mediators.all()),
        "agreed": file.outcome in AGREED,
        "may_work": may_work,
        "forms": forms_by_name,
        "referrals": list(file.referrals.select_related("actor")),
        "documents": [(kind, TITLES[kind], kind in DOCX_KINDS) for kind in KINDS],
    }
    return render(request, "mediation/detail.html", context, status=400 if bound else 200)


@page_view
@require_safe
def detail(request: HttpRequest, number: str) -> HttpResponse:
    file = selectors.file_get(actor=actor_from(request), number=number)
    return _detail(request, file)


def _work(
    name: str,
    form_class: type[forms.Form],
    act: Callable[[Any, MediationFile, dict[str, Any]], Any],
) -> Callable[..., HttpResponseBase]:
    """A POST on a file: bind the form, call the service, back to the file (or the file again
    with the form's errors)."""

    @page_view
    @require_POST
    def view(request: HttpRequest, number: str, **kwargs: Any) -> HttpResponseBase:
        actor = actor_from(request)
        file = selectors.file_get(actor=actor, number=number, work=True)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                act(actor, file, {**form.cleaned_data, **kwargs})
            except ValidationFailed as error:
                add_problems(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("mediation:detail", number=file.number)
        return _detail(request, file, bound={name: form})

    view.__name__ = f"{name}_view"
    return view


def _schedule(actor: Any, file: MediationFile, data: dict[str, Any]) -> Any:
    return session_schedule(
        actor=actor,
        file=file,
        starts_at=data["starts_at"],
        place=data["place"],
        online=data["online"],
        participants=data["participants"],
    )


def _record(actor: Any, file: MediationFile, data: dict[str, Any]) -> Any:
    session = selectors.session_get(actor=actor, file=file, session_id=data["session_id"])
    return session_record(
        actor=actor, session=session, record=data["record"], participants=data["participants"]
    )


def _outcome(actor: Any, file: MediationFile, data: dict[str, Any]) -> Any:
    return file_record_outcome(
        actor=actor,
        file=file,
        data=OutcomeInput(
            outcome=data["outcome"],
            agreed_terms=data["agreed_terms"],
            responsibilities=data["responsibilities"],
            performance_method=data["performance_method"],
            performance_place=data["performance_place"],
            performance_deadline=data["performance_deadline"],
            note=data["note"],
        ),
    )


def _follow_up(actor: Any, file: MediationFile, data: dict[str, Any]) -> Any:
    return file_record_follow_up(
        actor=actor, file=file, performed=data["performed"], note=data["note"]
    )


def _judicial(actor: Any, file: MediationFile, data: dict[str, Any]) -> Any:
    return file_record_judicial(actor=actor, file=file, status=data["status"], court=data["court"])


def _refer(actor: Any, file: MediationFile, data: dict[str, Any]) -> Any:
    return file_refer(
        actor=actor, file=file, to_track=data["to_track"], unit=data["unit"], reason=data["reason"]
    )


session_add = _work("session", SessionForm, _schedule)
session_write = _work("record", RecordForm, _record)
outcome = _work("outcome", OutcomeForm, _outcome)
follow_up = _work("follow_up", FollowUpForm, _follow_up)
judicial = _work("judicial", JudicialForm, _judicial)
refer = _work("refer", ReferForm, _refer)


def _report_period(request: HttpRequest, actor: Any) -> tuple[PeriodForm, list[tuple[str, str]]]:
    """The report a meeting is on: the place and period in the query (as on the analysis page)."""
    places = selectors.report_places(actor=actor)
    first, last = _month(timezone.localdate())
    asked: dict[str, Any] = {"region": places[0][0] if places else "", "start": first, "end": last}
    asked.update({k: v for k, v in request.GET.items() if k in ("region", "start", "end")})
    return PeriodForm(asked, places=places), places


def _meeting_form(request: HttpRequest, actor: Any, region: str) -> MeetingForm:
    risks = [
        (str(risk.pk), f"{risk.get_level_display()} · {risk.title}")
        for risk in selectors.risk_list(
            actor=actor, filters=selectors.RiskFilters(region_code=region, open_only=True)
        )[:100]
    ]
    owners = [
        (user.username, user.display_name or user.username)
        for user in selectors.task_owners(actor=actor, region_code=region)
    ]
    data = request.POST if request.method == "POST" else None
    return MeetingForm(data, risks=risks, owners=owners)


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponseBase:
    """Record a joint meeting on the report of a place and period."""
    actor = actor_from(request)
    require_permission(actor, Perm.MEDIATION_WORK)
    period, places = _report_period(request, actor)
    if not period.is_valid():
        return _bad_query(request, period)
    region, start, end = (period.cleaned_data[name] for name in ("region", "start", "end"))
    form = _meeting_form(request, actor, region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_record(
                actor=actor,
                data=MeetingInput(
                    region_code=region,
                    since=start,
                    until=end,
                    held_on=data["held_on"],
                    attendees=data["attendees"],
                    decisions=data["decisions"],
                    case_numbers=data["cases"].split(),
                    risk_ids=[int(risk_id) for risk_id in data["risks"]],
                    tasks=[
                        TaskInput(description=text, owner_username=owner, due_on=due)
                        for text, owner, due in form.task_rows()
                    ],
                ),
            )
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The joint meeting is recorded."))
            return redirect("mediation:meeting", meeting_id=meeting.pk)
    context = {"form": form, "place": dict(places).get(region, ""), "start": start, "end": end}
    status = 400 if request.method == "POST" else 200
    return render(request, "mediation/meeting_new.html", context, status=status)


@page_view
@require_safe
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    actor = actor_from(request)
    found = selectors.meeting_get(actor=actor, meeting_id=meeting_id)
    names = region_names(actor=actor, region_codes={found.region_code})
    query = urlencode(
        {"region": found.region_code, "start": found.since.isoformat(), "end": found.until}
    )
    context = {
        "meeting": found,
        "place": names.get(found.region_code, ""),
        "report": f"{reverse('mediation:analysis')}?{query}",
        "tasks": list(found.tasks.all()),
    }
    return render(request, "mediation/meeting.html", context)


@page_view
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponseBase:
    actor = actor_from(request)
    task = selectors.task_get(actor=actor, task_id=task_id)
    meeting_task_done(actor=actor, task=task)
    messages.success(request, _("Saved."))
    return redirect("mediation:meeting", meeting_id=task.meeting_id)


def _risk_page(
    request: HttpRequest, risk: Any, form: RiskFollowUpForm | None = None
) -> HttpResponse:
    actor = actor_from(request)
    may_work = any(
        is_within(risk.region_code, code) for code in actor.jurisdiction_codes(Perm.MEDIATION_WORK)
    )
    context = {
        "risk": risk,
        "follow_ups": list(risk.follow_ups.select_related("actor")),
        "cases": list(risk.cases.all()),
        "may_work": may_work,
        "form": form or RiskFollowUpForm(),
    }
    return render(request, "mediation/risk.html", context, status=400 if form else 200)


@page_view
@require_safe
def risk(request: HttpRequest, risk_id: int) -> HttpResponse:
    return _risk_page(request, selectors.risk_get(actor=actor_from(request), risk_id=risk_id))


@page_view
@require_POST
def risk_follow_up_view(request: HttpRequest, risk_id: int) -> HttpResponseBase:
    """Record a follow-up of a risk: what it found, a new status, the next follow-up's date."""
    actor = actor_from(request)
    found = selectors.risk_get(actor=actor, risk_id=risk_id, work=True)
    form = RiskFollowUpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            risk_follow_up(
                actor=actor,
                risk=found,
                note=data["note"],
                status=data["status"],
                next_follow_up_on=data["next_follow_up_on"],
            )
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("mediation:risk", risk_id=found.pk)
    return _risk_page(request, found, form)
