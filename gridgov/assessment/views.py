"""The assessment pages: the month's scores and rankings, one score with its components (each
linking to the records behind it), the visits behind a score, the scheme, the xlsx export."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gridgov.accounts.actors import actor_from
from gridgov.assessment import selectors
from gridgov.assessment.export import scores_workbook
from gridgov.assessment.forms import RecomputeForm, SchemeForm, ScoreQueryForm, VisitQueryForm
from gridgov.assessment.indicators import Shape, registered, spec_of, subject_of
from gridgov.assessment.models import Score, SubjectKind
from gridgov.assessment.services.scheme import SchemeChange, scheme_update
from gridgov.assessment.services.scoring import month_bounds, scores_recompute
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import require_permission
from gridgov.people.selectors import visit_list
from gridgov.regions.selectors import region_list, region_names

MAX_ROWS = 3000
MAX_VISITS = 500
MAX_PLACES = 2000
PLACE_LEVELS = ("county", "town", "village")


def _places(request: HttpRequest) -> list[tuple[str, str]]:
    regions = region_list(actor=actor_from(request)).filter(level__in=PLACE_LEVELS)
    return [
        (
            region.region_code,
            f"{region.name} · {region.parent.name}" if region.parent else region.name,
        )
        for region in regions.select_related("parent")[:MAX_PLACES]
    ]


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def _may(actor: Any, permission: str) -> bool:
    return bool(actor.jurisdiction_codes(permission))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def component_rows(score: Score) -> list[dict[str, Any]]:
    """Each component as the page shows it: what it counts, the figures, the link to records."""
    subject = subject_of(score)
    _start, _end, last = month_bounds(score.month)
    rows = []
    for component in score.components.all():
        spec = spec_of(component.indicator)
        if spec is None:
            continue
        if spec.shape == Shape.COUNT:
            value = f"{component.numerator:.0f}"
            of = f"{component.denominator:.0f}" if component.denominator is not None else "—"
        elif spec.shape == Shape.AVERAGE:
            value = f"{component.value:.2f}" if component.denominator else "—"
            of = f"{component.denominator:.0f}" if component.denominator else "0"
        else:
            value = f"{component.numerator:.0f}"
            of = f"{component.denominator:.0f}" if component.denominator is not None else "0"
        rows.append(
            {
                "component": component,
                "spec": spec,
                "value": value,
                "of": of,
                "normalised": _percent(component.normalised),
                "href": spec.records(subject, score.month, last),
            }
        )
    return rows


@page_view
@require_safe
def scores(request: HttpRequest) -> HttpResponse:
    """The month's scores and rankings of the actor's places: towns, villages, grid workers."""
    actor = actor_from(request)
    require_permission(actor, Perm.ASSESSMENT_VIEW)
    data = request.GET.copy()
    # The picker shows the month the page shows: this one, until another is asked for.
    if not data.get("month"):
        data["month"] = _this_month().strftime("%Y-%m")
    query = ScoreQueryForm(data, places=_places(request))
    context: dict[str, Any] = {"query": query, "months": selectors.score_months(actor=actor)}
    if not query.is_valid():
        return render(request, "assessment/scores.html", context, status=400)
    month = query.cleaned_data["month"] or _this_month()
    filters = selectors.ScoreFilters(
        month=month, region_code=query.cleaned_data["region"], kind=query.cleaned_data["kind"]
    )
    rows = list(selectors.score_list(actor=actor, filters=filters)[:MAX_ROWS])
    names = region_names(actor=actor, region_codes={score.region_code for score in rows})
    groups = []
    for kind, label in SubjectKind.choices[::-1]:
        kind_rows = [
            (score, names.get(score.region_code, "")) for score in rows if score.kind == kind
        ]
        if kind_rows:
            groups.append({"kind": kind, "label": label, "rows": kind_rows})
    params = {
        "month": month.strftime("%Y-%m"),
        **{k: v for k, v in query.cleaned_data.items() if k != "month" and v},
    }
    context.update(
        {
            "month": month,
            "groups": groups,
            "export_query": urlencode(params),
            "recompute": RecomputeForm(initial={"month": month, "next": request.get_full_path()}),
            "may_configure": _may(actor, Perm.ASSESSMENT_CONFIGURE),
            "computed_at": max((score.computed_at for score in rows), default=None),
        }
    )
    return render(request, "assessment/scores.html", context)


@page_view
@require_safe
def score_detail(request: HttpRequest, score_id: int) -> HttpResponse:
    """One score: each component with what it counts, its figures, weight and points, and a
    link to the records behind it; the months before."""
    actor = actor_from(request)
    score = selectors.score_get(actor=actor, score_id=score_id)
    history = selectors.score_history(actor=actor, score=score)
    place = region_names(actor=actor, region_codes={score.region_code}).get(score.region_code, "")
    context = {
        "score": score,
        "place": place,
        "rows": component_rows(score),
        "history": history,
        "recompute": RecomputeForm(initial={"month": score.month, "next": request.get_full_path()}),
        "may_supervise": _may(actor, Perm.SUPERVISION_ISSUE),
    }
    return render(request, "assessment/score.html", context)


@page_view
@require_POST
def recompute(request: HttpRequest) -> HttpResponseBase:
    """Recompute a month's scores from the records now (the button on the score pages)."""
    actor = actor_from(request)
    require_permission(actor, Perm.ASSESSMENT_VIEW)
    form = RecomputeForm(request.POST)
    target = reverse("assessment:scores")
    if form.is_valid():
        next_url = form.cleaned_data["next"]
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}
        ):
            target = next_url
        try:
            count = scores_recompute(actor=actor, month=form.cleaned_data["month"])
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(
                request,
                _("The scores of %(month)s were recomputed from the records (%(count)s scores).")
                % {"month": form.cleaned_data["month"].strftime("%Y-%m"), "count": count},
            )
            return redirect(target)
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, str(problem))
    return redirect(target)


