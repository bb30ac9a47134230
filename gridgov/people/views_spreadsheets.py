"""The register's workbook pages: the template, the import (check first, then write), the
masked export of a search and, for who may unmask, its unmasked export with a reason."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gridgov.accounts.actors import actor_from
from gridgov.core.access import Perm
from gridgov.core.clientaddress import client_address
from gridgov.core.errors import ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import require_permission
from gridgov.people import selectors, spreadsheets
from gridgov.people.api import xlsx_response
from gridgov.people.forms import ImportForm, SearchForm, UnmaskedExportForm
from gridgov.people.services import export_record, export_unmasked_check, export_unmasked_record


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


@require_POST
@page_view
def export_unmasked(request: HttpRequest) -> HttpResponse:
    """The search's workbook in full, for a user who may unmask and says why (audited with the
    reason and the count); 400 without a reason, 403 for everyone else."""
    actor = actor_from(request)
    form = UnmaskedExportForm(request.POST)
    q = request.POST.get("q", "")[:100]
    reason = export_unmasked_check(actor=actor, reason=form.data.get("reason", ""), query={"q": q})
    if not form.is_valid():
        raise ValidationFailed.from_messages(form.errors)
    rows = selectors.resident_export_rows(
        actor=actor,
        filters=selectors.ResidentFilters(q=form.cleaned_data["q"]),
        limit=spreadsheets.EXPORT_LIMIT,
        unmasked=True,
    )
    export_unmasked_record(
        actor=actor,
        reason=reason,
        count=len(rows),
        query={"q": q},
        client_address=client_address(request),
    )
    return xlsx_response(spreadsheets.export_workbook(rows, unmasked=True), "residents.xlsx")
