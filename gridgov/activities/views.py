"""The activities' pages: the log of one's places (a desk list for officials, filtered by kind,
place and period), logging an activity, one activity, and "my patrol" on a grid worker's phone:
start, check in here, report a problem, finish."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gridgov.accounts.actors import actor_from
from gridgov.activities import errors, selectors, services
from gridgov.activities.forms import (
    ActivityForm,
    ActivityQueryForm,
    CheckInForm,
    FinishForm,
    ProblemForm,
)
from gridgov.activities.models import Activity, ActivityKind
from gridgov.cases.models import Channel
from gridgov.cases.selectors import category_list
from gridgov.cases.services import CaseInput
from gridgov.core.access import Perm
from gridgov.core.clientaddress import client_address
from gridgov.core.codes import CODE_LENGTHS, minimal_cover
from gridgov.core.errors import NotFound, ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import require_permission
from gridgov.regions.selectors import region_list, region_names
from gridgov.teams.selectors import members_to_name

MAX_ROWS = 200
MAX_PLACES = 2000


def _places(request: HttpRequest, permission: str) -> list[tuple[str, str]]:
    """The places (not micro-grids) where the actor holds `permission`, by name with the place
    they lie in."""
    actor = actor_from(request)
    codes = actor.jurisdiction_codes(permission)
    regions = region_list(actor=actor).exclude(level="micro_grid").select_related("parent")
    return [
        (
            region.region_code,
            f"{region.name} · {region.parent.name}" if region.parent else region.name,
        )
        for region in regions[:MAX_PLACES]
        if any(region.region_code.startswith(code) for code in codes)
    ]


def _may_log(actor: Any) -> bool:
    return bool(actor.jurisdiction_codes(Perm.ACTIVITIES_LOG))


def _members(
    request: HttpRequest, places: list[tuple[str, str]]
) -> list[tuple[str, list[tuple[int, str]]]]:
    """The team members serving at the actor's places, grouped by place, each named with their
    team: the choices of who took part."""
    actor = actor_from(request)
    names = dict(places)
    tops = minimal_cover([code for code, _name in places])
    groups: dict[str, list[tuple[int, str]]] = {}
    for member in members_to_name(actor=actor, within=tops):
        # A member may serve at a micro-grid, which the places leave out: name the place it is in.
        place = next(
            (
                names[member.region_code[:length]]
                for length in sorted(CODE_LENGTHS, reverse=True)
                if member.region_code[:length] in names
            ),
            names.get(member.team.region_code, ""),
        )
        groups.setdefault(place, []).append(
            (member.pk, f"{member.name} · {member.team.get_kind_display()}")
        )
    return list(groups.items())


@page_view
@require_safe
def activity_list(request: HttpRequest) -> HttpResponse:
    """The activities of the actor's places, newest first, with how many of each kind."""
    actor = actor_from(request)
    require_permission(actor, Perm.ACTIVITIES_VIEW)
    query = ActivityQueryForm(request.GET, places=_places(request, Perm.ACTIVITIES_VIEW))
    context: dict[str, Any] = {"query": query, "may_log": _may_log(actor)}
    if not query.is_valid():
        return render(request, "activities/list.html", context, status=400)
    data = query.cleaned_data
    filters = selectors.ActivityFilters(
        kind=data["kind"],
        region_code=data["region"],
        person=actor.username if data["mine"] else "",
        recorder_id=data["by"],
        finished_only=data["finished"],
        since=data["since"],
        until=data["until"],
    )
    activities = list(selectors.activity_list(actor=actor, filters=filters)[:MAX_ROWS])
    names = region_names(actor=actor, region_codes={a.region_code for a in activities})
    counts = selectors.kind_counts(actor=actor, filters=filters)
    context["rows"] = [(a, names.get(a.region_code, a.region_code)) for a in activities]
    context["kinds"] = [(kind, label, counts.get(kind, 0)) for kind, label in ActivityKind.choices]
    context["shown_max"] = len(activities) == MAX_ROWS
    return render(request, "activities/list.html", context)


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def activity_new(request: HttpRequest) -> HttpResponseBase:
    """Log an activity done; back to the log once it is saved."""
    actor = actor_from(request)
    require_permission(actor, Perm.ACTIVITIES_LOG)
    places = _places(request, Perm.ACTIVITIES_LOG)
    if request.method != "POST":
        initial: dict[str, Any] = {
            "started_at": timezone.localtime().replace(second=0, microsecond=0)
        }
        if request.GET.get("kind") in dict(ActivityKind.choices):
            initial["kind"] = request.GET["kind"]
        if places:
            initial["region_code"] = places[0][0]
        form = ActivityForm(initial=initial, places=places, members=_members(request, places))
        return render(request, "activities/new.html", {"form": form})
    form = ActivityForm(
        request.POST, request.FILES, places=places, members=_members(request, places)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_log(
                actor=actor,
                data=services.ActivityInput(
                    kind=data["kind"],
                    started_at=data["started_at"],
                    ended_at=data["ended_at"],
                    place=data["place"],
                    region_code=data["region_code"],
                    topic=data["topic"],
                    audience=data["audience"] or 0,
                    outcome=data["outcome"],
                    mediation_file_number=data["mediation_file_number"],
                    school=data["school"],
                    lecturer=data["lecturer"],
                    photos=data["photos"],
                    team_member_ids=data["team_members"],
                ),
            )
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(request, _("Activity logged."))
            return redirect("activities:detail", activity_id=activity.pk)
    return render(request, "activities/new.html", {"form": form}, status=400)


@page_view
@require_safe
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = actor_from(request)
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    check_ins = list(activity.check_ins.all())
    names = region_names(
        actor=actor, region_codes={activity.region_code} | {c.region_code for c in check_ins}
    )
    context = {
        "activity": activity,
        "place_name": names.get(activity.region_code, activity.region_code),
        "check_ins": [(c, names.get(c.region_code, c.region_code)) for c in check_ins],
        "participants": [u.display_name or u.username for u in activity.participants.all()],
        "cases": list(activity.cases.all()),
        "photos": list(activity.photos.order_by("id")),
        "mine_open": activity.is_open and activity.recorded_by_id == actor.pk,
    }
    return render(request, "activities/detail.html", context)


@page_view
@require_safe
def activity_photo(request: HttpRequest, activity_id: int, photo_id: int) -> FileResponse:
    """An activity's photo, for whoever may see the activity."""
    activity = selectors.activity_get(actor=actor_from(request), activity_id=activity_id)
    item = next((p for p in activity.photos.all() if p.pk == photo_id), None)
    if item is None:
        raise NotFound(errors.ACTIVITY_NOT_FOUND)
    try:
        handle = item.image.open("rb")
    except FileNotFoundError as error:
        raise NotFound(errors.ACTIVITY_NOT_FOUND) from error
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# My patrol


def _patrol_page(
    request: HttpRequest,
    patrol: Activity | None,
    *,
    check_in: CheckInForm | None = None,
    finish: FinishForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_from(request)
    context: dict[str, Any] = {"patrol": patrol}
    if patrol is not None:
        check_ins = list(patrol.check_ins.order_by("at", "id"))
        names = region_names(actor=actor, region_codes={c.region_code for c in check_ins})
        context.update(
            check_ins=[(c, names.get(c.region_code, c.region_code)) for c in check_ins],
            cases=list(patrol.cases.order_by("id")),
            check_in_form=check_in or CheckInForm(),
            finish_form=finish or FinishForm(),
        )
    else:
        since = timezone.localdate() - timedelta(days=30)
        recent = selectors.activity_list(
            actor=actor,
            filters=selectors.ActivityFilters(
                kind=ActivityKind.PATROL, person=actor.username, since=since
            ),
        )
        context["recent"] = list(recent[:10])
    return render(request, "activities/patrol.html", context, status=status)


@page_view
@require_safe
def patrol(request: HttpRequest) -> HttpResponse:
    """The worker's patrol under way, or a button to start one."""
    return _patrol_page(request, selectors.open_patrol(actor=actor_from(request)))


@page_view
@require_POST
def patrol_start(request: HttpRequest) -> HttpResponseBase:
    services.patrol_start(actor=actor_from(request))
    messages.success(request, _("Patrol started: check in as you go."))
    return redirect("activities:patrol")


def _own_patrol(request: HttpRequest, activity_id: int) -> Activity:
    return selectors.activity_get(actor=actor_from(request), activity_id=activity_id, log=True)


@page_view
@require_POST
def patrol_check_in(request: HttpRequest, activity_id: int) -> HttpResponseBase:
    actor = actor_from(request)
    patrol = _own_patrol(request, activity_id)
    form = CheckInForm(request.POST)
    # Without a position the hidden fields are empty: the service says what is missing (after
    # checking the patrol is the actor's and under way).
    values = form.cleaned_data if form.is_valid() else {}
    try:
        check_in = services.patrol_check_in(
            actor=actor,
            patrol=patrol,
            latitude=values.get("latitude"),
            longitude=values.get("longitude"),
            accuracy_m=values.get("accuracy_m"),
            note=values.get("note", ""),
        )
    except ValidationFailed as error:
        add_problems(form, error)
        return _patrol_page(request, patrol, check_in=form, status=400)
    text = _("Checked in at %(time)s.") % {
        "time": timezone.localtime(check_in.at).strftime("%H:%M")
    }
    messages.success(request, text)
    return redirect("activities:patrol")


def _categories() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in category_list().filter(children=None)]


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def patrol_problem(request: HttpRequest, activity_id: int) -> HttpResponseBase:
    """Report a problem found on the patrol as a case, in one step."""
    actor = actor_from(request)
    patrol = _own_patrol(request, activity_id)
    services.patrol_check_walker(actor=actor, patrol=patrol)
    if request.method != "POST":
        form = ProblemForm(categories=_categories())
        return render(request, "activities/problem.html", {"patrol": patrol, "form": form})
    form = ProblemForm(request.POST, request.FILES, categories=_categories())
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = services.patrol_report_problem(
                actor=actor,
                patrol=patrol,
                data=CaseInput(
                    category_code=data["category"],
                    description=data["description"],
                    channel=Channel.GRID_PATROL,
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    photos=data["photos"],
                ),
                client_address=client_address(request),
            )
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(request, _("Case %(number)s reported.") % {"number": case.number})
            return redirect("activities:patrol")
    elif "latitude" in form.errors or "longitude" in form.errors:
        form.add_error(None, errors.POINT_REQUIRED.bind().message)
    return render(request, "activities/problem.html", {"patrol": patrol, "form": form}, status=400)


@page_view
@require_POST
def patrol_finish(request: HttpRequest, activity_id: int) -> HttpResponseBase:
    actor = actor_from(request)
    patrol = _own_patrol(request, activity_id)
    form = FinishForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.patrol_finish(
                actor=actor,
                patrol=patrol,
                outcome=form.cleaned_data["outcome"],
                photos=form.cleaned_data["photos"],
            )
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(request, _("Patrol finished."))
            return redirect("activities:detail", activity_id=patrol.pk)
    return _patrol_page(request, patrol, finish=form, status=400)
