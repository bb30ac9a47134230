"""Work queues of the village, town and county units, and dispatching several cases at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from gridgov.accounts.actors import actor_from
from gridgov.accounts.selectors import candidate_users
from gridgov.cases import policy
from gridgov.cases.forms import BulkAcceptForm, BulkDispatchForm, QueueFilterForm
from gridgov.cases.selectors import case_get, category_list
from gridgov.cases.selectors.candidates import dispatch_candidates
from gridgov.cases.selectors.queues import QueueFilters, default_unit, queue_rows
from gridgov.cases.selectors.waiting import Waiting, unit_waiting_counts, waiting_rows
from gridgov.cases.services import case_transition
from gridgov.cases.states import Action
from gridgov.cases.views.common import (
    candidate_choices,
    decorate,
)
from gridgov.core.access import Perm
from gridgov.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gridgov.core.pages import page_view, problem_messages
from gridgov.core.refusals import audit_refusal
from gridgov.core.scoping import require_permission
from gridgov.regions.selectors import case_unit, case_units, region_names


@require_GET
@page_view
def queue(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    require_permission(actor, Perm.CASES_VIEW)
    categories = list(category_list())
    form = QueueFilterForm(request.GET, categories=categories)
    if not form.is_valid():
        raise ValidationFailed.from_messages(form.errors)
    data = form.cleaned_data
    units = case_units(actor=actor)
    # By default the actor's own routing unit; for one who only watches (a county leader), the
    # highest unit they see.
    unit_code = (
        data["unit"] or default_unit(actor=actor) or (units[0].region_code if units else None)
    )
    context: dict[str, object] = {"form": form, "units": units, "unit": None, "rows": []}
    if unit_code:
        unit = case_unit(actor=actor, code=unit_code)
        waiting = Waiting(data["waiting"]) if data["waiting"] else None
        if waiting is not None:
            rows, next_cursor = waiting_rows(
                actor=actor, unit=unit.region_code, waiting=waiting, cursor=data["cursor"] or None
            )
        else:
            filters = QueueFilters(
                state=data["state"],
                category=data["category"],
                urgency=data["urgency"],
                overdue=data["overdue"],
            )
            rows, next_cursor = queue_rows(
                actor=actor, unit=unit.region_code, filters=filters, cursor=data["cursor"] or None
            )
        names = region_names(actor=actor, region_codes={case.region_code for case in rows})
        rows = decorate(rows, names=names)
        may_dispatch = may_accept = False
        for case in rows:
            actions = policy.actions_for(actor, case)
            case.may_dispatch = Action.DISPATCH in actions  # type: ignore[attr-defined]
            case.may_accept = Action.ACCEPT in actions  # type: ignore[attr-defined]
            may_dispatch = may_dispatch or case.may_dispatch  # type: ignore[attr-defined]
            may_accept = may_accept or case.may_accept  # type: ignore[attr-defined]
        next_query = None
        if next_cursor:
            query = request.GET.copy()
            query["cursor"] = next_cursor
            query["unit"] = unit.region_code
            next_query = query.urlencode()
        context.update(
            unit=unit,
            rows=rows,
            waiting=waiting,
            lists=unit_waiting_counts(actor=actor, unit=unit.region_code),
            next_query=next_query,
            may_accept=may_accept,
            candidates=(
                candidate_choices(dispatch_candidates(handling_code=unit.region_code))
                if may_dispatch
                else []
            ),
            is_first_page=not data["cursor"],
        )
    return render(request, "cases/queue.html", context)


def _form_problems(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[field].label}: {error}" if field in form.fields else str(error)
        for field, errors in form.errors.items()
        for error in errors
    ]


def _take_each(
    request: HttpRequest, *, numbers: list[str], action: Action, note: str, assignee: Any = None
) -> list[str]:
    """Take `action` on each case, one transaction each (a refusal for one does not undo the
    others); report each case that failed and why. Returns the numbers done."""
    actor = actor_from(request)
    done: list[str] = []
    for number in numbers:
        try:
            case = case_get(actor=actor, number=number)
            case_transition(actor=actor, case=case, action=action, note=note, assignee=assignee)
        except NotFound:
            messages.error(request, _("%(number)s: no such case.") % {"number": number})
        except PermissionDenied as error:
            audit_refusal(request, error=error)
            messages.error(request, f"{number}: {error.message}")
        except (Conflict, ValidationFailed) as error:
            messages.error(request, f"{number}: {'; '.join(problem_messages(error))}")
        else:
            done.append(number)
    return done


@require_POST
@page_view
def bulk_dispatch(request: HttpRequest) -> HttpResponse:
    """Dispatch the chosen cases to one handler, each through the state machine."""
    actor = actor_from(request)
    require_permission(actor, Perm.CASES_ROUTE)
    unit = case_unit(actor=actor, code=request.POST.get("unit", ""))
    candidates = candidate_choices(dispatch_candidates(handling_code=unit.region_code))
    form = BulkDispatchForm(request.POST, candidates=candidates)
    back = reverse("cases:queue") + "?" + urlencode({"unit": unit.region_code})
    if not form.is_valid():
        context = {"problems": _form_problems(form), "back": back}
        return render(request, "errors/bad_request.html", context, status=400)
    data = form.cleaned_data
    assignee = candidate_users(handling_code=unit.region_code, user_ids={data["assignee"]}).get(
        data["assignee"]
    )
    done = _take_each(
        request, numbers=data["cases"], action=Action.DISPATCH, note=data["note"], assignee=assignee
    )
    if done:
        messages.success(
            request,
            ngettext(
                "Dispatched %(count)d case to %(name)s.",
                "Dispatched %(count)d cases to %(name)s.",
                len(done),
            )
            % {"count": len(done), "name": assignee},
        )
    return redirect(back)


@require_POST
@page_view
def bulk_accept(request: HttpRequest) -> HttpResponse:
    """Accept the chosen reported cases, each through the state machine."""
    actor = actor_from(request)
    require_permission(actor, Perm.CASES_ROUTE)
    unit = case_unit(actor=actor, code=request.POST.get("unit", ""))
    form = BulkAcceptForm(request.POST)
    back = reverse("cases:queue") + "?" + urlencode({"unit": unit.region_code})
    if not form.is_valid():
        context = {"problems": _form_problems(form), "back": back}
        return render(request, "errors/bad_request.html", context, status=400)
    data = form.cleaned_data
    done = _take_each(request, numbers=data["cases"], action=Action.ACCEPT, note=data["note"])
    if done:
        messages.success(
            request,
            ngettext("Accepted %(count)d case.", "Accepted %(count)d cases.", len(done))
            % {"count": len(done)},
        )
    return redirect(back)
