"""The forms of the mediation pages (the desk's registration and the work on a file)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.cases.models import Channel
from gridgov.mediation.models import (
    CentreLevel,
    Judicial,
    Outcome,
    PartyKind,
    PeopleBand,
    RiskStatus,
    Track,
)

_PARTY_FIELDS = ("kind", "name", "id_number", "phone", "credit_code", "agent_name", "agent_phone")


class RegisterForm(forms.Form):
    centre = forms.TypedChoiceField(label=_("Centre"), coerce=int)
    category = forms.ChoiceField(label=_("Kind of dispute"))
    channel = forms.ChoiceField(
        label=_("How it came"),
        choices=[
            (Channel.WALK_IN, Channel.WALK_IN.label),
            (Channel.HOTLINE, Channel.HOTLINE.label),
        ],
    )
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    facts = forms.CharField(
        label=_("Facts and matters in dispute"), max_length=5000, widget=forms.Textarea
    )
    # Chosen by name among the places of the actor's jurisdiction; empty is the centre's own.
    region_code = forms.ChoiceField(label=_("Where it arose"), required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    amount_involved = forms.DecimalField(
        label=_("Amount involved (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    people_band = forms.ChoiceField(label=_("People involved"), choices=PeopleBand.choices)
    # By name among the mediators the desk may call on; none chosen: whoever registers it.
    mediators = forms.MultipleChoiceField(
        label=_("Mediators"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: you mediate it yourself."),
    )

    def __init__(
        self,
        *args: Any,
        centres: list[tuple[int, str]],
        categories: list[tuple[str, str]],
        places: list[tuple[str, str]] | None = None,
        mediators: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        mediator_field = self.fields["mediators"]
        assert isinstance(mediator_field, forms.MultipleChoiceField)
        mediator_field.choices = mediators or []
        place_field = self.fields["region_code"]
        assert isinstance(place_field, forms.ChoiceField)
        place_field.choices = [("", _("The centre's own town or village")), *(places or [])]
        centre_field = self.fields["centre"]
        category_field = self.fields["category"]
        assert isinstance(centre_field, forms.ChoiceField)
        assert isinstance(category_field, forms.ChoiceField)
        centre_field.choices = centres
        category_field.choices = categories
        for side, title in (("applicant", _("Applicant")), ("respondent", _("Respondent"))):
            self.fields[f"{side}_kind"] = forms.ChoiceField(
                label=_("%(side)s: kind") % {"side": title}, choices=PartyKind.choices
            )
            self.fields[f"{side}_name"] = forms.CharField(
                label=_("%(side)s: name") % {"side": title}, max_length=120
            )
            self.fields[f"{side}_id_number"] = forms.CharField(
                label=_("%(side)s: ID number") % {"side": title}, max_length=18, required=False
            )
            self.fields[f"{side}_phone"] = forms.CharField(
                label=_("%(side)s: phone") % {"side": title}, max_length=32, required=False
            )
            self.fields[f"{side}_credit_code"] = forms.CharField(
                label=_("%(side)s: unified social credit code") % {"side": title},
                max_length=18,
                required=False,
            )
            self.fields[f"{side}_agent_name"] = forms.CharField(
                label=_("%(side)s: agent") % {"side": title}, max_length=64, required=False
            )
            self.fields[f"{side}_agent_phone"] = forms.CharField(
                label=_("%(side)s: agent's phone") % {"side": title}, max_length=32, required=False
            )

    def party(self, side: str) -> dict[str, str]:
        return {name: self.cleaned_data[f"{side}_{name}"] for name in _PARTY_FIELDS}


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online = forms.BooleanField(label=pgettext_lazy("mediation", "Online"), required=False)
    participants = forms.CharField(
        label=_("Participants"), max_length=2000, required=False, widget=forms.Textarea
    )


class RecordForm(forms.Form):
    record = forms.CharField(label=_("Record"), max_length=10000, widget=forms.Textarea)
    participants = forms.CharField(
        label=_("Participants"), max_length=2000, required=False, widget=forms.Textarea
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    responsibilities = forms.CharField(
        label=_("Responsibilities"), max_length=10000, required=False, widget=forms.Textarea
    )
    agreed_terms = forms.CharField(
        label=_("Terms agreed"), max_length=10000, required=False, widget=forms.Textarea
    )
    performance_method = forms.CharField(
        label=_("How it is performed"), max_length=200, required=False
    )
    performance_place = forms.CharField(
        label=_("Where it is performed"), max_length=200, required=False
    )
    performance_deadline = forms.DateField(
        label=_("Performed by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=10000, required=False, widget=forms.Textarea)


class FollowUpForm(forms.Form):
    performed = forms.TypedChoiceField(
        label=_("Agreement performed"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not yet known"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )
    note = forms.CharField(label=_("Follow-up record"), max_length=10000, widget=forms.Textarea)


class JudicialForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Judicial confirmation"), choices=[c for c in Judicial.choices if c[0]]
    )
    court = forms.CharField(label=_("Court"), max_length=120, required=False)


class ReferForm(forms.Form):
    to_track = forms.ChoiceField(label=_("Refer to"), choices=Track.choices)
    unit = forms.CharField(label=_("Receiving unit"), max_length=120)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)


class FileQueryForm(forms.Form):
    """The files page's filters: the same names as the API's, so a figure's link opens the list
    it counts."""

    region = forms.RegexField(regex=r"^\d{6,18}$", required=False)
    outcome = forms.ChoiceField(
        choices=[("", ""), *Outcome.choices, ("agreed", _("Agreement or partial agreement"))],
        required=False,
    )
    centre_level = forms.ChoiceField(choices=[("", ""), *CentreLevel.choices], required=False)
    open = forms.BooleanField(required=False)
    registered_from = forms.DateTimeField(required=False)
    registered_before = forms.DateTimeField(required=False)
    concluded_from = forms.DateTimeField(required=False)
    concluded_before = forms.DateTimeField(required=False)
    referred_from = forms.DateTimeField(required=False)
    referred_before = forms.DateTimeField(required=False)


class RiskQueryForm(forms.Form):
    region = forms.RegexField(regex=r"^\d{6,18}$", required=False)
    all = forms.BooleanField(required=False)
    urgent = forms.BooleanField(required=False)
    found_from = forms.DateTimeField(required=False)
    found_before = forms.DateTimeField(required=False)
    resolved_from = forms.DateTimeField(required=False)
    resolved_before = forms.DateTimeField(required=False)


class PeriodForm(forms.Form):
    """The analysis page's question: which place, from which day to which day (both included)."""

    region = forms.ChoiceField(label=_("Place"))
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = places

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("start", _("The period starts after it ends."))
        for name in ("start", "end"):
            day = data.get(name)
            if day and not 1970 <= day.year <= 2200:
                self.add_error(name, _("Give a date between 1970 and 2200."))
        return data


