"""The forms of the activities' pages: the desk's filters, logging an activity, a patrol's
check-in, a problem found on it and its end."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.activities.models import ActivityKind
from gridgov.activities.services import (
    MAX_AUDIENCE,
    NOTE_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    TOPIC_MAX_LENGTH,
)
from gridgov.cases.forms import CategoryField, PhotosField

# What date and time inputs accept (not the language's own format).
LOCAL_INPUT = "%Y-%m-%dT%H:%M"
LOGGED_KINDS = [(k, label) for k, label in ActivityKind.choices if k != ActivityKind.PATROL]


class ActivityQueryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *ActivityKind.choices], required=False
    )
    region = forms.ChoiceField(label=_("Place"), required=False)
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    # Whose records (an account's id) and only what is finished: the link from a score to the
    # patrols it counted.
    by = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    finished = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", _("All my places")), *places]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The period ends before it starts."))
        return data


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LOGGED_KINDS)
    topic = forms.CharField(label=_("Topic"), max_length=TOPIC_MAX_LENGTH, required=False)
    started_at = forms.DateTimeField(
        label=_("Start time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
    )
    ended_at = forms.DateTimeField(
        label=_("End time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
    )
    # Two labels that both read 地点 in other apps' catalogues: in this form, the area of the
    # jurisdiction (所属区域) and the spot within it (具体地点).
    region_code = forms.ChoiceField(label=pgettext_lazy("activity", "Area"), required=False)
    place = forms.CharField(
        label=pgettext_lazy("activity", "Place"),
        max_length=PLACE_MAX_LENGTH,
        help_text=_("The square, school, household or road where it took place."),
    )
    audience = forms.IntegerField(
        label=_("Audience"), min_value=0, max_value=MAX_AUDIENCE, initial=0, required=False
    )
    outcome = forms.CharField(
        label=pgettext_lazy("activity", "Outcome"),
        max_length=OUTCOME_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    mediation_file_number = forms.CharField(
        label=_("Mediation file"),
        max_length=32,
        required=False,
        help_text=_("Dispute mediation: the number of the mediation file."),
    )
    school = forms.CharField(
        label=_("School"), max_length=120, required=False, help_text=_("Law education in a school.")
    )
    lecturer = forms.CharField(
        label=_("Lecturer"),
        max_length=64,
        required=False,
        help_text=_("For a school: its vice-principal for the rule of law."),
    )
    team_members = forms.TypedMultipleChoiceField(
        label=_("Team members who took part"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Besides you: tick those of the teams who were there."),
    )
    photos = PhotosField(label=_("Photos"))

    def __init__(
        self,
        *args: Any,
        places: list[tuple[str, str]],
        members: list[tuple[str, list[tuple[int, str]]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region_code"]
        assert isinstance(region, forms.ChoiceField)
        if len(places) <= 1:
            region.widget = forms.HiddenInput()
        region.choices = places
        # Grouped by place: a town's official picks among its villages' teams.
        team_members = self.fields["team_members"]
        assert isinstance(team_members, forms.TypedMultipleChoiceField)
        team_members.choices = members or []
        if not members:
            team_members.widget = forms.MultipleHiddenInput()


class CheckInForm(forms.Form):
    latitude = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90, widget=forms.HiddenInput()
    )
    longitude = forms.FloatField(
        label=_("Longitude"), min_value=-180, max_value=180, widget=forms.HiddenInput()
    )
    accuracy_m = forms.IntegerField(
        min_value=0, max_value=100_000, required=False, widget=forms.HiddenInput()
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False)


class ProblemForm(forms.Form):
    category = CategoryField(label=_("Kind of problem"))
    description = forms.CharField(
        label=_("What is wrong"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    latitude = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90, widget=forms.HiddenInput()
    )
    longitude = forms.FloatField(
        label=_("Longitude"), min_value=-180, max_value=180, widget=forms.HiddenInput()
    )
    photos = PhotosField(label=_("Photos"))

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", "—"), *categories]


class FinishForm(forms.Form):
    outcome = forms.CharField(
        label=_("What came of it"),
        max_length=OUTCOME_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photos = PhotosField(label=_("Photos"))
