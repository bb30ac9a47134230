"""Every case in the actor's subtree, closed ones included: search by number, words, the
reporter's phone (exact), place, category..., a page at a time, and as a spreadsheet."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from gridgov.accounts.actors import actor_from
from gridgov.accounts.models import User
from gridgov.cases.caller import CallerSearch
from gridgov.cases.forms import OPEN, AllCasesForm, CallerSearchForm
from gridgov.cases.selectors import CaseFilters, category_list
from gridgov.cases.selectors.listing import Order, case_export_rows, case_search_page
from gridgov.cases.views.common import decorate
from gridgov.cases.views.spreadsheet import cases_workbook
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import ValidationFailed
from gridgov.core.pages import page_view
from gridgov.core.scoping import require_permission
from gridgov.regions.models import Level
from gridgov.regions.selectors import case_grids, case_units, region_names

# A town's villages are indented under it in the place list.
_INDENT = "\u3000"


def _form(request: HttpRequest, actor: User) -> AllCasesForm:
    units = [unit for unit in case_units(actor=actor) if unit.level != Level.COUNTY]
    places = [
        (unit.region_code, (_INDENT if unit.level == Level.VILLAGE else "") + unit.name)
        for unit in units
    ]
    chosen = request.GET.get("place", "")
    villages = {unit.region_code for unit in units if unit.level == Level.VILLAGE}
    grids = (
        [(grid.region_code, grid.name) for grid in case_grids(actor=actor, village_code=chosen)]
        if chosen in villages
        else []
    )
    return AllCasesForm(request.GET, places=places, grids=grids, categories=category_list())


def _day_start(day: Any) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def filters_from(data: dict[str, Any]) -> CaseFilters:
    until = _day_start(data["reported_to"])
    caller: CallerSearch | None = data["caller"]
    return CaseFilters(
        q=data["q"].strip() or None,
        phone_hash=caller.phone_hash if caller else None,
        state=data["state"] if data["state"] not in ("", OPEN) else None,
        open_only=data["state"] == OPEN,
        level=data["level"] or None,
        region_code=data["grid"] or data["place"] or None,
        category=data["category"] or None,
        channel=data["channel"] or None,
        reported_from=_day_start(data["reported_from"]),
        # The end day is included: the bound is the start of the day after.
        reported_before=until + timedelta(days=1) if until else None,
        overdue_only=data["overdue"],
        escalated_only=data["escalated"],
        rated={"yes": True, "no": False}.get(data["rated"]),
        reporter_id=data["reporter"],
        assignee_id=data["handler"],
        handled_only=data["handled"],
    )


def _valid_form(request: HttpRequest) -> tuple[User, AllCasesForm]:
    actor = actor_from(request)
    require_permission(actor, Perm.CASES_VIEW)
    form = _form(request, actor)
    return actor, form


@require_GET
@page_view
def all_cases(request: HttpRequest) -> HttpResponse:
    actor, form = _valid_form(request)
    context: dict[str, Any] = {
        "form": form,
        "phone_form": CallerSearchForm(),
        "rows": [],
        "searched_phone": "",
        "export_query": None,
    }
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        order = Order(data["order"] or Order.NEWEST)
        rows, next_cursor = case_search_page(
            actor=actor, filters=filters_from(data), order=order, cursor=data["cursor"] or None
        )
        names = region_names(
            actor=actor,
            region_codes={code for case in rows for code in (case.region_code, case.handling_code)},
        )
        query = request.GET.copy()
        query.pop("cursor", None)
        context.update(
            rows=decorate(rows, names=names),
            next_query=_with(query, cursor=next_cursor) if next_cursor else None,
            first_query=query.urlencode() if data["cursor"] else None,
            export_query=query.urlencode(),
            searched_phone=data["caller"].masked if data["caller"] else "",
        )
    else:
        # The form shows its errors; no list rather than an unfiltered one.
        status = 400
    return render(request, "cases/all.html", context, status=status)


@require_POST
@page_view
def all_cases_by_phone(request: HttpRequest) -> HttpResponseBase:
    """A hotline operator's "has this caller reported before?": the phone comes in the POST's
    body and the list is opened by a signed token, never by the number itself."""
    actor = actor_from(request)
    require_permission(actor, Perm.CASES_VIEW)
    phone_form = CallerSearchForm(request.POST)
    if phone_form.is_valid():
        token = CallerSearch.for_phone(phone_form.cleaned_data["phone"]).token()
        return redirect(f"{reverse('cases:all')}?{urlencode({'caller': token})}")
    context = {
        "form": _form(request, actor),
        "phone_form": phone_form,
        "rows": [],
        "searched_phone": "",
        "export_query": None,
    }
    return render(request, "cases/all.html", context, status=400)


def _with(query: Any, **values: str) -> str:
    query = query.copy()
    for name, value in values.items():
        query[name] = value
    return str(query.urlencode())


@require_GET
@page_view
def all_cases_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an xlsx workbook: personal data masked, the export audited."""
    actor, form = _valid_form(request)
    if not form.is_valid():
        raise ValidationFailed.from_messages(form.errors)
    data = form.cleaned_data
    rows, truncated = case_export_rows(
        actor=actor, filters=filters_from(data), order=Order(data["order"] or Order.NEWEST)
    )
    names = region_names(
        actor=actor,
        region_codes={code for case in rows for code in (case.region_code, case.handling_code)},
    )
    body = cases_workbook(decorate(rows, names=names), truncated=truncated)
    filters = {name: str(value) for name, value in data.items() if value and name != "caller"}
    audit_record(
        actor=actor,
        action="case.export",
        object_type="case",
        object_id="",
        detail={"rows": len(rows), "filters": filters, "by_phone": bool(data["caller"])},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
