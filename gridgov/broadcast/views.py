"""The broadcast pages: the list, composing (with the terminals it reaches, per village), a
message with its exact text for the approver, its steps and its timeline, and its delivery."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gridgov.accounts.actors import actor_from
from gridgov.broadcast import policy, selectors
from gridgov.broadcast.audio import StagedAudio, audio_stage, audio_staged
from gridgov.broadcast.errors import ACTION_LABELS, BROADCAST_NOT_FOUND
from gridgov.broadcast.forms import ActionForm, ComposeForm, initial_of
from gridgov.broadcast.models import STATE_LABELS, Broadcast, DeliveryStatus
from gridgov.broadcast.services import (
    broadcast_check,
    broadcast_create,
    broadcast_transition,
    broadcast_update,
)
from gridgov.broadcast.states import Action, State
from gridgov.broadcast.terminal_protocol import AckRefusal
from gridgov.core.access import Perm
from gridgov.core.errors import NotFound, ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import require_permission

LIST_SIZE = 100


@require_safe
@page_view
def broadcast_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    messages = list(selectors.broadcast_list(actor=actor)[:LIST_SIZE])
    names = selectors.target_names(codes={code for m in messages for code in m.target_codes})
    context = {
        "messages_sent": [(message, _target_names(message, names)) for message in messages],
        "may_compose": bool(actor.jurisdiction_codes(Perm.BROADCAST_COMPOSE)),
    }
    return render(request, "broadcast/list.html", context)


def _target_names(broadcast: Broadcast, names: dict[str, str]) -> list[tuple[str, str]]:
    return [(code, names.get(code, "")) for code in broadcast.target_codes]


def _compose_page(
    request: HttpRequest,
    form: ComposeForm,
    *,
    broadcast: Broadcast | None = None,
    status: int = 200,
    kept: StagedAudio | None = None,
) -> HttpResponse:
    reach = []
    if form.is_bound and form.is_valid():
        reach = selectors.target_reach(targets=list(form.cleaned_data["targets"]))
    context = {
        "form": form,
        "broadcast": broadcast,
        "reach": reach,
        "reach_total": sum(row.total for row in reach),
        "reach_online": sum(row.online for row in reach),
        "kept_audio": kept,
    }
    return render(request, "broadcast/compose.html", context, status=status)


def _kept_audio(request: HttpRequest, form: ComposeForm, actor_id: int) -> StagedAudio | None:
    """The recording to carry through the page's round trip: one sent now is kept on the server
    (a browser cannot send a file again from the page it gets back), else the one kept before."""
    upload = request.FILES.get("audio")
    if upload is not None:
        reference = audio_stage(actor_id=actor_id, upload=upload)
        if reference is None:
            return None
        data = request.POST.copy()
        data["kept_audio"] = reference
        form.data = data
        return audio_staged(actor_id=actor_id, reference=reference)
    return audio_staged(actor_id=actor_id, reference=request.POST.get("kept_audio", ""))


def _compose_round(
    request: HttpRequest,
    form: ComposeForm,
    actor_id: int,
    *,
    saving: bool,
    broadcast: Broadcast | None = None,
) -> tuple[HttpResponse | None, StagedAudio | None]:
    """The page again (a preview, or a form with errors), keeping the recording; or nothing and
    the kept recording to save with the message."""
    valid = form.is_valid()
    if valid and saving:
        fresh = form.cleaned_data.get("audio") is not None
        kept = (
            None
            if fresh
            else audio_staged(actor_id=actor_id, reference=form.cleaned_data.get("kept_audio", ""))
        )
        return None, kept
    kept = _kept_audio(request, form, actor_id)
    page = _compose_page(
        request, form, broadcast=broadcast, status=200 if valid else 400, kept=kept
    )
    return page, None


@require_http_methods(["GET", "HEAD", "POST"])
@page_view
def broadcast_compose(request: HttpRequest) -> HttpResponseBase:
    actor = actor_from(request)
    require_permission(actor, Perm.BROADCAST_COMPOSE)
    regions = selectors.compose_regions(actor=actor)
    if request.method != "POST":
        return _compose_page(request, ComposeForm(regions=regions))
    form = ComposeForm(request.POST, request.FILES, regions=regions)
    step = request.POST.get("step", "preview")
    actor_id = request.user.pk or 0
    page, kept = _compose_round(request, form, actor_id, saving=step in {"save", "submit"})
    if page is not None:
        return page
    upload = kept.upload() if kept is not None else None
    try:
        broadcast = broadcast_create(
            actor=actor, data=form.to_input(audio=upload), submit=step == "submit"
        )
    except ValidationFailed as error:
        add_problems(form, error)
        return _compose_page(request, form, status=400, kept=kept)
    finally:
        if upload is not None:
            upload.close()
    if kept is not None:
        kept.discard()
    return redirect("broadcast:detail", broadcast_id=broadcast.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@page_view
def broadcast_edit(request: HttpRequest, broadcast_id: int) -> HttpResponseBase:
    actor = actor_from(request)
    broadcast = selectors.broadcast_get(actor=actor, broadcast_id=broadcast_id)
    broadcast_check(actor=actor, broadcast=broadcast, action=Action.EDIT)
    names = selectors.target_names(codes=broadcast.target_codes)
    regions = selectors.compose_regions(actor=actor)
    known = {code for code, _ in regions}
    regions += [(code, names.get(code, "")) for code in broadcast.target_codes if code not in known]
    if request.method != "POST":
        form = ComposeForm(initial=initial_of(broadcast), regions=regions)
        return _compose_page(request, form, broadcast=broadcast)
    form = ComposeForm(request.POST, request.FILES, regions=regions)
    step = request.POST.get("step", "preview")
    actor_id = request.user.pk or 0
    page, kept = _compose_round(request, form, actor_id, saving=step == "save", broadcast=broadcast)
    if page is not None:
        return page
    upload = kept.upload() if kept is not None else None
    try:
        broadcast_update(actor=actor, broadcast=broadcast, data=form.to_input(audio=upload))
    except ValidationFailed as error:
        add_problems(form, error)
        return _compose_page(request, form, broadcast=broadcast, status=400, kept=kept)
    finally:
        if upload is not None:
            upload.close()
    if kept is not None:
        kept.discard()
    return redirect("broadcast:detail", broadcast_id=broadcast.pk)


@require_safe
@page_view
def broadcast_detail(request: HttpRequest, broadcast_id: int) -> HttpResponse:
    actor = actor_from(request)
    broadcast = selectors.broadcast_get(actor=actor, broadcast_id=broadcast_id)
    names = selectors.target_names(codes=broadcast.target_codes)
    actions = policy.allowed_actions(actor, broadcast)
    approval_problem = None
    if broadcast.state == State.SUBMITTED and Action.APPROVE not in actions:
        problem = policy.approval_refusal(actor, broadcast)
        approval_problem = problem.message if problem is not None else None
    reach = selectors.target_reach(targets=list(broadcast.target_codes))
    context = {
        "broadcast": broadcast,
        "targets": _target_names(broadcast, names),
        "timeline": [
            (
                event,
                ACTION_LABELS.get(event.action, event.action),
                STATE_LABELS.get(State(event.to_state), "") if event.to_state else "",
            )
            for event in selectors.broadcast_timeline(broadcast=broadcast)
        ],
        "may_edit": Action.EDIT in actions,
        "steps": [action for action in actions if action != Action.EDIT],
        "approval_problem": approval_problem,
        "voids_approval": broadcast.state == State.APPROVED,
        "reach": reach,
        "reach_total": sum(row.total for row in reach),
        "reach_online": sum(row.online for row in reach),
    }
    return render(request, "broadcast/detail.html", context)


ACK_REFUSAL_LABELS = {
    AckRefusal.MALFORMED: _("not an acknowledgement"),
    AckRefusal.UNSIGNED: _("unsigned"),
    AckRefusal.NO_KEY: _("no key registered for the terminal"),
    AckRefusal.BAD_SIGNATURE: _("signature does not verify"),
    AckRefusal.WRONG_TERMINAL: _("sent on another terminal's topic"),
    AckRefusal.UNKNOWN_DELIVERY: _("for another terminal's delivery"),
    AckRefusal.WRONG_MESSAGE: _("for another message"),
    AckRefusal.REPLAYED: _("replayed"),
}

# How often the delivery page asks for news while the message is on its way.
DELIVERY_REFRESH_SECONDS = 3
PLACES_SHOWN = 500
FAILED_SHOWN = 200


@require_safe
@page_view
def broadcast_deliveries(request: HttpRequest, broadcast_id: int) -> HttpResponse:
    """How far the message got: delivered / total, failures by village, refreshing itself while
    the message is on its way."""
    actor = actor_from(request)
    broadcast = selectors.broadcast_get(actor=actor, broadcast_id=broadcast_id)
    progress = selectors.delivery_progress(broadcast=broadcast)
    failed = list(
        selectors.delivery_list(broadcast=broadcast, status=DeliveryStatus.FAILED)[:FAILED_SHOWN]
    )
    context = {
        "broadcast": broadcast,
        "progress": progress,
        # What needs someone open, the places every terminal of which has the message folded
        # away: a county-wide message reaches some 130 places, a long page on a phone.
        "outstanding_places": progress.places_outstanding[:PLACES_SHOWN],
        "complete_places": progress.places_complete[:PLACES_SHOWN],
        "places_shown": min(len(progress.places_outstanding), PLACES_SHOWN)
        + min(len(progress.places_complete), PLACES_SHOWN),
        "more_places": max(len(progress.places_outstanding), len(progress.places_complete))
        > PLACES_SHOWN,
        "status_counts": [
            (status, label, progress.counts.get(status, 0))
            for status, label in DeliveryStatus.choices
        ],
        "failed": failed,
        "refused_acks": [
            (reason, ACK_REFUSAL_LABELS.get(reason, reason), count)
            for reason, count in sorted((broadcast.refused_acks or {}).items())
        ],
        "following": broadcast.state in (State.APPROVED, State.DISPATCHED)
        or (
            broadcast.state == State.CANCELLED
            and progress.cancels_confirmed < progress.cancels
            and broadcast.expires_at > timezone.now()
        ),
        "refresh_seconds": DELIVERY_REFRESH_SECONDS,
    }
    return render(request, "broadcast/deliveries.html", context)


@require_POST
@page_view
def broadcast_step(request: HttpRequest, broadcast_id: int) -> HttpResponseBase:
    actor = actor_from(request)
    broadcast = selectors.broadcast_get(actor=actor, broadcast_id=broadcast_id)
    form = ActionForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed.from_messages(form.errors)
    broadcast_transition(
        actor=actor,
        broadcast=broadcast,
        action=form.cleaned_data["action"],
        note=form.cleaned_data["note"],
    )
    return redirect("broadcast:detail", broadcast_id=broadcast.pk)


@require_safe
@page_view
def broadcast_audio(request: HttpRequest, broadcast_id: int) -> FileResponse:
    """The message's recording or speech, for whoever may see the message (the approver hears
    exactly what goes out)."""
    actor = actor_from(request)
    broadcast = selectors.broadcast_get(actor=actor, broadcast_id=broadcast_id)
    if not broadcast.audio:
        raise NotFound(BROADCAST_NOT_FOUND)
    try:
        handle = broadcast.audio.open("rb")
    except FileNotFoundError as error:
        raise NotFound(BROADCAST_NOT_FOUND) from error
    content_type = mimetypes.guess_type(broadcast.audio.name or "")[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
