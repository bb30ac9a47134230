"""The grid worker's phone pages: the report form and the task list."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gridgov.accounts.actors import actor_from
from gridgov.accounts.models import User
from gridgov.cases import policy
from gridgov.cases.forms import ACTION_VERBS, PHOTO_ACTIONS, CaseReportForm
from gridgov.cases.models import Channel
from gridgov.cases.selectors import category_list, my_tasks, queue_page
from gridgov.cases.selectors.queues import PAGE_SIZE
from gridgov.cases.services import CaseInput, case_report
from gridgov.cases.views.common import (
    decorate,
)
from gridgov.core.access import Perm
from gridgov.core.clientaddress import client_address
from gridgov.core.codes import TOWN_LEN
from gridgov.core.errors import ValidationFailed
from gridgov.core.idempotency import HEADER, run_idempotently
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import require_permission
from gridgov.regions.selectors import region_names, report_regions

_IDEMPOTENCY_META = "HTTP_" + HEADER.upper().replace("-", "_")


def _desk_channel(actor: User) -> str:
    """Staff at a county or town desk mostly enter calls; everyone else reports what they saw."""
    desk = any(len(code) <= TOWN_LEN for code in actor.jurisdiction_codes(Perm.CASES_REPORT))
    return Channel.HOTLINE if desk else Channel.GRID_PATROL


def _report_form(request: HttpRequest, actor: User) -> CaseReportForm:
    categories = category_list()
    regions = [(place.code, place.label) for place in report_regions(actor=actor)]
    if request.method == "POST":
        return CaseReportForm(request.POST, request.FILES, categories=categories, regions=regions)
    return CaseReportForm(
        categories=categories, regions=regions, initial={"channel": _desk_channel(actor)}
    )


def _render_report(
    request: HttpRequest, form: CaseReportForm, *, key: str, status: int = 200
) -> HttpResponse:
    actor = actor_from(request)
    context = {
        "form": form,
        "idempotency_key": key,
        # The caller's earlier cases are cases read: shown to those who may read them.
        "may_see_callers": bool(actor.jurisdiction_codes(Perm.CASES_VIEW)),
    }
    return render(request, "cases/report.html", context, status=status)


def _report_post(request: HttpRequest, actor: User) -> HttpResponse:
    form = _report_form(request, actor)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = case_report(
                actor=actor,
                data=CaseInput(
                    category_code=data["category"],
                    description=data["description"],
                    channel=data["channel"],
                    urgency=data["urgency"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    region_code=data["region_code"],
                    address=data["address"],
                    reporter_name=data["reporter_name"],
                    reporter_phone=data["reporter_phone"],
                    photos=data["photos"],
                ),
                client_address=client_address(request),
            )
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(request, _("Case %(number)s reported.") % {"number": case.number})
            return redirect("cases:detail", number=case.number)
    # The stored answer to this key is this page; a corrected form is a new request.
    return _render_report(request, form, key=str(uuid.uuid4()), status=400)


@require_http_methods(["GET", "POST"])
@page_view
def report(request: HttpRequest) -> HttpResponseBase:
    actor = actor_from(request)
    require_permission(actor, Perm.CASES_REPORT)
    if request.method == "POST":
        # A double tap sends the form twice with the key it was rendered with: the second
        # request waits for the first and gets its answer, so one case is created.
        key = request.POST.get("idempotency_key", "")
        if key and _IDEMPOTENCY_META not in request.META:
            request.META[_IDEMPOTENCY_META] = key
            request.__dict__.pop("headers", None)  # HttpRequest.headers is cached
        return run_idempotently(request, lambda: _report_post(request, actor))
    form = _report_form(request, actor)
    return _render_report(request, form, key=str(form.initial["idempotency_key"]))


@require_GET
@page_view
def tasks(request: HttpRequest) -> HttpResponse:
    """Cases dispatched to the actor, soonest deadline first, with start/resolve at hand."""
    actor = actor_from(request)
    require_permission(actor, Perm.CASES_HANDLE)
    rows, next_cursor = queue_page(
        my_tasks(actor=actor), cursor=request.GET.get("cursor") or None, size=PAGE_SIZE
    )
    names = region_names(actor=actor, region_codes={case.region_code for case in rows})
    rows = decorate(rows, names=names)
    for case in rows:
        extra = case
        extra.phone_actions = [  # type: ignore[attr-defined]
            (action.value, ACTION_VERBS[action])
            for action in policy.actions_for(actor, case)
            if action in PHOTO_ACTIONS
        ]
    return render(
        request,
        "cases/my_tasks.html",
        {"tasks": rows, "next_cursor": next_cursor, "here": reverse("cases:my-tasks")},
    )
