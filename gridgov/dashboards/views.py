"""The command centre's pages: a region's overview on the desk (with its map's data and its
spreadsheet), and the hall's big screen."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gridgov.accounts.actors import actor_from
from gridgov.core.audit import audit_record
from gridgov.core.pages import json_view, page_view
from gridgov.dashboards.export import summary_workbook
from gridgov.dashboards.report_pdf import summary_pdf
from gridgov.dashboards.selectors import (
    PERIOD_CHOICES,
    Period,
    Summary,
    child_boundaries,
    children_figures,
    open_case_points,
    overview_region,
    period_from,
    summary,
)
from gridgov.regions.models import Region
from gridgov.regions.selectors import region_ancestors


def _region_and_period(request: HttpRequest) -> tuple[Any, Region, Period]:
    actor = actor_from(request)
    region = overview_region(actor=actor, code=request.GET.get("region"))
    period = period_from(
        key=request.GET.get("period"), start=request.GET.get("from"), end=request.GET.get("to")
    )
    return actor, region, period


def _summary(request: HttpRequest) -> tuple[Any, Summary]:
    actor, region, period = _region_and_period(request)
    interval = request.GET.get("interval", "")
    return actor, summary(actor=actor, region=region, period=period, interval=interval)


def _period_query(figures: Summary) -> str:
    return _query_of(figures.period)


def _query_of(period: Period) -> str:
    if period.key == "range":
        return urlencode({"from": period.start.isoformat(), "to": period.end.isoformat()})
    return urlencode({"period": period.key})


def age_seconds(figures: Summary) -> int | None:
    if figures.updated_at is None:
        return None
    return max(0, int((timezone.now() - figures.updated_at).total_seconds()))


def _without(request: HttpRequest, name: str) -> str:
    """The request's query without `name`, to link the same view with another value of it."""
    query = request.GET.copy()
    query.pop(name, None)
    return str(query.urlencode())


@require_GET
@page_view
def overview(request: HttpRequest) -> HttpResponse:
    actor, figures = _summary(request)
    return render(
        request,
        "dashboards/overview.html",
        {
            "s": figures,
            "ancestors": region_ancestors(actor=actor, region=figures.region),
            "periods": PERIOD_CHOICES,
            "period_query": _period_query(figures),
            "age_seconds": age_seconds(figures),
            "trend": [[day.isoformat(), count] for day, count in figures.trend],
            "trend_query": _without(request, "interval"),
        },
    )


@require_GET
@login_required
@json_view
def overview_map(request: HttpRequest) -> JsonResponse:
    """The region's children as GeoJSON, each with the measures the map colours by (their
    figures only, not the whole overview's), and the grids' open cases as points."""
    actor, region, period = _region_and_period(request)
    rows = {row.code: row for row in children_figures(actor=actor, region=region, period=period)}
    query = _query_of(period)
    features = []
    for code, name, boundary in child_boundaries(actor=actor, region=region):
        row = rows.get(code)
        if boundary is None or row is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": boundary,
                "properties": {
                    "code": code,
                    "name": name,
                    "open_per_thousand": row.open_per_thousand,
                    "overdue": row.overdue.value,
                    "on_time": row.on_time.value,
                    "href": f"?region={code}&{query}",
                },
            }
        )
    points = [
        {
            "code": point.code,
            "name": point.name,
            "lat": point.lat,
            "lng": point.lng,
            "open": point.open.value,
            "href": point.open.href,
        }
        for point in open_case_points(region=region, period=period)
    ]
    # `points` (a foreign member of the collection): the grids' open cases, clustered on the map.
    return JsonResponse({"type": "FeatureCollection", "features": features, "points": points})


@require_GET
@page_view
def screen(request: HttpRequest) -> HttpResponse:
    """The hall's 1920x1080 display: it refreshes itself from the summary API."""
    _actor, figures = _summary(request)
    return render(
        request,
        "dashboards/screen.html",
        {"s": figures, "period_query": _period_query(figures), "age_seconds": age_seconds(figures)},
    )


@require_GET
@page_view
def export(request: HttpRequest) -> HttpResponse:
    """The overview as an xlsx workbook, a sheet a table (figures only: no personal data)."""
    actor, figures = _summary(request)
    body = summary_workbook(figures)
    audit_record(
        actor=actor,
        action="dashboard.export",
        object_type="region",
        object_id=figures.region.region_code,
        region_code=figures.region.region_code,
        detail={"from": figures.period.start.isoformat(), "to": figures.period.end.isoformat()},
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"overview-{figures.region.region_code}-{figures.period.start:%Y%m%d}-{figures.period.end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@page_view
def export_pdf(request: HttpRequest) -> HttpResponse:
    """The overview as a printed report: the cover, the totals, charts and tables."""
    actor, figures = _summary(request)
    body = summary_pdf(figures)
    audit_record(
        actor=actor,
        action="dashboard.export",
        object_type="region",
        object_id=figures.region.region_code,
        region_code=figures.region.region_code,
        detail={
            "from": figures.period.start.isoformat(),
            "to": figures.period.end.isoformat(),
            "format": "pdf",
        },
    )
    response = HttpResponse(body, content_type="application/pdf")
    name = f"overview-{figures.region.region_code}-{figures.period.start:%Y%m%d}-{figures.period.end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
