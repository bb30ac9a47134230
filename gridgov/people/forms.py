"""Forms of the register's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.people.models import Building, Household, Organisation, Project, Resident
from gridgov.people.services import REASON_MAX_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_(
            "The start of a name or its pinyin initials, the ID's last four characters, "
            "an address with its road, village or number, a household number."
        ),
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class RevealForm(forms.Form):
    field = forms.ChoiceField(
        label=_("What to see"),
        choices=[("id_number", _("ID number")), ("phone", _("phone"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check, write nothing"), required=False, initial=True)


class CardForm(forms.Form):
    community_head = forms.CharField(label=_("Community head"), max_length=50, required=False)
    community_head_phone = forms.CharField(
        label=_("Community head's work phone"), max_length=20, required=False
    )
    property_managers = forms.CharField(
        label=_("Property managers"), max_length=300, required=False
    )
    publish_grid_workers = forms.BooleanField(
        label=_("Show the grid workers' names and work phones on the card"), required=False
    )
    public_services = forms.CharField(
        label=_("Public services (one a line)"),
        required=False,
        widget=forms.Textarea,
        max_length=4000,
    )
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea, max_length=4000
    )


class ContactForm(forms.Form):
    grid = forms.ChoiceField(label=_("Grid"))
    name = forms.CharField(label=_("Grid worker"), max_length=50)
    work_phone = forms.CharField(label=_("Work phone"), max_length=20, required=False)
    published = forms.BooleanField(label=_("Publish on the card"), required=False)

    def __init__(self, *args: object, grids: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["grid"].choices = grids  # type: ignore[attr-defined]


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Partner unit"), max_length=120)
    instructor = forms.CharField(label=_("Instructor"), max_length=50, required=False)
    instructor_phone = forms.CharField(
        label=_("Instructor's work phone"), max_length=20, required=False
    )


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Project"), max_length=120)
    partner = forms.TypedChoiceField(
        label=_("Partner unit"), coerce=int, required=False, empty_value=None
    )
    instructor = forms.CharField(label=_("Instructor"), max_length=50, required=False)
    starts_on = forms.DateField(label=_("Starts on"), required=False)
    ends_on = forms.DateField(label=_("Ends on"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
    outcomes = forms.CharField(
        label=_("Outcomes"), required=False, widget=forms.Textarea, max_length=4000
    )

    def __init__(self, *args: object, partners: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["partner"].choices = [("", "—"), *partners]  # type: ignore[attr-defined]


class ResidentEditForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    # Never filled in with the stored value: a form must not carry the number in full.
    id_number = forms.CharField(
        label=_("New ID number"),
        max_length=30,
        required=False,
        help_text=_("Leave empty to keep it; gender and birth date follow the number."),
    )
    phone = forms.CharField(
        label=_("New phone"), max_length=30, required=False, help_text=_("Leave empty to keep it.")
    )
    remove_phone = forms.BooleanField(
        label=_("Remove the stored phone"),
        required=False,
        help_text=_("When the resident no longer has it, or it was someone else's."),
    )
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20)
    relation = forms.ChoiceField(label=_("Relation to the head"), choices=Resident.Relation.choices)
    residence = forms.ChoiceField(label=_("Residence status"), choices=Resident.Residence.choices)
    occupation = forms.CharField(label=_("Occupation"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        """The changes for the service: removing the phone is a phone of None."""
        cleaned = super().clean() or {}
        if cleaned.pop("remove_phone", False):
            if cleaned.get("phone"):
                self.add_error(
                    "remove_phone", _("Give a new phone or remove the stored one, not both.")
                )
            else:
                cleaned["phone"] = None
        return cleaned


class HouseholdEditForm(forms.Form):
    number = forms.CharField(label=_("Household number"), max_length=32)
    address = forms.CharField(label=_("Address"), max_length=200)
    registration = forms.ChoiceField(
        label=_("Registration"), choices=Household.Registration.choices
    )


class BuildingEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=Building.Kind.choices)
    use = forms.ChoiceField(label=_("Use"), choices=Building.Use.choices)
    floors = forms.IntegerField(label=_("Floors"), min_value=1, max_value=200)


class OrganisationEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Type"), choices=Organisation.Kind.choices)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=30, required=False
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class UnmaskedExportForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the unmasked export"), max_length=REASON_MAX_LENGTH
    )
