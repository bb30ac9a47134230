"""The terminal pages: the list with a map coloured by status, and the xlsx import; and the one
route the terminals themselves call, to fetch a message's recording (signed by the terminal)."""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import time
import uuid

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from gridgov.accounts.actors import actor_from
from gridgov.broadcast import terminal_import, terminal_selectors
from gridgov.broadcast.forms import TerminalFilterForm, TerminalImportForm
from gridgov.broadcast.models import TerminalStatus
from gridgov.broadcast.terminal_protocol import (
    SIGNATURE_HEADER,
    TERMINAL_HEADER,
    TIME_HEADER,
    request_verifies,
)
from gridgov.core.access import Perm
from gridgov.core.errors import ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import require_permission

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The table and the map show this many; the API pages through every one.
LIST_SIZE = 2_000


@require_safe
@page_view
def terminal_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    form = TerminalFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    region_code = request.GET.get("region", "")[:18]
    filters = terminal_selectors.TerminalFilters(status=status, region_code=region_code)
    terminals = list(terminal_selectors.terminal_list(actor=actor, filters=filters)[:LIST_SIZE])
    names = terminal_selectors.terminal_place_names(terminals=terminals)
    counts = terminal_selectors.terminal_status_counts(actor=actor, filters=filters)
    rows = [(terminal, names.get(terminal.region_code, "")) for terminal in terminals]
    points = [
        {
            "lat": terminal.latitude,
            "lng": terminal.longitude,
            "name": terminal.name,
            "place": name,
            "status": terminal.status,
            "label": str(terminal.get_status_display()),
        }
        for terminal, name in rows
        if terminal.latitude is not None and terminal.longitude is not None
    ]
    context = {
        "form": form,
        "rows": rows,
        "points": points,
        "counts": [(value, label, counts.get(value, 0)) for value, label in TerminalStatus.choices],
        "total": sum(counts.values()),
        "shown": len(rows),
        "may_import": bool(actor.jurisdiction_codes(Perm.TERMINALS_MANAGE)),
        "region_code": filters.region_code,
        "region_name": terminal_selectors.region_name(actor=actor, code=filters.region_code),
    }
    return render(request, "broadcast/terminals.html", context)


@require_GET
@page_view
def terminal_template(request: HttpRequest) -> HttpResponse:
    require_permission(actor_from(request), Perm.TERMINALS_MANAGE)
    response = HttpResponse(terminal_import.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="terminals-template.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@page_view
def terminal_import_page(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    require_permission(actor, Perm.TERMINALS_MANAGE)
    if request.method != "POST":
        return render(request, "broadcast/terminal_import.html", {"form": TerminalImportForm()})
    form = TerminalImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        try:
            report = terminal_import.terminal_import(
                actor=actor,
                content=form.cleaned_data["file"].read(),
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationFailed as error:
            add_problems(form, error)
    status = 200 if report is not None and not report.problems else 400
    context = {"form": form, "report": report}
    return render(request, "broadcast/terminal_import.html", context, status=status)


def _refusal(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": message}, status=status)


@require_safe
def terminal_audio(request: HttpRequest, identifier: uuid.UUID) -> HttpResponseBase:
    """A message's recording, for a terminal it was sent to: the request signed with the
    terminal's registered key (terminal_protocol.signed_request_headers) within five minutes.
    No login opens it. Its SHA-256 is in a header, as in the signed delivery, so the terminal
    checks what it got before it plays it. Unsigned 401, a signature that does not verify or
    is stale 403, a message not sent to that terminal (or without a recording) 404."""
    code = request.headers.get(TERMINAL_HEADER, "")
    at_text = request.headers.get(TIME_HEADER, "")
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not (code and at_text and signature):
        return _refusal(401, "broadcast.terminal_unsigned", "Sign the request as the terminal.")
    found = terminal_selectors.terminal_audio(code=code, identifier=str(identifier))
    if found is None:
        return _refusal(404, "broadcast.not_found", "There is no such recording for you.")
    if not request_verifies(
        method=request.method or "GET",
        path=request.path,
        terminal_code=code,
        at_text=at_text,
        signature=signature,
        terminal_key=found.public_key,
        now=time.time(),
    ):
        return _refusal(403, "broadcast.terminal_signature", "The signature does not verify.")
    audio = found.broadcast.audio
    try:
        digest = hashlib.sha256()
        with audio.open("rb") as stream:
            for chunk in iter(lambda: stream.read(65536), b""):
                digest.update(chunk)
        handle = audio.open("rb")
    except FileNotFoundError:
        return _refusal(404, "broadcast.not_found", "There is no such recording for you.")
    content_type = mimetypes.guess_type(audio.name or "")[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-SHA256"] = digest.hexdigest()
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(digest.digest()).decode()}:"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
