"""Forms of the residents' public pages: parse and check input in the reader's language; the case
services decide and write (and check again)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gridgov.cases import challenge
from gridgov.cases.models import CASE_NUMBER, Category, Channel
from gridgov.cases.services import CaseInput
from gridgov.cases.services.intake import MAX_PHOTOS, check_photos
from gridgov.cases.tracking import is_phone_tail, normalize_code
from gridgov.core.codes import is_within
from gridgov.core.errors import ValidationFailed
from gridgov.regions.locator import PointOutsideGrids, locate_point

MAX_DESCRIPTION = 2000
MAX_COMMENT = 1000


def category_label(category: Category) -> str:
    english = (get_language() or "").lower().startswith("en")
    return category.name_en if english and category.name_en else category.name


@dataclass(frozen=True)
class Place:
    """A town or village a resident may choose when there is no pin on the map."""

    code: str
    name: str
    level: str
    town_code: str


def category_choices(categories: Iterable[Category]) -> tuple[list[Any], list[Any]]:
    """(groups, leaves): the first level, and the second grouped under it (a first-level category
    without children is a leaf itself)."""
    rows = list(categories)
    children: dict[int, list[Category]] = {}
    for category in rows:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    groups: list[Any] = [("", _("All kinds"))]
    leaves: list[Any] = [("", _("Choose…"))]
    for category in rows:
        if category.parent_id is not None:
            continue
        groups.append((category.code, category_label(category)))
        kids = children.get(category.pk, [])
        if kids:
            leaves.append(
                (category_label(category), [(kid.code, category_label(kid)) for kid in kids])
            )
        else:
            leaves.append((category.code, category_label(category)))
    return groups, leaves


def place_choices(places: Sequence[Place]) -> list[Any]:
    """Villages grouped under their town, each town first as "village not known"."""
    choices: list[Any] = [("", _("Choose…"))]
    for town in (place for place in places if place.level == "town"):
        options = [(town.code, _("%(town)s (village not known)") % {"town": town.name})]
        options += [
            (place.code, place.name)
            for place in places
            if place.level == "village" and place.town_code == town.code
        ]
        choices.append((town.name, options))
    return choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


PIN_OUTSIDE = _(
    "The pin is outside the county's grids. Move it, or remove it and give an address instead."
)
_CHALLENGE_MESSAGES = {
    challenge.Failure.MISSING: _("Answer the question."),
    challenge.Failure.INVALID: _("The question could not be checked. Answer the new one."),
    challenge.Failure.EXPIRED: _("The question has expired. Answer the new one."),
    challenge.Failure.TOO_FAST: _("That was very fast. Check your report and send it again."),
    challenge.Failure.WRONG: _("That is not the answer. Try the new question."),
    challenge.Failure.USED: _("This form has already been sent. Answer the new question."),
}
# Failures after which the question shown must be a new one (the old one is burnt or unreadable).
_RENEW = {
    challenge.Failure.INVALID,
    challenge.Failure.EXPIRED,
    challenge.Failure.WRONG,
    challenge.Failure.USED,
}


class ReportForm(forms.Form):
    """A resident's report: what, where (a pin, or an address in a chosen town or village),
    photos, an optional contact, and the challenge."""

    category_group = forms.ChoiceField(label=_("Kind of problem"), required=False)
    category = forms.ChoiceField(label=_("Category"))
    description = forms.CharField(
        label=_("What is the problem?"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    region = forms.ChoiceField(label=_("Town or village"), required=False)
    address = forms.CharField(
        label=_("Address or landmark"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=format_lazy(
            _("Up to {count} JPEG, PNG or WebP photos, 5 MB each."), count=MAX_PHOTOS
        ),
    )
    reporter_name = forms.CharField(
        label=_("Your name"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_phone = forms.CharField(
        label=_("Your phone number"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    publication_consent = forms.BooleanField(
        label=_(
            "My report may be published without my name or contact, its description with "
            "personal details removed and its place shown only to the grid."
        ),
        required=False,
        initial=False,
    )
    challenge_token = forms.CharField(required=False, widget=forms.HiddenInput)
    challenge_answer = forms.CharField(
        label=_("Answer"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # The honeypot: hidden from people and screen readers (see public.css), filled by bots.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args: Any,
        categories: Iterable[Category],
        places: Sequence[Place],
        county_code: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.county_code = county_code
        groups, leaves = category_choices(categories)
        for name, choices in (
            ("category_group", groups),
            ("category", leaves),
            ("region", place_choices(places)),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        self.challenge_failure: challenge.Failure | None = None
        self.challenge_nonce: str | None = None
        self.challenge: challenge.Challenge = self._current_challenge()

    def _current_challenge(self) -> challenge.Challenge:
        if self.is_bound:
            current = challenge.challenge_of(str(self.data.get("challenge_token", "")))
            if current is not None:
                return current
        issued = challenge.issue()
        if not self.is_bound:
            self.initial["challenge_token"] = issued.token
        return issued

    def clean_reporter_phone(self) -> str:
        phone = str(self.cleaned_data.get("reporter_phone", "")).strip()
        if not phone:
            return ""
        try:
            parsed = phonenumbers.parse(phone, "CN")
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            raise forms.ValidationError(_("This is not a valid phone number."), code="invalid")
        return phone

    def clean_photos(self) -> list[UploadedFile]:
        uploads: list[UploadedFile] = self.cleaned_data.get("photos") or []
        if len(uploads) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("At most %(count)s photos.") % {"count": MAX_PHOTOS}, code="too_many"
            )
        accepted, _problems = check_photos(uploads)
        kept = {id(upload) for upload, _type in accepted}
        refused = [upload.name for upload in uploads if id(upload) not in kept]
        if refused:
            raise forms.ValidationError(
                [
                    _("%(name)s: only JPEG, PNG or WebP photos up to 5 MB.") % {"name": name}
                    for name in refused
                ]
            )
        return uploads

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is None:
            return None
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            self.add_error(None, _("The map pin is incomplete. Put it on the map again."))
        elif latitude is None and "latitude" not in self.errors:
            if not cleaned.get("region"):
                self.add_error(
                    "region", _("Put a pin on the map, or choose the town or village here.")
                )
            if not str(cleaned.get("address", "")).strip():
                self.add_error("address", _("Give the address when there is no pin on the map."))
        elif (
            latitude is not None
            and longitude is not None
            and not self._in_county(longitude, latitude)
        ):
            self.add_error(None, PIN_OUTSIDE)
        self._check_challenge(cleaned)
        return cleaned

    def _in_county(self, lng: float, lat: float) -> bool:
        """Whether the pin lies in a grid of the county these pages serve."""
        try:
            region_code = locate_point(lng=lng, lat=lat).region_code
        except PointOutsideGrids:
            return False
        return is_within(region_code, self.county_code)

    def _check_challenge(self, cleaned: dict[str, Any]) -> None:
        if cleaned.get("website"):
            self.challenge_failure = challenge.Failure.HONEYPOT
            self.add_error(None, _("The report could not be sent. Please try again."))
            return
        try:
            self.challenge_nonce = challenge.check(
                str(cleaned.get("challenge_token") or ""),
                str(cleaned.get("challenge_answer") or ""),
            )
        except challenge.ChallengeFailed as failed:
            self.refuse_challenge(failed.failure)

    def refuse_challenge(self, failure: challenge.Failure) -> None:
        """Show why the challenge failed, and a new question when the old one cannot be used."""
        self.challenge_failure = failure
        self.challenge_nonce = None
        self.add_error("challenge_answer", _CHALLENGE_MESSAGES[failure])
        if (
            failure in _RENEW
            or challenge.challenge_of(str(self.data.get("challenge_token"))) is None
        ):
            self.challenge = challenge.issue()
            data = QueryDict(mutable=True)
            data.update(self.data)
            data["challenge_token"] = self.challenge.token
            data["challenge_answer"] = ""
            self.data = data

    def case_input(self) -> CaseInput:
        data = self.cleaned_data
        has_point = data.get("latitude") is not None
        return CaseInput(
            category_code=data["category"],
            description=data["description"],
            channel=Channel.RESIDENT_WEB,
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            # With a pin the point decides the place; the address still helps the handler.
            region_code="" if has_point else data.get("region", ""),
            address=data.get("address", ""),
            reporter_name=data.get("reporter_name", ""),
            reporter_phone=data.get("reporter_phone", ""),
            photos=list(data.get("photos") or []),
            publication_consent=bool(data.get("publication_consent")),
        )

    def apply_service_errors(self, error: ValidationFailed) -> None:
        """Show what the intake service refused, in the reader's language."""
        has_point = self.cleaned_data.get("latitude") is not None
        for field in error.errors:
            if field == "location" and has_point:
                self.add_error(None, PIN_OUTSIDE)
            elif field in {"location", "region_code"}:
                self.add_error("region", _("Choose a town or village from the list."))
            elif field == "address":
                self.add_error("address", _("Give the address when there is no pin on the map."))
            elif field == "category":
                self.add_error("category", _("Choose a category from the list."))
            elif field == "description":
                self.add_error("description", _("Describe the problem."))
            elif field == "reporter_phone":
                self.add_error("reporter_phone", _("This is not a valid phone number."))
            elif field == "photos":
                self.add_error("photos", _("Only JPEG, PNG or WebP photos up to 5 MB."))
            else:
                self.add_error(None, _("The report could not be saved. Check it and try again."))


class TrackByCodeForm(forms.Form):
    """The case number with the short code (or the last four digits of the phone given)."""

    number = forms.CharField(
        label=_("Case number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "numeric",
                "placeholder": "610324-20261204-000001",
            }
        ),
    )
    code = forms.CharField(
        label=_("Tracking code, or the last 4 digits of your phone"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_number(self) -> str:
        number = str(self.cleaned_data["number"]).strip()
        if not CASE_NUMBER.fullmatch(number):
            raise forms.ValidationError(_("A case number looks like 610324-20261204-000001."))
        return number

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if normalize_code(code) is None and not is_phone_tail(code):
            raise forms.ValidationError(
                _("Give the 6-character tracking code, or the last 4 digits of your phone.")
            )
        return code


class TrackForm(forms.Form):
    token = forms.CharField(
        label=_("Tracking number"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def clean_token(self) -> str:
        # Someone may paste the whole status link: keep its last part.
        token = str(self.cleaned_data["token"]).strip().rstrip("/")
        return token.rsplit("/", 1)[-1]


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the handling?"),
        coerce=int,
        choices=[(value, str(value)) for value in range(1, 6)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=MAX_COMMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the problem not solved?"),
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
