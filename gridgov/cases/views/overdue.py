"""The county's and towns' view of overdue and escalated cases, with counts per town and level."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gridgov.accounts.actors import actor_from
from gridgov.cases.forms import OverdueFilterForm
from gridgov.cases.models import HandlingLevel
from gridgov.cases.selectors.queues import overdue_counts, overdue_rows
from gridgov.cases.views.common import LEVEL_LABELS, decorate
from gridgov.core import codes
from gridgov.core.errors import ValidationFailed
from gridgov.core.pages import page_view
from gridgov.regions.selectors import region_names


@require_GET
@page_view
def overdue(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    form = OverdueFilterForm(request.GET)
    if not form.is_valid():
        raise ValidationFailed.from_messages(form.errors)
    data = form.cleaned_data
    show = data["show"] or "overdue"
    town = data["town"] if len(data["town"]) == codes.TOWN_LEN else ""
    level = data["level"] if data["level"] in HandlingLevel.values else ""
    per_town, per_level = overdue_counts(actor=actor, show=show, town=town, level=level)
    rows, next_cursor = overdue_rows(
        actor=actor, show=show, town=town, level=level, cursor=data["cursor"] or None
    )
    names = region_names(
        actor=actor,
        region_codes={code for code, _ in per_town} | {case.region_code for case in rows},
    )
    next_query = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_query = query.urlencode()
    context = {
        "show": show,
        "town": town,
        "level": level,
        "per_town": [(code, names.get(code, ""), count) for code, count in per_town],
        "per_level": [(code, LEVEL_LABELS.get(code, code), count) for code, count in per_level],
        "total": sum(count for _, count in per_level),
        "rows": decorate(rows, names=names),
        "next_query": next_query,
        "is_first_page": not data["cursor"],
    }
    return render(request, "cases/overdue.html", context)
