"""The forms of the training pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.teams.models import TeamKind
from gridgov.trainings.rules import STATUS_LABELS
from gridgov.trainings.services import AttendanceEntry

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMATS[0]),
    )


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class _Places:
    def _set_places(self, name: str, places: list[tuple[str, str]], empty: Any = None) -> None:
        field = self.fields[name]  # type: ignore[attr-defined]
        assert isinstance(field, forms.ChoiceField)
        field.choices = ([("", empty)] if empty is not None else []) + places


class CourseQueryForm(_Places, forms.Form):
    region = forms.ChoiceField(label=_("Place"), required=False)
    kind = forms.ChoiceField(
        label=_("Trains"), required=False, choices=[("", _("Every kind")), *TeamKind.choices]
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_places("region", places, _("All my places"))


class CourseForm(_Places, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Trains"), choices=TeamKind.choices)
    region_code = forms.ChoiceField(label=_("Run by"))
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=200)
    validity_months = forms.IntegerField(
        label=_("Certificate valid for (months)"), min_value=1, max_value=120, initial=36
    )
    pass_mark = forms.IntegerField(label=_("Pass mark"), min_value=0, max_value=100, initial=60)
    description = forms.CharField(
        label=pgettext_lazy("training", "Description"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_places("region_code", places)


class SessionForm(_Places, forms.Form):
    region_code = forms.ChoiceField(label=_("Held at"))
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    address = forms.CharField(label=_("Where"), max_length=200, required=False)
    trainer = forms.CharField(label=_("Trainer"), max_length=64)
    capacity = forms.IntegerField(
        label=pgettext_lazy("training", "Places"), min_value=1, max_value=1000
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_places("region_code", places)


class PeriodForm(_Places, forms.Form):
    region = forms.ChoiceField(label=_("Place"), required=False)
    # "from" is a Python keyword; the field is added under that name below.
    to = _date_field(_("To"))

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"region": self.fields["region"], "from": _date_field(_("From"))} | {
            name: field for name, field in self.fields.items() if name != "region"
        }
        self._set_places("region", places, _("All my places"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", _("The period's end must not come before its start."))
        return cleaned


_YES_NO = [("", pgettext_lazy("training", "Either")), ("true", _("Yes")), ("false", _("No"))]


class AttendanceQueryForm(PeriodForm):
    kind = forms.ChoiceField(
        label=_("Trains"), required=False, choices=[("", _("Every kind")), *TeamKind.choices]
    )
    attended = forms.ChoiceField(
        label=pgettext_lazy("training", "Attended"), required=False, choices=_YES_NO
    )
    passed = forms.ChoiceField(
        label=pgettext_lazy("training", "Passed"), required=False, choices=_YES_NO
    )
    user = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    session = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class CertificateQueryForm(_Places, forms.Form):
    region = forms.ChoiceField(label=_("Place"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))] + [(s.value, label) for s, label in STATUS_LABELS.items()],
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_places("region", places, _("All my places"))


def yes_no(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


def attendance_entries(data: Any) -> tuple[list[AttendanceEntry], list[str]]:
    """The roster's ticks from the session page: for each listed member (`member`), whether
    they attended and passed and their score (blank: not marked). Problems as messages."""
    entries: list[AttendanceEntry] = []
    problems: list[str] = []
    for raw in data.getlist("member"):
        if not str(raw).isdigit():
            problems.append(str(_("The roster sent is not this page's; reload it.")))
            continue
        member = int(raw)
        score_raw = str(data.get(f"score_{member}", "")).strip()
        score: int | None = None
        if score_raw:
            if not score_raw.isdigit() or int(score_raw) > 100:
                problems.append(str(_("A score lies between 0 and 100.")))
                continue
            score = int(score_raw)
        entries.append(
            AttendanceEntry(
                member_id=member,
                attended=data.get(f"attended_{member}") == "on",
                passed=data.get(f"passed_{member}") == "on",
                score=score,
            )
        )
    if not entries and not problems:
        problems.append(str(_("Nobody is on the roster to record.")))
    return entries, problems
