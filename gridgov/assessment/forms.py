"""The forms of the assessment pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gridgov.assessment import errors
from gridgov.assessment.models import OrderTarget, PackageKind, SubjectKind

# The years a scored month may lie in (a typo, not a month of records, outside).
FIRST_YEAR = 2000
LAST_YEAR = 2100


class MonthField(forms.DateField):
    """A month as YYYY-MM (the browser's month input), the first day of it."""

    # Rendered as YYYY-MM (a hidden month field too, as the recompute buttons carry it); a whole
    # day is taken as its month.
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        if day is None:
            return None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(errors.BAD_MONTH.bind().message)
        return day.replace(day=1)


class ScoreQueryForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    region = forms.ChoiceField(label=_("Place"), required=False)
    kind = forms.ChoiceField(
        label=_("Who"),
        required=False,
        choices=[("", _("Everyone scored")), *SubjectKind.choices],
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", _("All my places")), *places]


class RecomputeForm(forms.Form):
    month = MonthField(label=_("Month"))
    next = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)


class VisitQueryForm(forms.Form):
    month = MonthField(label=_("Month"))
    region = forms.CharField(max_length=18)
    by = forms.IntegerField(required=False, min_value=1)


class SchemeForm(forms.Form):
    """One weight and target field per indicator, named after its code."""

    def __init__(self, *args: Any, indicators: list[Any], labels: dict[str, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            label = labels.get(indicator.code, indicator.code)
            self.fields[f"weight_{indicator.code}"] = forms.IntegerField(
                label=label, min_value=0, max_value=100, initial=indicator.weight
            )
            self.fields[f"target_{indicator.code}"] = forms.IntegerField(
                label=_("Monthly target per grid"),
                min_value=0,
                max_value=1000,
                initial=indicator.target,
                required=False,
            )


class OrderForm(forms.Form):
    target = forms.ChoiceField(label=_("About"), choices=OrderTarget.choices)
    case_number = forms.CharField(label=_("Case number"), max_length=32, required=False)
    unit = forms.ChoiceField(label=_("Village or town"), required=False)
    worker = forms.CharField(label=_("Grid worker (username)"), max_length=150, required=False)
    request = forms.CharField(
        label=_("What must be done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline_on = forms.DateField(
        label=_("Answer by"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = [("", "—"), *units]


class RespondForm(forms.Form):
    response = forms.CharField(
        label=_("Your response"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("close", _("Accept and close")), ("return", _("Send back: not enough"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PackageForm(forms.Form):
    official = forms.CharField(label=_("Official (username)"), max_length=150)
    kind = forms.ChoiceField(label=_("Answers for"), choices=PackageKind.choices)
    region_code = forms.ChoiceField(label=_("Place"), required=False)
    case_number = forms.CharField(label=_("Case number"), max_length=32, required=False)
    risk_id = forms.IntegerField(label=_("Risk (its number)"), min_value=1, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region_code"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", "—"), *places]
