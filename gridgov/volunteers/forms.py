"""The forms of the volunteer pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gridgov.volunteers.models import WishState
from gridgov.volunteers.rules import MAX_MINUTES_PER_SIGN_UP

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMATS[0]),
    )


class _PlaceChoices:
    def _set_places(self, name: str, places: list[tuple[str, str]], empty: Any = None) -> None:
        field = self.fields[name]  # type: ignore[attr-defined]
        assert isinstance(field, forms.ChoiceField)
        field.choices = ([("", empty)] if empty is not None else []) + places


class EventQueryForm(_PlaceChoices, forms.Form):
    region = forms.ChoiceField(label=_("Place"), required=False)

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_places("region", places, _("All my places"))


class EventForm(_PlaceChoices, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    region_code = forms.ChoiceField(label=_("Place"))
    address = forms.CharField(label=_("Where"), max_length=200, required=False)
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    capacity = forms.IntegerField(label=_("Volunteers wanted"), min_value=1, max_value=1000)
    description = forms.CharField(
        label=_("What volunteers will do"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_places("region_code", places)


class ActForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("sign_up", "sign_up"),
            ("withdraw", "withdraw"),
            ("check_in", "check_in"),
            ("check_out", "check_out"),
        ]
    )
    member = forms.IntegerField(required=False, min_value=1)
    at = forms.DateTimeField(required=False, input_formats=DATETIME_FORMATS)


class SignUpForOtherForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Volunteer"), coerce=int)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = members


class CorrectForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    minutes = forms.IntegerField(
        label=_("Minutes served"), min_value=0, max_value=MAX_MINUTES_PER_SIGN_UP
    )
    note = forms.CharField(label=_("Why"), max_length=200)


class HoursQueryForm(_PlaceChoices, forms.Form):
    region = forms.ChoiceField(label=_("Place"), required=False)
    min_stars = forms.TypedChoiceField(
        label=_("Stars"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[
            (0, _("Everyone who served")),
            *((n, format_lazy("{} {}", "★" * n, _("and more"))) for n in range(1, 6)),
        ],
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_places("region", places, _("All my places"))


class WishQueryForm(_PlaceChoices, forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All micro-wishes")),
            ("waiting_on_me", _("Waiting on me")),
            ("mine", _("Taken up by me")),
        ],
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state")), *WishState.choices]
    )
    region = forms.ChoiceField(label=_("Place"), required=False)

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_places("region", places, _("All my places"))


class WishForm(_PlaceChoices, forms.Form):
    title = forms.CharField(label=_("The wish"), max_length=120)
    resident_name = forms.CharField(label=_("Resident's name"), max_length=64)
    resident_phone = forms.CharField(label=_("Resident's phone"), max_length=32, required=False)
    region_code = forms.ChoiceField(label=_("Where they live"))
    detail = forms.CharField(
        label=_("Detail"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_places("region_code", places)


class WishPhoneForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need the phone"),
        max_length=200,
        help_text=_("Recorded in the audit log with your name."),
    )


class WishStepForm(forms.Form):
    step = forms.ChoiceField(
        choices=[(s, s) for s in ("take", "release", "fulfil", "confirm", "reopen", "withdraw")]
    )
    note = forms.CharField(required=False, max_length=200)
    member = forms.IntegerField(required=False, min_value=1)