TASK_ROWS = 3


class MeetingForm(forms.Form):
    """A joint meeting on a report: the place and period come from the report."""

    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(label=_("Attendees"), max_length=5000, widget=forms.Textarea)
    cases = forms.CharField(
        label=_("Cases discussed (case numbers, one a line)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risks = forms.MultipleChoiceField(
        label=_("Risks discussed"), required=False, widget=forms.CheckboxSelectMultiple
    )
    decisions = forms.CharField(label=_("Decisions"), max_length=5000, widget=forms.Textarea)

    def __init__(
        self,
        *args: Any,
        risks: list[tuple[str, str]],
        owners: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        risk_field = self.fields["risks"]
        assert isinstance(risk_field, forms.MultipleChoiceField)
        risk_field.choices = risks
        for row in range(1, TASK_ROWS + 1):
            self.fields[f"task_{row}"] = forms.CharField(
                label=format_lazy(_("Follow-up task {n}"), n=row), max_length=300, required=False
            )
            self.fields[f"task_{row}_owner"] = forms.ChoiceField(
                label=format_lazy(_("Owner of task {n}"), n=row),
                choices=[("", "—"), *owners],
                required=False,
            )
            self.fields[f"task_{row}_due"] = forms.DateField(
                label=format_lazy(_("Deadline of task {n}"), n=row),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def task_rows(self) -> list[tuple[str, str, Any]]:
        return [
            (
                self.cleaned_data[f"task_{row}"],
                self.cleaned_data[f"task_{row}_owner"],
                self.cleaned_data[f"task_{row}_due"],
            )
            for row in range(1, TASK_ROWS + 1)
        ]


class RiskFollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("What the follow-up found"), max_length=5000, widget=forms.Textarea
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Unchanged")), *RiskStatus.choices], required=False
    )
    next_follow_up_on = forms.DateField(
        label=_("Next follow-up"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
