"""The case page: details, timeline, map, duplicates, and the actions the viewer may take."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gridgov.accounts.actors import actor_from
from gridgov.accounts.models import User
from gridgov.accounts.selectors import candidate_users, display_names
from gridgov.cases import policy
from gridgov.cases.errors import PHOTO_NOT_FOUND
from gridgov.cases.forms import (
    ACTION_VERBS,
    PHOTO_ACTIONS,
    STATE_LABELS,
    TRANSFER_KIND_CHOICES,
    ActionForm,
    MergeForm,
    RevealContactForm,
)
from gridgov.cases.models import Case
from gridgov.cases.selectors import case_get, visible_linked_case
from gridgov.cases.selectors.candidates import dispatch_candidates
from gridgov.cases.services import case_merge, case_transition
from gridgov.cases.services.contact import case_reveal_contact, may_reveal_contact
from gridgov.cases.services.transitions import NOTE_REQUIRED
from gridgov.cases.states import Action
from gridgov.cases.views.common import (
    annotate_case,
    candidate_choices,
    event_labels,
    safe_next,
)
from gridgov.core import codes
from gridgov.core.clientaddress import client_address
from gridgov.core.errors import Conflict, NotFound, ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.regions.selectors import region_names


def _map_outline_url(case: Case, names: dict[str, str]) -> str | None:
    """The boundary of the grid the case lies in, when the viewer may see it."""
    grid = case.region_code[: codes.GRID_LEN]
    if grid not in names:
        return None
    try:
        return reverse("web:region-geojson", kwargs={"code": grid})
    except NoReverseMatch:
        return None


def _detail_context(
    request: HttpRequest,
    actor: User,
    case: Case,
    *,
    failed_action: str = "",
    action_form: ActionForm | None = None,
    merge_form: MergeForm | None = None,
    reveal_form: RevealContactForm | None = None,
    error: str = "",
    contact: dict[str, str] | None = None,
) -> dict[str, Any]:
    events = list(
        case.events.select_related("actor").prefetch_related("photos").order_by("created_at", "id")
    )
    names = display_names(
        usernames={str(e.data["assignee"]) for e in events if e.data.get("assignee")}
    )
    for event in events:
        event_labels(event)
        # The person a case was dispatched to, by the name they go by, not their username.
        assignee = event.data.get("assignee")
        event.assignee_name = names.get(str(assignee), "") if assignee else ""  # type: ignore[attr-defined]
    # Links name only cases the actor may see.
    duplicate_of = visible_linked_case(actor=actor, linked=case.possible_duplicate_of)
    merged_into = visible_linked_case(actor=actor, linked=case.merged_into)
    related = [other for other in (duplicate_of, merged_into) if other is not None]
    merged_in = [
        other
        for other in case.merged_cases.only("number", "title", "state", "region_code").order_by(
            "number"
        )
        if visible_linked_case(actor=actor, linked=other) is not None
    ]
    for other in merged_in:
        other.state_label = STATE_LABELS.get(other.state, other.state)  # type: ignore[attr-defined]
    region_codes = {
        case.region_code,
        case.handling_code,
        case.region_code[: codes.GRID_LEN],
        *(c.region_code for c in related),
    }
    names = region_names(actor=actor, region_codes=region_codes)
    annotate_case(case, now=timezone.now(), names=names)
    actions = policy.actions_for(actor, case)
    candidates = (
        candidate_choices(
            dispatch_candidates(
                handling_code=case.handling_code, near=case.region_code, category=case.category
            )
        )
        if Action.DISPATCH in actions
        else []
    )
    action_rows = [
        {
            "action": action.value,
            "verb": ACTION_VERBS[action],
            "needs_note": action in NOTE_REQUIRED,
            "photos": action in PHOTO_ACTIONS,
            "form": action_form if action.value == failed_action else None,
        }
        for action in actions
        if action != Action.MERGE
    ]
    return {
        "case": case,
        "events": events,
        "photos": list(case.photos.order_by("id")),
        "duplicate_of": duplicate_of,
        "merged_into": merged_into,
        "merged_in": merged_in,
        "action_rows": action_rows,
        "may_merge": Action.MERGE in actions,
        "merge_form": merge_form
        or MergeForm(initial={"into": duplicate_of.number} if duplicate_of else None),
        "candidates": candidates,
        "transfer_kinds": TRANSFER_KIND_CHOICES,
        "may_reveal": may_reveal_contact(actor, case),
        "reveal_form": reveal_form or RevealContactForm(),
        "contact": contact,
        "error": error,
        "outline_url": _map_outline_url(case, names),
    }


def _render_detail(
    request: HttpRequest, actor: User, case: Case, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = _detail_context(request, actor, case, **extra)
    response = render(request, "cases/detail.html", context, status=status)
    # The page shows the case to this viewer only (and, once revealed, a reporter's contact).
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@page_view
def detail(request: HttpRequest, number: str) -> HttpResponse:
    actor = actor_from(request)
    return _render_detail(request, actor, case_get(actor=actor, number=number))


@require_POST
@page_view
def transition(request: HttpRequest, number: str) -> HttpResponse:
    """One action on the case. Bad input: the page with the form's errors (400); an action the
    state does not allow: the page with why (409); one the viewer may not take: 403."""
    actor = actor_from(request)
    case = case_get(actor=actor, number=number)
    action = request.POST.get("action", "")
    candidates = (
        candidate_choices(
            dispatch_candidates(
                handling_code=case.handling_code, near=case.region_code, category=case.category
            )
        )
        if action == Action.DISPATCH
        else []
    )
    form = ActionForm(request.POST, request.FILES, candidates=candidates)
    if not form.is_valid():
        return _render_detail(
            request, actor, case, failed_action=action, action_form=form, status=400
        )
    data = form.cleaned_data
    assignee = None
    if data["assignee"]:
        assignee = candidate_users(
            handling_code=case.handling_code, user_ids={data["assignee"]}
        ).get(data["assignee"])
    try:
        case_transition(
            actor=actor,
            case=case,
            action=data["action"],
            note=data["note"],
            assignee=assignee,
            transfer_kind=data["transfer_kind"],
            transfer_to=data["transfer_to"],
            public_note=data["public_note"],
            photos=data["photos"],
        )
    except ValidationFailed as error:
        add_problems(form, error)
        return _render_detail(
            request, actor, case, failed_action=action, action_form=form, status=400
        )
    except Conflict as error:
        case = case_get(actor=actor, number=number)
        message = error.message
        return _render_detail(request, actor, case, error=message, status=409)
    messages.success(
        request,
        _("%(number)s: “%(action)s” done.")
        % {"number": case.number, "action": ACTION_VERBS[data["action"]]},
    )
    return redirect(safe_next(request, data["next"]) or reverse("cases:detail", args=[number]))


@require_POST
@page_view
def merge(request: HttpRequest, number: str) -> HttpResponse:
    """Fold this case (a duplicate) into another open case; both timelines are kept."""
    actor = actor_from(request)
    case = case_get(actor=actor, number=number)
    form = MergeForm(request.POST)
    if form.is_valid():
        try:
            into = case_get(actor=actor, number=form.cleaned_data["into"].strip())
        except NotFound:
            # Missing or outside the jurisdiction: the same answer, as everywhere.
            form.add_error("into", _("No case with this number in your jurisdiction."))
        else:
            try:
                case_merge(actor=actor, case=case, into=into, note=form.cleaned_data["note"])
            except ValidationFailed as error:
                add_problems(form, error)
            except Conflict as error:
                case = case_get(actor=actor, number=number)
                message = error.message
                return _render_detail(request, actor, case, error=message, status=409)
            else:
                messages.success(
                    request,
                    _("%(number)s was merged into %(into)s.")
                    % {"number": case.number, "into": into.number},
                )
                return redirect("cases:detail", number=into.number)
    return _render_detail(request, actor, case, merge_form=form, status=400)


@require_POST
@page_view
def reveal_contact(request: HttpRequest, number: str) -> HttpResponse:
    """The reporter's contact in full, for a reason (audited); 403 for who may not."""
    actor = actor_from(request)
    case = case_get(actor=actor, number=number)
    form = RevealContactForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, actor, case, reveal_form=form, status=400)
    try:
        contact = case_reveal_contact(
            actor=actor,
            case=case,
            reason=form.cleaned_data["reason"],
            client_address=client_address(request),
        )
    except ValidationFailed as error:
        add_problems(form, error)
        return _render_detail(request, actor, case, reveal_form=form, status=400)
    return _render_detail(request, actor, case, contact=contact)


@require_GET
@page_view
def photo(request: HttpRequest, number: str, photo_id: int) -> FileResponse:
    """A case photo, for whoever may see the case."""
    actor = actor_from(request)
    case = case_get(actor=actor, number=number)
    item = case.photos.filter(pk=photo_id).first()
    if item is None:
        raise NotFound(PHOTO_NOT_FOUND)
    try:
        handle = item.image.open("rb")
    except FileNotFoundError as error:
        raise NotFound(PHOTO_NOT_FOUND) from error
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
