"""The register's edit pages: a resident, a household, a building, an organisation, for whoever
keeps the register there. The form again with its problems on bad input (400, nothing saved)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gridgov.accounts.actors import actor_from
from gridgov.core.errors import ErrorCode, ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.people import edits, errors, selectors
from gridgov.people import forms as people_forms
from gridgov.people.models import Building, Household, Organisation, Resident


@dataclass(frozen=True)
class Editable:
    model: type[Model]
    form: type[forms.Form]
    update: Callable[..., Any]
    argument: str  # the service's keyword for the record
    not_found: ErrorCode
    detail: str  # the record's page
    title: Any


EDITABLE = {
    "resident": Editable(
        Resident,
        people_forms.ResidentEditForm,
        edits.resident_update,
        "resident",
        errors.RESIDENT_NOT_FOUND,
        "people:resident",
        gettext_lazy("Edit the resident"),
    ),
    "household": Editable(
        Household,
        people_forms.HouseholdEditForm,
        edits.household_update,
        "household",
        errors.HOUSEHOLD_NOT_FOUND,
        "people:household",
        gettext_lazy("Edit the household"),
    ),
    "building": Editable(
        Building,
        people_forms.BuildingEditForm,
        edits.building_update,
        "building",
        errors.BUILDING_NOT_FOUND,
        "people:building",
        gettext_lazy("Edit the building"),
    ),
    "organisation": Editable(
        Organisation,
        people_forms.OrganisationEditForm,
        edits.organisation_update,
        "organisation",
        errors.ORGANISATION_NOT_FOUND,
        "people:organisation",
        gettext_lazy("Edit the organisation"),
    ),
}


def _initial(record: Model, form: type[forms.Form]) -> dict[str, Any]:
    # The ID number and phone fields take a new value only: never the stored one, even masked
    # (and removing the phone is a choice made each time).
    return {
        name: getattr(record, name)
        for name in form.base_fields
        if name not in ("id_number", "phone", "remove_phone")
    }


def _edit(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    spec = EDITABLE[kind]
    actor = actor_from(request)
    record = selectors.editable_get(actor=actor, model=spec.model, pk=pk, not_found=spec.not_found)  # type: ignore[type-var]
    status = 200
    if request.method == "POST":
        form = spec.form(request.POST)
        status = 400
        if form.is_valid():
            try:
                spec.update(actor=actor, changes=dict(form.cleaned_data), **{spec.argument: record})
            except ValidationFailed as error:
                add_problems(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(spec.detail, pk)
    else:
        form = spec.form(initial=_initial(record, spec.form))
    context = {"form": form, "record": record, "title": spec.title, "detail": spec.detail}
    return render(request, "people/edit.html", context, status=status)


def _page(kind: str) -> Callable[..., HttpResponseBase]:
    @require_http_methods(["GET", "POST"])
    @page_view
    def view(request: HttpRequest, pk: int) -> HttpResponseBase:
        return _edit(request, kind, pk)

    view.__name__ = f"{kind}_edit"
    return view


resident_edit = _page("resident")
household_edit = _page("household")
building_edit = _page("building")
organisation_edit = _page("organisation")
