"""The volunteer pages: events (a volunteer signs up and checks in on a phone; the organiser
keeps the roster at a desk), hours and stars, residents' micro-wishes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gridgov.accounts.actors import actor_from
from gridgov.core import codes
from gridgov.core.access import Perm
from gridgov.core.clientaddress import client_address
from gridgov.core.errors import Conflict, ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import require_permission
from gridgov.regions.selectors import region_list, region_names
from gridgov.teams.models import TeamKind
from gridgov.teams.selectors import members_serving_in
from gridgov.volunteers import selectors
from gridgov.volunteers.forms import (
    ActForm,
    CorrectForm,
    EventForm,
    EventQueryForm,
    HoursQueryForm,
    SignUpForOtherForm,
    WishForm,
    WishPhoneForm,
    WishQueryForm,
    WishStepForm,
)
from gridgov.volunteers.models import MicroWish, ServiceEvent, SignUp, WishState
from gridgov.volunteers.rules import STAR_HOURS
from gridgov.volunteers.services import events as event_services
from gridgov.volunteers.services.wishes import (
    WishInput,
    may_reveal_phone,
    wish_record,
    wish_reveal_phone,
    wish_step,
)
from gridgov.volunteers.states import (
    NOTE_REQUIRED,
    STEP_LABELS,
    TRANSITIONS,
    Who,
    WishStep,
    steps_from,
)

MAX_ROWS = 200
MAX_PLACES = 2000


def _places(request: HttpRequest, permission: str) -> list[tuple[str, str]]:
    """The places (county to grid) where the actor holds `permission`, by name, as choices."""
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
    ]


def _within(actor: Any, code: str, permission: str) -> bool:
    return any(codes.is_within(code, top) for top in actor.jurisdiction_codes(permission))


# Events


@page_view
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    """The events of the actor's places: those coming up first (soonest first), then the past."""
    actor = actor_from(request)
    require_permission(actor, Perm.VOLUNTEERS_VIEW)
    query = EventQueryForm(request.GET, places=_places(request, Perm.VOLUNTEERS_VIEW))
    if not query.is_valid():
        return render(request, "volunteers/events.html", {"query": query}, status=400)
    region = query.cleaned_data["region"]
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    coming = list(
        selectors.event_list(
            actor=actor,
            filters=selectors.EventFilters(region_code=region, starts_after=today),
        ).order_by("starts_at", "id")[:MAX_ROWS]
    )
    past = list(
        selectors.event_list(
            actor=actor, filters=selectors.EventFilters(region_code=region, starts_before=today)
        )[:MAX_ROWS]
    )
    names = region_names(actor=actor, region_codes={e.region_code for e in coming + past})
    mine = selectors.own_event_ids(actor=actor, event_ids={e.pk for e in coming + past})
    context = {
        "query": query,
        "coming": [(e, names.get(e.region_code, e.region_code), e.pk in mine) for e in coming],
        "past": [(e, names.get(e.region_code, e.region_code), e.pk in mine) for e in past],
        "may_organise": bool(actor.jurisdiction_codes(Perm.VOLUNTEERS_MANAGE)),
    }
    return render(request, "volunteers/events.html", context)


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def event_new(request: HttpRequest) -> HttpResponseBase:
    """An organiser holds a service event at one of their places."""
    actor = actor_from(request)
    require_permission(actor, Perm.VOLUNTEERS_MANAGE)
    data = request.POST if request.method == "POST" else None
    form = EventForm(data, places=_places(request, Perm.VOLUNTEERS_MANAGE))
    if request.method == "POST":
        if form.is_valid():
            cleaned = form.cleaned_data
            try:
                event = event_services.event_create(
                    actor=actor,
                    data=event_services.EventInput(
                        title=cleaned["title"],
                        region_code=cleaned["region_code"],
                        address=cleaned["address"],
                        description=cleaned["description"],
                        starts_at=cleaned["starts_at"],
                        ends_at=cleaned["ends_at"],
                        capacity=cleaned["capacity"],
                    ),
                )
            except ValidationFailed as error:
                add_problems(form, error)
            else:
                messages.success(request, _("The event is open for sign-up."))
                return redirect("volunteers:event", event_id=event.pk)
        return render(request, "volunteers/event_new.html", {"form": form}, status=400)
    return render(request, "volunteers/event_new.html", {"form": form})


