"""Server-rendered pages: thin views over selectors.

Domain errors become pages through `core.pages`: a NotFound (missing, or outside the
jurisdiction) the 404 page, a PermissionDenied (no role for the page) the audited 403 page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from gridgov.accounts.actors import actor_from
from gridgov.accounts.models import User
from gridgov.accounts.selectors import region_staff, region_staff_counts, user_jurisdiction
from gridgov.assessment.selectors import order_waiting_count
from gridgov.cases.selectors.waiting import (
    jurisdiction_overview,
    my_reports,
    my_waiting_counts,
    reports_from_my_phone,
    routing_units,
    unit_waiting_counts,
)
from gridgov.core import codes, errors
from gridgov.core.access import Perm
from gridgov.core.pages import json_view, public_page
from gridgov.mediation.selectors import mediator_day
from gridgov.regions.figures import RegionFigures, children_figures, region_figures
from gridgov.regions.models import Region
from gridgov.regions.selectors import (
    region_ancestors,
    region_children,
    region_get,
    region_names,
    region_top,
)

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


# Machine clients live under these prefixes: they get a JSON 404, people the page.
_API_PREFIXES = ("/api/",)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(_API_PREFIXES):
        return JsonResponse({"detail": "not found", "code": "not_found"}, status=404)
    return render(request, "web/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/403.html", status=403)


def _figures(*, actor: User, region: Region) -> RegionFigures:
    staff = region_staff_counts(actor=actor, region_code=region.region_code)
    return region_figures(actor=actor, region=region, staff=staff)


def _may(actor: User, permission: str) -> bool:
    return bool(actor.jurisdiction_codes(permission))


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    is_staff = _may(actor, Perm.REGIONS_STAFF_VIEW)
    regions = region_top(actor=actor) if is_staff else []
    context = {
        "me": user_jurisdiction(actor=actor),
        "jurisdiction": [
            {"region": region, "figures": _figures(actor=actor, region=region)}
            for region in regions
        ],
        "may_browse_regions": _may(actor, Perm.REGIONS_VIEW),
        "may_manage_accounts": _may(actor, Perm.ACCOUNTS_VIEW),
        "may_read_audit": _may(actor, Perm.AUDIT_VIEW),
        "waiting": _waiting_on(actor),
        "overview": (
            jurisdiction_overview(actor=actor)
            if any(
                len(code) == codes.COUNTY_LEN for code in actor.jurisdiction_codes(Perm.CASES_VIEW)
            )
            else None
        ),
        "my_reports": my_reports(actor=actor) if _may(actor, Perm.CASES_REPORT) else None,
        "may_view_cases": _may(actor, Perm.CASES_VIEW),
        "my_work": my_waiting_counts(actor=actor) if _may(actor, Perm.CASES_HANDLE) else None,
        # A mediator's day: their disputes, the sessions and follow-up visits falling due.
        "mediation_day": (mediator_day(actor=actor) if _may(actor, Perm.MEDIATION_WORK) else None),
        # Supervision orders to answer, or answered ones to review.
        "orders_waiting": (
            order_waiting_count(actor=actor) if _may(actor, Perm.SUPERVISION_RESPOND) else None
        ),
    }
    # Somebody with none of the staff pages is a resident: their reports and the way to report.
    context["is_resident"] = not (
        context["may_browse_regions"] or context["may_manage_accounts"] or context["may_read_audit"]
    )
    if context["is_resident"]:
        context["resident_reports"] = reports_from_my_phone(actor=actor)
    return render(request, "web/home.html", context)


# A person routes cases at one unit, rarely a few; the home shows the lists of at most these.
_HOME_UNITS = 5


def _waiting_on(actor: User) -> list[dict[str, Any]]:
    """For each unit where the actor routes cases: its name and what waits on it."""
    units = routing_units(actor=actor)[:_HOME_UNITS]
    names = region_names(actor=actor, region_codes=set(units))
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "lists": unit_waiting_counts(actor=actor, unit=code),
        }
        for code in units
    ]


def _child_rows(*, actor: User, region: Region | None, children: Iterable[Region]) -> list[Any]:
    figures = children_figures(actor=actor, region=region) if region is not None else {}
    rows = []
    for child in children:
        if region is None:
            own = _figures(actor=actor, region=child)
            population, households = own.population, own.households
        else:
            child_figures = figures.get(child.region_code)
            population = child_figures.population if child_figures else child.population
            households = child_figures.households if child_figures else child.households
        rows.append(
            {
                "region": child,
                "population": population,
                "households": households,
                "child_count": getattr(child, "child_count", None),
            }
        )
    return rows


@require_safe
@login_required
@public_page
def region_browser(request: HttpRequest) -> HttpResponse:
    """The actor's top regions; with a single one, its page directly."""
    actor = actor_from(request)
    tops = region_top(actor=actor)
    if len(tops) == 1:
        return redirect("web:region", code=tops[0].region_code)
    context = {
        "region": None,
        "ancestors": [],
        "children": _child_rows(actor=actor, region=None, children=tops),
        "figures": None,
        "staff": None,
        "map_url": reverse("web:regions-geojson"),
    }
    return render(request, "web/region.html", context)


@require_safe
@login_required
@public_page
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_from(request)
    region = region_get(actor=actor, code=code)
    try:
        staff = list(region_staff(actor=actor, region_code=region.region_code))
    except errors.PermissionDenied:
        # Volunteers and administrators browse the tree but not who works in it.
        staff = None
    context = {
        "region": region,
        "ancestors": region_ancestors(actor=actor, region=region),
        "children": _child_rows(
            actor=actor, region=region, children=region_children(actor=actor, code=code)
        ),
        "figures": _figures(actor=actor, region=region),
        "staff": staff,
        "map_url": reverse("web:region-geojson", kwargs={"code": region.region_code}),
    }
    return render(request, "web/region.html", context)


def _short_name(name: str, parent_name: str) -> str:
    """A child's name without its parent's name in front, to label it on the parent's map."""
    return (
        name[len(parent_name) :]
        if parent_name and name.startswith(parent_name) and name != parent_name
        else name
    )


def _feature(region: Region, *, role: str, parent_name: str = "") -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": region.boundary,
        "properties": {
            "code": region.region_code,
            "name": region.name,
            "label": _short_name(region.name, parent_name),
            "level": region.level,
            "level_label": str(region.get_level_display()),
            "role": role,
            "url": reverse("web:region", kwargs={"code": region.region_code}),
        },
    }


def _feature_collection(features: list[dict[str, Any]]) -> JsonResponse:
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Type"] = "application/geo+json"
    # Boundaries follow the actor's jurisdiction: never share them through a cache.
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
@json_view
def region_geojson(request: HttpRequest, code: str) -> JsonResponse:
    """The region's boundary and its children's, for the map."""
    actor = actor_from(request)
    region = region_get(actor=actor, code=code)
    features = [_feature(region, role="region")] if region.boundary else []
    features += [
        _feature(child, role="child", parent_name=region.name)
        for child in region_children(actor=actor, code=code)
        if child.boundary
    ]
    return _feature_collection(features)


@require_safe
@login_required
@json_view
def regions_geojson(request: HttpRequest) -> JsonResponse:
    """The boundaries of the actor's top regions."""
    actor = actor_from(request)
    return _feature_collection(
        [_feature(region, role="child") for region in region_top(actor=actor) if region.boundary]
    )
