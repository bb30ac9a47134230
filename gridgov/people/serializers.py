"""Input and output shapes of the register's API. ID numbers and phones leave masked: the model
hands out EncryptedValues, which print as their mask, and nothing here calls `reveal()`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gridgov.people.models import Building, Household, Organisation, Resident
from gridgov.people.services import REASON_MAX_LENGTH, REVEALABLE


@extend_schema_field(OpenApiTypes.STR)
class MaskedField(serializers.Field):
    """Personal data, shown masked (`str()` of an EncryptedValue is its mask)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(value)


class PageQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    region = serializers.RegexField(r"^[0-9]{6,18}$", required=False, default="")
    cursor = serializers.CharField(required=False, max_length=500)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)


class ResidentQuery(PageQuery):
    household = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    focus = serializers.CharField(required=False, default="", max_length=40)


class OrganisationQuery(PageQuery):
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, required=False, default="")


class ResidentItemOutput(serializers.ModelSerializer):
    id_number = MaskedField()
    phone = MaskedField()
    household = serializers.SerializerMethodField()
    focus_groups = serializers.SerializerMethodField()

    class Meta:
        model = Resident
        fields = [
            "id",
            "name",
            "id_number",
            "gender",
            "birth_date",
            "phone",
            "ethnicity",
            "relation",
            "residence",
            "occupation",
            "address",
            "region_code",
            "household",
            "focus_groups",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_household(self, resident: Resident) -> dict[str, Any]:
        return {"id": resident.household_id, "number": resident.household.number}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_focus_groups(self, resident: Resident) -> list[str]:
        focus: dict[int, list[str]] = self.context.get("focus", {})
        return focus.get(resident.pk, [])


class ResidentPageOutput(serializers.Serializer):
    results = ResidentItemOutput(many=True)
    next = serializers.URLField(allow_null=True)


class RevealInput(serializers.Serializer):
    field = serializers.ChoiceField(choices=[(name, name) for name in REVEALABLE])
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class RevealOutput(serializers.Serializer):
    id = serializers.IntegerField()
    field = serializers.CharField()
    value = serializers.CharField()


class HouseholdOutput(serializers.ModelSerializer):
    size = serializers.IntegerField(read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "number",
            "address",
            "registration",
            "building_id",
            "region_code",
            "size",
        ]


class HouseholdMemberOutput(serializers.ModelSerializer):
    id_number = MaskedField()
    phone = MaskedField()

    class Meta:
        model = Resident
        fields = ["id", "name", "id_number", "gender", "birth_date", "phone", "relation"]


class HouseholdDetailOutput(HouseholdOutput):
    members = serializers.SerializerMethodField()

    class Meta(HouseholdOutput.Meta):
        fields = [*HouseholdOutput.Meta.fields, "members"]

    @extend_schema_field(HouseholdMemberOutput(many=True))
    def get_members(self, household: Household) -> list[dict[str, Any]]:
        members = self.context.get("members", [])
        return list(HouseholdMemberOutput(members, many=True).data)


class BuildingOutput(serializers.ModelSerializer):
    household_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Building
        fields = [
            "id",
            "name",
            "address",
            "kind",
            "use",
            "floors",
            "region_code",
            "household_count",
        ]


class OrganisationOutput(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "credit_code", "address", "region_code"]


def page_output(item: type[serializers.Serializer], name: str) -> serializers.Serializer:
    from drf_spectacular.utils import inline_serializer

    return inline_serializer(
        name=name,
        fields={"results": item(many=True), "next": serializers.URLField(allow_null=True)},
    )


class ImportInput(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)


class ImportProblemOutput(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    field = serializers.CharField()
    code = serializers.CharField()
    detail = serializers.CharField()


class ImportReportOutput(serializers.Serializer):
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    bad_rows = serializers.IntegerField()
    households_created = serializers.IntegerField()
    residents_created = serializers.IntegerField()
    written = serializers.BooleanField()
    problems = ImportProblemOutput(many=True)


class PatchInput(serializers.Serializer):
    """A PATCH body: only the fields it names change; a field that is not editable here (gender
    and birth date follow the ID number) is refused rather than ignored."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        extra = sorted(set(self.initial_data) - set(self.fields))
        if extra:
            raise serializers.ValidationError({name: [NOT_EDITABLE_TEXT] for name in extra})
        if not attrs:
            raise serializers.ValidationError(NOTHING_TO_CHANGE_TEXT)
        return attrs


NOT_EDITABLE_TEXT = _("This field cannot be edited (gender and birth date follow the ID number).")
NOTHING_TO_CHANGE_TEXT = _("Name at least one field to change.")


class ResidentPatchInput(PatchInput):
    name = serializers.CharField(max_length=50, required=False)
    id_number = serializers.CharField(max_length=30, required=False)
    # null removes the stored phone (leaving it out keeps it).
    phone = serializers.CharField(max_length=30, required=False, allow_null=True)
    ethnicity = serializers.CharField(max_length=20, required=False)
    relation = serializers.ChoiceField(choices=Resident.Relation.choices, required=False)
    residence = serializers.ChoiceField(choices=Resident.Residence.choices, required=False)
    occupation = serializers.CharField(max_length=100, required=False, allow_blank=True)


class HouseholdPatchInput(PatchInput):
    number = serializers.CharField(max_length=32, required=False)
    address = serializers.CharField(max_length=200, required=False)
    registration = serializers.ChoiceField(choices=Household.Registration.choices, required=False)


class BuildingPatchInput(PatchInput):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=Building.Kind.choices, required=False)
    use = serializers.ChoiceField(choices=Building.Use.choices, required=False)
    floors = serializers.IntegerField(min_value=1, max_value=200, required=False)


class OrganisationPatchInput(PatchInput):
    name = serializers.CharField(max_length=120, required=False)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, required=False)
    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class UnmaskedExportInput(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    region = serializers.RegexField(r"^[0-9]{6,18}$", required=False, default="")
    household = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    focus = serializers.CharField(required=False, default="", max_length=40)
