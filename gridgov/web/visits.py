"""A grid worker records a visit on their round, from a phone: to a household or a focus-group
member in it, and a problem found reported as a case in the same step; the visit goes in their
activity log as service management. It lives above the
register and cases because it writes to both, through their services, in one transaction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gridgov.accounts.actors import actor_from
from gridgov.activities.services import activity_log_visit
from gridgov.cases.models import Channel
from gridgov.cases.selectors import category_list
from gridgov.cases.services import CaseInput, case_report
from gridgov.core.access import Perm
from gridgov.core.clientaddress import client_address
from gridgov.core.errors import ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.people import selectors
from gridgov.people.models import Household, Resident
from gridgov.people.services import VISIT_TEXT_MAX_LENGTH, visit_record


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=gettext_lazy("Visited on"),
        # A date input takes ISO dates only: the localised format left it empty.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    resident = forms.TypedChoiceField(
        label=gettext_lazy("Whom"), coerce=int, required=False, empty_value=None
    )
    found = forms.CharField(
        label=gettext_lazy("What you found"),
        max_length=VISIT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    need = forms.CharField(
        label=gettext_lazy("Any need"),
        max_length=VISIT_TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    report_case = forms.BooleanField(
        label=gettext_lazy("Report a problem found as a case"), required=False
    )
    category = forms.ChoiceField(label=gettext_lazy("Kind of problem"), required=False)

    def __init__(
        self,
        *args: Any,
        members: list[tuple[int, str]],
        categories: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [("", _("The household")), *members]  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", "—"), *categories]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("report_case") and not data.get("category"):
            self.add_error("category", _("Say what kind of problem it is."))
        return data


def _form(request: HttpRequest, members: list[Resident]) -> VisitForm:
    categories = [(c.code, c.name) for c in category_list().filter(children=None)]
    choices = [(m.pk, m.name) for m in members]
    if request.method == "POST":
        return VisitForm(request.POST, members=choices, categories=categories)
    wanted = request.GET.get("resident", "")
    initial: dict[str, Any] = {"visited_on": timezone.localdate()}
    if wanted.isdigit() and int(wanted) in {m.pk for m in members}:
        initial["resident"] = int(wanted)
    return VisitForm(initial=initial, members=choices, categories=categories)


def _save(request: HttpRequest, actor: Any, household: Household, form: VisitForm) -> str:
    """Record the visit and, when asked, report its problem as a case: both or neither."""
    data = form.cleaned_data
    members = {m.pk: m for m in selectors.household_members(household=household)}
    case_number = ""
    with transaction.atomic():
        if data["report_case"]:
            case = case_report(
                actor=actor,
                data=CaseInput(
                    category_code=data["category"],
                    description=data["need"] or data["found"],
                    channel=Channel.GRID_PATROL,
                    region_code=household.region_code,
                    address=household.address,
                ),
                client_address=client_address(request),
            )
            case_number = case.number
        visit = visit_record(
            actor=actor,
            household=household,
            resident=members.get(data["resident"]) if data["resident"] else None,
            visited_on=data["visited_on"],
            found=data["found"],
            need=data["need"],
            case_number=case_number,
        )
        # The visit is the worker's service-management work too, in their activity log.
        if actor.jurisdiction_codes(Perm.ACTIVITIES_LOG):
            activity_log_visit(actor=actor, visit=visit)
    return case_number


@require_http_methods(["GET", "POST"])
@page_view
def household_visit(request: HttpRequest, household_id: int) -> HttpResponseBase:
    """The visit form of one household of the round; back to the round once it is recorded."""
    actor = actor_from(request)
    household = selectors.visit_household_get(actor=actor, household_id=household_id)
    members = selectors.household_members(household=household)
    form = _form(request, members)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                case_number = _save(request, actor, household, form)
            except ValidationFailed as error:
                add_problems(form, error)
            else:
                if case_number:
                    text = _("Visit recorded; case %(number)s reported.") % {"number": case_number}
                else:
                    text = _("Visit recorded.")
                messages.success(request, text)
                return redirect("people:round")
    context = {
        "household": household,
        "members": members,
        "form": form,
        "visits": selectors.household_visits(household=household),
    }
    return render(request, "web/visit.html", context, status=status)
