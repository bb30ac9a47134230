"""The forms of the teams' pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gridgov.teams.models import TeamKind


class TeamQueryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *TeamKind.choices], required=False
    )
    region = forms.ChoiceField(label=_("Place"), required=False)

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", _("All my places")), *places]


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=64)
    region_code = forms.ChoiceField(label=_("Serves at"), required=False)
    username = forms.CharField(
        label=_("Account (username)"),
        max_length=150,
        required=False,
        help_text=_("If they have an account: their tasks and scores then count for the team."),
    )
    duty = forms.CharField(label=_("Duty"), max_length=64, required=False)
    joined_on = forms.DateField(
        label=_("Joined on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region_code"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", _("The team's own place")), *places]