def _event_page(request: HttpRequest, event: ServiceEvent, status: int = 200) -> HttpResponse:
    actor = actor_from(request)
    organiser = _within(actor, event.region_code, Perm.VOLUNTEERS_MANAGE)
    serving = _within(actor, event.region_code, Perm.VOLUNTEERS_SERVE)
    entries = list(selectors.event_sign_ups(event=event))
    names = region_names(actor=actor, region_codes={event.region_code})
    context: dict[str, Any] = {
        "event": event,
        "place": names.get(event.region_code, event.region_code),
        "entries": entries,
        "taken": len(entries),
        "checked_in": sum(1 for entry in entries if entry.checked_in_at),
        "organiser": organiser,
        "is_over": event.ends_at <= timezone.now(),
        "serving": serving,
        "volunteer": None,
        "own": None,
    }
    if serving:
        context["volunteer"] = selectors.own_volunteer(actor=actor)
        context["own"] = selectors.own_sign_up(actor=actor, event=event)
    if organiser:
        signed = {entry.member_id for entry in entries}
        members = members_serving_in(
            kind=TeamKind.VOLUNTEERS, within=actor.jurisdiction_codes(Perm.VOLUNTEERS_MANAGE)
        )
        context["sign_up_form"] = SignUpForOtherForm(
            members=[(m.pk, m.name) for m in members if m.pk not in signed]
        )
    return render(request, "volunteers/event.html", context, status=status)


@page_view
@require_safe
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(actor=actor_from(request), event_id=event_id)
    return _event_page(request, event)


ACT_MESSAGES = {
    "sign_up": gettext_lazy("Signed up: %(name)s."),
    "withdraw": gettext_lazy("%(name)s withdrew."),
    "check_in": gettext_lazy("Checked in: %(name)s."),
    "check_out": gettext_lazy("Checked out: %(name)s, %(minutes)s minutes."),
}


@page_view
@require_POST
def event_act(request: HttpRequest, event_id: int) -> HttpResponseBase:
    """Sign up, withdraw, check in or out: a volunteer for themselves (no `member`), or an
    organiser for a named volunteer. A refusal for the event's state comes back as a message."""
    actor = actor_from(request)
    require_permission(actor, Perm.VOLUNTEERS_VIEW)
    form = ActForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed.from_messages(form.errors)
    action, member = form.cleaned_data["action"], form.cleaned_data["member"]
    permission = Perm.VOLUNTEERS_MANAGE if member is not None else Perm.VOLUNTEERS_SERVE
    event = selectors.event_get(actor=actor, event_id=event_id, permission=permission)
    try:
        entry: SignUp
        if action == "sign_up":
            entry = event_services.sign_up(actor=actor, event=event, member_id=member)
        elif action == "withdraw":
            entry = event_services.sign_up_withdraw(actor=actor, event=event, member_id=member)
        elif action == "check_in":
            entry = event_services.check_in(
                actor=actor, event=event, member_id=member, at=form.cleaned_data["at"]
            )
        else:
            entry = event_services.check_out(
                actor=actor, event=event, member_id=member, at=form.cleaned_data["at"]
            )
    except Conflict as error:
        messages.error(request, error.message)
    else:
        message = str(ACT_MESSAGES[action]) % {"name": entry.member.name, "minutes": entry.minutes}
        messages.success(request, message)
    return redirect("volunteers:event", event_id=event.pk)


