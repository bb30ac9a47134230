"""The register's staff pages: search, a resident (masked, with an audited reveal), households,
buildings, organisations, and a grid worker's round on the phone."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from gridgov.accounts.actors import actor_from
from gridgov.core.access import Perm
from gridgov.core.clientaddress import client_address
from gridgov.core.errors import ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.people import selectors
from gridgov.people.forms import RevealForm, SearchForm, UnmaskedExportForm
from gridgov.people.models import FocusKind
from gridgov.people.policy import holds_anywhere, holds_at
from gridgov.people.services import resident_reveal

FOCUS_LABELS = dict(FocusKind.choices)


def _may_edit(actor: Any, record: Any) -> bool:
    return holds_at(actor, Perm.PEOPLE_MANAGE, record.region_code)


def _page_links(request: HttpRequest, cursor: str | None) -> dict[str, str | None]:
    params: dict[str, str] = {k: str(v) for k, v in request.GET.items() if k != "cursor"}
    return {
        "first_query": urlencode(params) if request.GET.get("cursor") else None,
        "next_query": urlencode({**params, "cursor": cursor}) if cursor else None,
    }


def _search(request: HttpRequest) -> tuple[SearchForm, str, str | None]:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return form, "", None
    return form, form.cleaned_data["q"], form.cleaned_data["cursor"] or None


@require_GET
@page_view
def residents(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    form, q, cursor = _search(request)
    queryset = selectors.resident_list(actor=actor, filters=selectors.ResidentFilters(q=q))
    rows, next_cursor = selectors.keyset_page(queryset, key="name", cursor=cursor)
    focus = selectors.focus_of_residents(actor=actor, residents=rows)
    for resident in rows:
        resident.focus_labels = [FOCUS_LABELS[k] for k in focus.get(resident.pk, [])]  # type: ignore[attr-defined]
    may_unmask = holds_anywhere(actor, Perm.PEOPLE_REVEAL)
    context = {
        "form": form,
        "rows": rows,
        "searched": bool(q),
        "unmask_form": UnmaskedExportForm(initial={"q": q}) if may_unmask else None,
        **_page_links(request, next_cursor),
    }
    return render(request, "people/residents.html", context)


def _resident_context(actor: Any, resident_id: int, **extra: Any) -> dict[str, Any]:
    resident = selectors.resident_get(actor=actor, resident_id=resident_id)
    focus = selectors.resident_focus(actor=actor, resident=resident)
    for membership in focus:
        membership.label = FOCUS_LABELS[membership.kind]  # type: ignore[attr-defined]
    may_edit = holds_at(actor, Perm.PEOPLE_MANAGE, resident.region_code)
    return {"resident": resident, "focus": focus, "may_edit": may_edit, **extra}


@require_GET
@page_view
def resident(request: HttpRequest, resident_id: int) -> HttpResponse:
    actor = actor_from(request)
    context = _resident_context(actor, resident_id, reveal_form=RevealForm())
    return render(request, "people/resident.html", context)


@require_POST
@page_view
def resident_reveal_page(request: HttpRequest, resident_id: int) -> HttpResponse:
    """The full value, on a page of its own that is not cached; the form again on bad input."""
    actor = actor_from(request)
    context = _resident_context(actor, resident_id)
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            value = resident_reveal(
                actor=actor,
                resident=context["resident"],
                field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
                client_address=client_address(request),
            )
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            field_label = dict(form.fields["field"].choices)[form.cleaned_data["field"]]  # type: ignore[attr-defined]
            response = render(
                request,
                "people/revealed.html",
                {**context, "value": value, "field_label": field_label},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "people/resident.html", {**context, "reveal_form": form}, status=400)


@require_GET
@page_view
def households(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    form, q, cursor = _search(request)
    queryset = selectors.household_list(actor=actor, q=q)
    rows, next_cursor = selectors.keyset_page(queryset, key="number", cursor=cursor)
    context = {"form": form, "rows": rows, **_page_links(request, next_cursor)}
    return render(request, "people/households.html", context)


@require_GET
@page_view
def household(request: HttpRequest, household_id: int) -> HttpResponse:
    actor = actor_from(request)
    found = selectors.household_get(actor=actor, household_id=household_id)
    members = selectors.household_members(household=found)
    context = {"household": found, "members": members, "may_edit": _may_edit(actor, found)}
    return render(request, "people/household.html", context)


@require_GET
@page_view
def buildings(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    form, q, cursor = _search(request)
    queryset = selectors.building_list(actor=actor, q=q)
    rows, next_cursor = selectors.keyset_page(queryset, key="address", cursor=cursor)
    context = {"form": form, "rows": rows, **_page_links(request, next_cursor)}
    return render(request, "people/buildings.html", context)


@require_GET
@page_view
def building(request: HttpRequest, building_id: int) -> HttpResponse:
    actor = actor_from(request)
    found = selectors.building_get(actor=actor, building_id=building_id)
    rows = selectors.building_households(building=found)
    context = {"building": found, "households": rows, "may_edit": _may_edit(actor, found)}
    return render(request, "people/building.html", context)


@require_GET
@page_view
def organisations(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    form, q, cursor = _search(request)
    queryset = selectors.organisation_list(actor=actor, q=q)
    rows, next_cursor = selectors.keyset_page(queryset, key="name", cursor=cursor)
    context = {"form": form, "rows": rows, **_page_links(request, next_cursor)}
    return render(request, "people/organisations.html", context)


@require_GET
@page_view
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = actor_from(request)
    found = selectors.organisation_get(actor=actor, organisation_id=organisation_id)
    context = {"organisation": found, "may_edit": _may_edit(actor, found)}
    return render(request, "people/organisation.html", context)


@require_GET
@page_view
def round_page(request: HttpRequest) -> HttpResponse:
    """A grid worker's round, made for a phone: whom to visit (the focus groups they may see,
    soonest due first), then the households of their grid."""
    actor = actor_from(request)
    today = timezone.localdate()
    visits = selectors.visits_due(actor=actor, today=today)
    for visit in visits:
        visit.label = str(FOCUS_LABELS[visit.membership.kind])
    form, q, cursor = _search(request)
    queryset = selectors.household_list(actor=actor, q=q)
    rows, next_cursor = selectors.keyset_page(queryset, key="number", cursor=cursor)
    visited = selectors.households_visited_since(actor=actor, since=today.replace(day=1))
    for household in rows:
        household.visited_this_month = household.pk in visited  # type: ignore[attr-defined]
    context = {
        "visits": visits,
        "visited_count": sum(1 for visit in visits if visit.visited_this_month),
        "due_count": sum(1 for visit in visits if not visit.visited_this_month),
        "households_visited": len(visited),
        "form": form,
        "rows": rows,
        **_page_links(request, next_cursor),
    }
    return render(request, "people/round.html", context)
