"""The supervision pages: orders waiting on me, issued by me, of my jurisdiction; issuing one;
an order with its timeline and the step that is mine; package responsibility (mine, and who
answers for what in my jurisdiction)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gridgov.accounts.actors import actor_from
from gridgov.assessment import selectors
from gridgov.assessment.forms import OrderForm, PackageForm, RespondForm, ReviewForm
from gridgov.assessment.models import OrderState, OrderTarget, SupervisionOrder
from gridgov.assessment.selectors import OrderList
from gridgov.assessment.services.package import PackageInput, package_assign, package_end
from gridgov.assessment.services.supervision import OrderInput, may_respond, order_issue, order_step
from gridgov.assessment.states import Step
from gridgov.core.access import Perm
from gridgov.core.errors import ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import require_permission
from gridgov.regions.selectors import region_list, region_names

MAX_ROWS = 300
MAX_PLACES = 2000
LISTS = {
    OrderList.WAITING_ON_ME: gettext_lazy("Waiting on me"),
    OrderList.ISSUED_BY_ME: gettext_lazy("Issued by me"),
    OrderList.ALL: gettext_lazy("All in my places"),
}


def _units(request: HttpRequest) -> list[tuple[str, str]]:
    regions = region_list(actor=actor_from(request)).filter(level__in=["town", "village"])
    return [
        (r.region_code, f"{r.name} · {r.parent.name}" if r.parent else r.name)
        for r in regions.select_related("parent")[:MAX_PLACES]
    ]


@page_view
@require_safe
def orders(request: HttpRequest) -> HttpResponse:
    """Supervision orders: waiting on me (to answer, or to review), issued by me, or all."""
    actor = actor_from(request)
    require_permission(actor, Perm.SUPERVISION_RESPOND)
    which = request.GET.get("list", OrderList.WAITING_ON_ME)
    if which not in LISTS:
        which = OrderList.WAITING_ON_ME
    rows = list(selectors.order_list(actor=actor, which=which)[:MAX_ROWS])
    names = region_names(actor=actor, region_codes={order.region_code for order in rows})
    context = {
        "rows": [(order, names.get(order.region_code, "")) for order in rows],
        "lists": list(LISTS.items()),
        "which": which,
        "today": timezone.localdate(),
        "may_issue": bool(actor.jurisdiction_codes(Perm.SUPERVISION_ISSUE)),
    }
    return render(request, "assessment/orders.html", context)


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def order_new(request: HttpRequest) -> HttpResponseBase:
    """Issue a supervision order (the score page and the lists link here, prefilled)."""
    actor = actor_from(request)
    require_permission(actor, Perm.SUPERVISION_ISSUE)
    if request.method == "POST":
        form = OrderForm(request.POST, units=_units(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                order = order_issue(
                    actor=actor,
                    data=OrderInput(
                        target=data["target"],
                        request=data["request"],
                        deadline_on=data["deadline_on"],
                        case_number=data["case_number"],
                        unit=data["unit"],
                        worker=data["worker"],
                    ),
                )
            except ValidationFailed as error:
                add_problems(form, error)
            else:
                messages.success(
                    request,
                    _("Supervision order %(number)s was issued.") % {"number": order.number},
                )
                return redirect("assessment:order", number=order.number)
        return render(request, "assessment/order_new.html", {"form": form}, status=400)
    initial = {
        key: request.GET[key]
        for key in ("target", "case_number", "unit", "worker")
        if key in request.GET
    }
    initial.setdefault("target", OrderTarget.CASE)
    form = OrderForm(initial=initial, units=_units(request))
    return render(request, "assessment/order_new.html", {"form": form})


def _order_page(
    request: HttpRequest,
    order: SupervisionOrder,
    *,
    respond: RespondForm | None = None,
    review: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_from(request)
    names = region_names(actor=actor, region_codes={order.region_code, order.addressee_code} - {""})
    answering = order.state == OrderState.OPEN and may_respond(actor, order)
    reviewing = order.state == OrderState.RESPONDED and order.issued_by_id == actor.pk
    context: dict[str, Any] = {
        "order": order,
        "place": names.get(order.region_code, ""),
        "unit": names.get(order.addressee_code, ""),
        "timeline": selectors.order_timeline(order=order),
        "respond": (respond or RespondForm()) if answering else None,
        "review": (review or ReviewForm()) if reviewing else None,
        "may_withdraw": order.issued_by_id == actor.pk
        and order.state in (OrderState.OPEN, OrderState.RESPONDED),
        "overdue": order.state == OrderState.OPEN and order.deadline_on < timezone.localdate(),
    }
    return render(request, "assessment/order.html", context, status=status)


@page_view
@require_safe
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    actor = actor_from(request)
    require_permission(actor, Perm.SUPERVISION_RESPOND)
    return _order_page(request, selectors.order_get(actor=actor, number=number))


@page_view
@require_POST
def order_respond(request: HttpRequest, number: str) -> HttpResponseBase:
    actor = actor_from(request)
    require_permission(actor, Perm.SUPERVISION_RESPOND)
    order = selectors.order_get(actor=actor, number=number)
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            order_step(
                actor=actor, order=order, step=Step.RESPOND, note=form.cleaned_data["response"]
            )
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(request, _("Your response was sent."))
            return redirect("assessment:order", number=order.number)
    return _order_page(request, order, respond=form, status=400)


@page_view
@require_POST
def order_review(request: HttpRequest, number: str) -> HttpResponseBase:
    actor = actor_from(request)
    require_permission(actor, Perm.SUPERVISION_RESPOND)
    order = selectors.order_get(actor=actor, number=number)
    form = ReviewForm(request.POST)
    if form.is_valid():
        step = Step.CLOSE if form.cleaned_data["decision"] == "close" else Step.RETURN
        try:
            order_step(actor=actor, order=order, step=step, note=form.cleaned_data["note"])
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            done = (
                _("The order was closed.")
                if step == Step.CLOSE
                else _("The response was sent back.")
            )
            messages.success(request, done)
            return redirect("assessment:order", number=order.number)
    return _order_page(request, order, review=form, status=400)


@page_view
@require_POST
def order_withdraw(request: HttpRequest, number: str) -> HttpResponseBase:
    actor = actor_from(request)
    require_permission(actor, Perm.SUPERVISION_RESPOND)
    order = selectors.order_get(actor=actor, number=number)
    order_step(actor=actor, order=order, step=Step.WITHDRAW)
    messages.success(request, _("The order was withdrawn."))
    return redirect("assessment:order", number=order.number)


# Package responsibility


@page_view
@require_safe
def my_package(request: HttpRequest) -> HttpResponse:
    """Everything I answer for, in one place, with where each stands now."""
    actor = actor_from(request)
    require_permission(actor, Perm.ASSESSMENT_VIEW)
    items = selectors.package_overview(actor=actor)
    names = region_names(actor=actor, region_codes={item.region_code for item in items})
    return render(
        request,
        "assessment/my_package.html",
        {"items": [(item, names.get(item.region_code, "")) for item in items]},
    )


def _places(request: HttpRequest) -> list[tuple[str, str]]:
    regions = region_list(actor=actor_from(request)).filter(level__in=["town", "village", "grid"])
    return [
        (r.region_code, f"{r.name} · {r.parent.name}" if r.parent else r.name)
        for r in regions.select_related("parent")[:MAX_PLACES]
    ]


def _packages_page(request: HttpRequest, form: PackageForm, status: int = 200) -> HttpResponse:
    actor = actor_from(request)
    rows = list(selectors.package_list(actor=actor)[:MAX_ROWS])
    names = region_names(actor=actor, region_codes={row.region_code for row in rows})
    context = {"form": form, "rows": [(row, names.get(row.region_code, "")) for row in rows]}
    return render(request, "assessment/packages.html", context, status=status)


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def packages(request: HttpRequest) -> HttpResponseBase:
    """Who answers for what in my jurisdiction; name an official for a place, case or risk."""
    actor = actor_from(request)
    require_permission(actor, Perm.PACKAGE_ASSIGN)
    if request.method != "POST":
        return _packages_page(request, PackageForm(places=_places(request)))
    form = PackageForm(request.POST, places=_places(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = package_assign(
                actor=actor,
                data=PackageInput(
                    official=data["official"],
                    kind=data["kind"],
                    region_code=data["region_code"],
                    case_number=data["case_number"],
                    risk_id=data["risk_id"],
                    note=data["note"],
                ),
            )
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(
                request,
                _("%(name)s now answers for %(label)s.")
                % {"name": row.official.display_name or row.official.username, "label": row.label},
            )
            return redirect("assessment:packages")
    return _packages_page(request, form, status=400)


@page_view
@require_POST
def package_end_view(request: HttpRequest, package_id: int) -> HttpResponseBase:
    actor = actor_from(request)
    row = selectors.package_get(actor=actor, package_id=package_id)
    package_end(actor=actor, package=row)
    messages.success(request, _("The responsibility for %(label)s ended.") % {"label": row.label})
    return redirect("assessment:packages")
