"""The register's workbook pages: the template, the import (check first, then write) and the
masked export of a search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from gridgov.accounts.actors import actor_from
from gridgov.core.access import Perm
from gridgov.core.errors import ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import require_permission
from gridgov.people import selectors, spreadsheets
from gridgov.people.api import xlsx_response
from gridgov.people.forms import ImportForm, SearchForm
from gridgov.people.services import export_record


@require_GET
@page_view
def import_template(request: HttpRequest) -> HttpResponse:
    require_permission(actor_from(request), Perm.PEOPLE_MANAGE)
    return xlsx_response(spreadsheets.template_workbook(), "register-template.xlsx")


@require_http_methods(["GET", "POST"])
@page_view
def import_page(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    require_permission(actor, Perm.PEOPLE_MANAGE)
    if request.method != "POST":
        return render(request, "people/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        try:
            report = spreadsheets.resident_import(
                actor=actor,
                content=form.cleaned_data["file"].read(),
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationFailed as error:
            add_problems(form, error)
    status = 200 if report is not None and not report.problems else 400
    context = {"form": form, "report": report.as_dict() if report else None}
    return render(request, "people/import.html", context, status=status)


@require_GET
@page_view
def export(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    rows = selectors.resident_export_rows(
        actor=actor, filters=selectors.ResidentFilters(q=q), limit=spreadsheets.EXPORT_LIMIT
    )
    export_record(actor=actor, count=len(rows), query={"q": q})
    return xlsx_response(spreadsheets.export_workbook(rows), "residents.xlsx")
