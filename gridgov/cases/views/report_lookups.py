"""What the report form looks up while a person fills it in: places by name (a county's operator
chooses among 1,400 places by typing, not by scrolling) and the caller's earlier cases by phone
(an operator answering the hotline sees at once whether this caller has called before)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from gridgov.accounts.actors import actor_from
from gridgov.cases.selectors import CaseFilters, case_list
from gridgov.core.access import Perm
from gridgov.core.pages import page_view
from gridgov.core.pii import mask_phone, normalize_phone, search_hash
from gridgov.core.scoping import require_permission
from gridgov.regions.selectors import report_place_search

# The earlier cases shown beside the phone; the all-cases list has the rest.
CALLER_CASES_SHOWN = 10


class PlaceQueryForm(forms.Form):
    place_query = forms.CharField(max_length=50, required=False, strip=True)


class CallerForm(forms.Form):
    reporter_phone = forms.CharField(max_length=32, strip=True)

    def clean_reporter_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["reporter_phone"])
        if phone is None:
            raise forms.ValidationError(_("Enter the whole phone number to see earlier cases."))
        return phone


@require_GET
@page_view
def report_places(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    require_permission(actor, Perm.CASES_REPORT)
    form = PlaceQueryForm(request.GET)
    if not form.is_valid():
        return render(request, "cases/_report_places.html", {"form": form}, status=400)
    query = form.cleaned_data["place_query"]
    places = report_place_search(actor=actor, query=query)
    return render(
        request, "cases/_report_places.html", {"form": form, "places": places, "query": query}
    )


@require_GET
@page_view
def report_caller(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    require_permission(actor, Perm.CASES_VIEW)
    form = CallerForm(request.GET)
    if not form.is_valid():
        return render(request, "cases/_report_caller.html", {"form": form}, status=400)
    phone = form.cleaned_data["reporter_phone"]
    matches = case_list(actor=actor, filters=CaseFilters(phone_hash=search_hash(phone)))
    cases = list(matches[: CALLER_CASES_SHOWN + 1])
    return render(
        request,
        "cases/_report_caller.html",
        {
            "form": form,
            "cases": cases[:CALLER_CASES_SHOWN],
            "more": len(cases) > CALLER_CASES_SHOWN,
            "masked_phone": mask_phone(phone),
        },
    )