@page_view
@require_POST
def event_correct(request: HttpRequest, event_id: int) -> HttpResponseBase:
    """An organiser sets the minutes a volunteer served, with the reason."""
    actor = actor_from(request)
    event = selectors.event_get(actor=actor, event_id=event_id, permission=Perm.VOLUNTEERS_MANAGE)
    form = CorrectForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed.from_messages(form.errors)
    entry = event_services.sign_up_correct(
        actor=actor,
        event=event,
        member_id=form.cleaned_data["member"],
        minutes=form.cleaned_data["minutes"],
        note=form.cleaned_data["note"],
    )
    messages.success(
        request,
        _("%(name)s: %(minutes)s minutes count.")
        % {"name": entry.member.name, "minutes": entry.minutes},
    )
    return redirect("volunteers:event", event_id=event.pk)


# Hours and stars


@page_view
@require_safe
def hours(request: HttpRequest) -> HttpResponse:
    """The volunteers of the actor's places by hours served, with their stars; a volunteer's
    own hours on top."""
    actor = actor_from(request)
    require_permission(actor, Perm.VOLUNTEERS_VIEW)
    query = HoursQueryForm(request.GET, places=_places(request, Perm.VOLUNTEERS_VIEW))
    if not query.is_valid():
        return render(request, "volunteers/hours.html", {"query": query}, status=400)
    rows = selectors.volunteer_hours(
        actor=actor,
        region_code=query.cleaned_data["region"],
        min_stars=query.cleaned_data["min_stars"] or 0,
    )
    names = region_names(actor=actor, region_codes={row.region_code for row in rows[:MAX_ROWS]})
    own = selectors.own_volunteer(actor=actor)
    own_row = None
    if own is not None:
        own_row = next((row for row in rows if row.member_id == own.pk), None)
    context = {
        "query": query,
        "rows": [(row, names.get(row.region_code, row.region_code)) for row in rows[:MAX_ROWS]],
        "total": len(rows),
        "own": own,
        "own_row": own_row,
        "star_hours": STAR_HOURS,
    }
    return render(request, "volunteers/hours.html", context)


# Micro-wishes


@page_view
@require_safe
def wish_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    require_permission(actor, Perm.VOLUNTEERS_VIEW)
    query = WishQueryForm(request.GET, places=_places(request, Perm.VOLUNTEERS_VIEW))
    if not query.is_valid():
        return render(request, "volunteers/wishes.html", {"query": query}, status=400)
    filters = selectors.WishFilters(
        region_code=query.cleaned_data["region"],
        state=query.cleaned_data["state"],
        show=query.cleaned_data["show"],
    )
    wishes = list(selectors.wish_list(actor=actor, filters=filters)[:MAX_ROWS])
    names = region_names(actor=actor, region_codes={w.region_code for w in wishes})
    context = {
        "query": query,
        "rows": [
            (wish, names.get(wish.region_code, wish.region_code), selectors.wish_waiting_on(wish))
            for wish in wishes
        ],
        "counts": [
            (WishState(state).label, count)
            for state, count in selectors.wish_counts(
                actor=actor, region_code=query.cleaned_data["region"]
            ).items()
        ],
        "may_record": bool(actor.jurisdiction_codes(Perm.VOLUNTEERS_MANAGE)),
    }
    return render(request, "volunteers/wishes.html", context)


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def wish_new(request: HttpRequest) -> HttpResponseBase:
    """An organiser records a resident's wish for them."""
    actor = actor_from(request)
    require_permission(actor, Perm.VOLUNTEERS_MANAGE)
    data = request.POST if request.method == "POST" else None
    form = WishForm(data, places=_places(request, Perm.VOLUNTEERS_MANAGE))
    if request.method == "POST":
        if form.is_valid():
            cleaned = form.cleaned_data
            try:
                wish = wish_record(
                    actor=actor,
                    data=WishInput(
                        title=cleaned["title"],
                        region_code=cleaned["region_code"],
                        resident_name=cleaned["resident_name"],
                        resident_phone=cleaned["resident_phone"],
                        detail=cleaned["detail"],
                    ),
                )
            except ValidationFailed as error:
                add_problems(form, error)
            else:
                messages.success(request, _("The micro-wish waits for a volunteer."))
                return redirect("volunteers:wish", wish_id=wish.pk)
        return render(request, "volunteers/wish_new.html", {"form": form}, status=400)
    return render(request, "volunteers/wish_new.html", {"form": form})