@page_view
@require_safe
def visits(request: HttpRequest) -> HttpResponse:
    """The home visits behind a score's visits component: a place's in a month, by one account
    when given."""
    actor = actor_from(request)
    require_permission(actor, Perm.ASSESSMENT_VIEW)
    query = VisitQueryForm(request.GET)
    if not query.is_valid():
        return render(request, "assessment/visits.html", {"query": query}, status=400)
    month = query.cleaned_data["month"]
    _start, _end, last = month_bounds(month)
    rows = list(
        visit_list(
            actor=actor,
            region_code=query.cleaned_data["region"],
            visited_from=month,
            visited_until=last,
            visited_by_id=query.cleaned_data["by"],
        )[:MAX_VISITS]
    )
    region = query.cleaned_data["region"]
    names = region_names(actor=actor, region_codes={region} | {v.region_code for v in rows})
    context = {
        "query": query,
        "month": month,
        "place": names.get(region, ""),
        "rows": [(visit, names.get(visit.region_code, "")) for visit in rows],
        "limit": MAX_VISITS,
    }
    return render(request, "assessment/visits.html", context)


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def scheme(request: HttpRequest) -> HttpResponseBase:
    """The scoring scheme: each indicator with what it counts, its weight and target; the
    county changes them here (the weights add up to 100)."""
    actor = actor_from(request)
    require_permission(actor, Perm.ASSESSMENT_VIEW)
    may_configure = _may(actor, Perm.ASSESSMENT_CONFIGURE)
    if request.method == "POST":
        require_permission(actor, Perm.ASSESSMENT_CONFIGURE)
    indicators = [i for i in selectors.scheme_indicators() if i.code in registered()]
    labels = {code: spec.label for code, spec in registered().items()}
    data = request.POST if request.method == "POST" else None
    form = SchemeForm(data, indicators=indicators, labels=labels)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changes = [
                SchemeChange(
                    code=indicator.code,
                    weight=form.cleaned_data[f"weight_{indicator.code}"],
                    target=form.cleaned_data[f"target_{indicator.code}"] or 0,
                )
                for indicator in indicators
            ]
            try:
                scheme_update(actor=actor, changes=changes)
            except ValidationFailed as error:
                add_problems(form, error)
            else:
                messages.success(
                    request,
                    _("The scheme was saved. The scores follow it when next recomputed."),
                )
                return redirect("assessment:scheme")
        status = 400
    rows = [
        {
            "indicator": indicator,
            "spec": registered()[indicator.code],
            "weight": form[f"weight_{indicator.code}"],
            "target": form[f"target_{indicator.code}"],
        }
        for indicator in indicators
    ]
    context = {"form": form, "rows": rows, "may_configure": may_configure}
    return render(request, "assessment/scheme.html", context, status=status)


@page_view
@require_safe
def export(request: HttpRequest) -> HttpResponse:
    """The month's scores of the actor's places as an xlsx workbook: ranking and components."""
    actor = actor_from(request)
    require_permission(actor, Perm.ASSESSMENT_VIEW)
    query = ScoreQueryForm(request.GET, places=_places(request))
    if not query.is_valid():
        return render(request, "assessment/scores.html", {"query": query}, status=400)
    month = query.cleaned_data["month"] or _this_month()
    filters = selectors.ScoreFilters(
        month=month, region_code=query.cleaned_data["region"], kind=query.cleaned_data["kind"]
    )
    rows = list(selectors.score_list(actor=actor, filters=filters)[:MAX_ROWS])
    names = region_names(actor=actor, region_codes={score.region_code for score in rows})
    body = scores_workbook(scores=rows, places=names, month=month.strftime("%Y-%m"))
    where = (
        query.cleaned_data["region"] or (actor.jurisdiction_codes(Perm.ASSESSMENT_VIEW) or [""])[0]
    )
    audit_record(
        actor=actor,
        action="assessment.export",
        object_type="scores",
        object_id=month.strftime("%Y-%m"),
        region_code=where,
        detail={"rows": len(rows), "kind": query.cleaned_data["kind"]},
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="scores-{month:%Y-%m}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