def _wish_steps(actor: Any, wish: MicroWish) -> list[dict[str, Any]]:
    """The steps the actor may take on the wish now, each with what it needs."""
    organiser = _within(actor, wish.region_code, Perm.VOLUNTEERS_MANAGE)
    volunteer = not organiser and _within(actor, wish.region_code, Perm.VOLUNTEERS_SERVE)
    if not organiser and not volunteer:
        return []
    own = selectors.own_volunteer(actor=actor) if volunteer else None
    if volunteer and own is None:
        return []
    steps = []
    for step in steps_from(wish.state):
        who = Who.ORGANISER if organiser else Who.VOLUNTEER
        if who not in TRANSITIONS[step].who:
            continue
        if volunteer and step != WishStep.TAKE and own and wish.taken_by_id != own.pk:
            continue
        steps.append(
            {
                "step": step.value,
                "label": STEP_LABELS[step],
                "note": step in NOTE_REQUIRED,
                "member": organiser and step == WishStep.TAKE,
            }
        )
    return steps


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def wish_detail(request: HttpRequest, wish_id: int) -> HttpResponseBase:
    """A micro-wish, whose move it is, and the steps the reader may take."""
    actor = actor_from(request)
    wish = selectors.wish_get(actor=actor, wish_id=wish_id)
    if request.method == "POST":
        form = WishStepForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed.from_messages(form.errors)
        try:
            wish = wish_step(
                actor=actor,
                wish=wish,
                step=WishStep(form.cleaned_data["step"]),
                note=form.cleaned_data["note"],
                member_id=form.cleaned_data["member"],
            )
        except Conflict as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Done: %(state)s.") % {"state": wish.get_state_display()})
        return redirect("volunteers:wish", wish_id=wish.pk)
    return _render_wish(request, actor, wish)


def _render_wish(
    request: HttpRequest,
    actor: Any,
    wish: MicroWish,
    *,
    phone: str = "",
    phone_form: WishPhoneForm | None = None,
    status: int = 200,
) -> HttpResponse:
    steps = _wish_steps(actor, wish)
    members: list[tuple[int, str]] = []
    if any(step["member"] for step in steps):
        members = [
            (m.pk, m.name)
            for m in members_serving_in(
                kind=TeamKind.VOLUNTEERS, within=[codes_village(wish.region_code)]
            )
        ]
    names = region_names(actor=actor, region_codes={wish.region_code})
    context = {
        "wish": wish,
        "place": names.get(wish.region_code, wish.region_code),
        "waiting_on": selectors.wish_waiting_on(wish),
        "steps": steps,
        "members": members,
        "phone": phone,
        "may_reveal_phone": bool(wish.resident_phone) and may_reveal_phone(actor, wish),
        "phone_form": phone_form or WishPhoneForm(),
    }
    return render(request, "volunteers/wish.html", context, status=status)


@page_view
@require_POST
def wish_phone(request: HttpRequest, wish_id: int) -> HttpResponse:
    """The resident's phone in full on the wish's page, for a reason (audited); 403 for who
    may not see it."""
    actor = actor_from(request)
    wish = selectors.wish_get(actor=actor, wish_id=wish_id)
    form = WishPhoneForm(request.POST)
    if not form.is_valid():
        return _render_wish(request, actor, wish, phone_form=form, status=400)
    try:
        phone = wish_reveal_phone(
            actor=actor,
            wish=wish,
            reason=form.cleaned_data["reason"],
            client_address=client_address(request),
        )
    except ValidationFailed as error:
        add_problems(form, error)
        return _render_wish(request, actor, wish, phone_form=form, status=400)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("volunteers:wish", wish_id=wish.pk)
    return _render_wish(request, actor, wish, phone=phone)


def codes_village(region_code: str) -> str:
    """The village (or the town, for a town's wish) whose volunteers are offered a wish."""
    return (
        region_code[: codes.VILLAGE_LEN] if len(region_code) >= codes.VILLAGE_LEN else region_code
    )
