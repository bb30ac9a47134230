"""Input and output shapes of the mediation API. Parties leave only masked."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gridgov.cases.models import Channel
from gridgov.core.timebounds import is_plausible
from gridgov.mediation.models import (
    Centre,
    CentreLevel,
    JointMeeting,
    MediationFile,
    MediationSession,
    MeetingTask,
    Outcome,
    Party,
    PartyKind,
    PeopleBand,
    Risk,
    RiskFollowUp,
    RiskKind,
    RiskLevel,
    RiskStatus,
    Side,
)
from gridgov.mediation.services import (
    DisputeInput,
    MeetingInput,
    PartyInput,
    RiskInput,
    TaskInput,
)

CODE_PATTERN = r"^[0-9]{6,18}$"


@extend_schema_field(OpenApiTypes.STR)
class MaskedField(serializers.Field):
    """Personal data, shown masked: an EncryptedValue prints as its mask."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(value)


class CentreOutput(serializers.ModelSerializer):
    class Meta:
        model = Centre
        fields = ["id", "name", "level", "region_code", "address", "phone"]


class CentreListFilter(serializers.Serializer):
    level = serializers.ChoiceField(choices=CentreLevel.choices, required=False)
    region = serializers.RegexField(CODE_PATTERN, required=False)


class PartyInputSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=Side.choices)
    kind = serializers.ChoiceField(choices=PartyKind.choices, default=PartyKind.PERSON)
    name = serializers.CharField(max_length=120)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    agent_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    agent_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")


class FileOpenInput(serializers.Serializer):
    centre = serializers.IntegerField(help_text="The centre whose desk registers the dispute.")
    case = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text="A dispute case already reported; without it a new case is registered.",
    )
    category = serializers.SlugField(
        max_length=64, required=False, allow_blank=True, default="", help_text="A dispute kind."
    )
    channel = serializers.ChoiceField(
        choices=[
            (Channel.WALK_IN.value, Channel.WALK_IN.label),
            (Channel.HOTLINE.value, Channel.HOTLINE.label),
        ],
        default=Channel.WALK_IN,
    )
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    facts = serializers.CharField(max_length=5000)
    region_code = serializers.RegexField(CODE_PATTERN, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    amount_involved = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    people_band = serializers.ChoiceField(choices=PeopleBand.choices, default=PeopleBand.UNDER_10)
    parties = serializers.ListField(child=PartyInputSerializer(), allow_empty=False, max_length=20)
    mediators = serializers.ListField(
        child=serializers.CharField(max_length=150), required=False, default=list, max_length=10
    )

    def to_input(self) -> DisputeInput:
        data = self.validated_data
        amount = data.get("amount_involved")
        return DisputeInput(
            centre_id=data["centre"],
            case_number=data["case"],
            category_code=data["category"],
            channel=data["channel"],
            title=data["title"],
            facts=data["facts"],
            region_code=data["region_code"],
            address=data["address"],
            amount_involved="" if amount is None else str(amount),
            people_band=data["people_band"],
            parties=[PartyInput(**party) for party in data["parties"]],
            mediator_usernames=data["mediators"],
        )


class FileListFilter(serializers.Serializer):
    region = serializers.RegexField(CODE_PATTERN, required=False)
    centre = serializers.IntegerField(required=False)
    open = serializers.BooleanField(required=False, default=False)
    mine = serializers.BooleanField(required=False, default=False)
    outcome = serializers.ChoiceField(
        choices=[*Outcome.choices, ("agreed", "agreement or partial agreement")], required=False
    )
    centre_level = serializers.ChoiceField(choices=CentreLevel.choices, required=False)
    registered_from = serializers.DateTimeField(required=False)
    registered_before = serializers.DateTimeField(required=False)
    concluded_from = serializers.DateTimeField(required=False)
    concluded_before = serializers.DateTimeField(required=False)
    referred_from = serializers.DateTimeField(required=False)
    referred_before = serializers.DateTimeField(required=False)


class PartyOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    id_number = MaskedField()
    phone = MaskedField()
    agent_name = MaskedField()
    agent_phone = MaskedField()

    class Meta:
        model = Party
        fields = [
            "side",
            "kind",
            "name",
            "id_number",
            "phone",
            "credit_code",
            "agent_name",
            "agent_phone",
        ]


class SessionOutput(serializers.ModelSerializer):
    class Meta:
        model = MediationSession
        fields = ["id", "starts_at", "place", "online", "participants", "record", "held_at"]


class FileListItem(serializers.ModelSerializer):
    case = serializers.CharField(source="case.number", read_only=True)
    centre = serializers.CharField(source="centre.name", read_only=True)

    class Meta:
        model = MediationFile
        fields = [
            "number",
            "case",
            "centre",
            "region_code",
            "dispute_kind",
            "people_band",
            "created_at",
            "due_at",
            "outcome",
        ]


class FilePageOutput(serializers.Serializer):
    results = FileListItem(many=True)


class FileDetailOutput(FileListItem):
    centre_id = serializers.IntegerField(read_only=True)
    case_state = serializers.CharField(source="case.state", read_only=True)
    parties = PartyOutput(many=True, read_only=True)
    sessions = SessionOutput(many=True, read_only=True)
    mediators = serializers.SerializerMethodField()

    class Meta(FileListItem.Meta):
        fields = [
            *FileListItem.Meta.fields,
            "centre_id",
            "case_state",
            "facts",
            "amount_involved",
            "mediators",
            "parties",
            "sessions",
            "outcome_at",
            "responsibilities",
            "agreed_terms",
            "performance_method",
            "performance_place",
            "performance_deadline",
            "follow_up_due_on",
            "followed_up_at",
            "follow_up_note",
            "performed",
            "judicial_status",
            "judicial_court",
            "judicial_applied_on",
            "judicial_result_on",
        ]

    def get_mediators(self, file: MediationFile) -> list[str]:
        return [user.display_name or user.username for user in file.mediators.all()]


class RiskInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=RiskKind.choices)
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    people_involved = serializers.IntegerField(min_value=1, max_value=1_000_000)
    description = serializers.CharField(max_length=5000)
    region_code = serializers.RegexField(CODE_PATTERN, required=False, allow_blank=True, default="")
    control_measures = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    responsible = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        default="",
        help_text="The username of the official who answers for it (you, by default).",
    )
    cases = serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        default=list,
        max_length=50,
        help_text="Numbers of related cases; the first gives the region when none is given.",
    )
    next_follow_up_on = serializers.DateField(required=False, allow_null=True, default=None)

    def to_input(self) -> RiskInput:
        data = self.validated_data
        return RiskInput(
            title=data["title"],
            kind=data["kind"],
            level=data["level"],
            people_involved=data["people_involved"],
            description=data["description"],
            region_code=data["region_code"],
            control_measures=data["control_measures"],
            responsible_username=data["responsible"],
            case_numbers=data["cases"],
            next_follow_up_on=data["next_follow_up_on"],
        )


class RiskListFilter(serializers.Serializer):
    region = serializers.RegexField(CODE_PATTERN, required=False)
    level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    status = serializers.ChoiceField(choices=RiskStatus.choices, required=False)
    open = serializers.BooleanField(required=False, default=False)
    found_from = serializers.DateTimeField(required=False)
    found_before = serializers.DateTimeField(required=False)
    resolved_from = serializers.DateTimeField(required=False)
    resolved_before = serializers.DateTimeField(required=False)


class PeriodFilter(serializers.Serializer):
    """`region`, and the dates `from` and `to` (both included; the 30 days to today by
    default)."""

    region = serializers.RegexField(CODE_PATTERN, required=False, default="")
    to = serializers.DateField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the field is added by name.
        self.fields["from"] = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "from" in attrs and "to" in attrs and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"from": _("The period starts after it ends.")})
        if any(not is_plausible(day) for day in (attrs.get("from"), attrs.get("to")) if day):
            raise serializers.ValidationError({"from": _("Give a date between 1970 and 2200.")})
        return attrs


class FigureOutput(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(
        source="label", help_text="What the figure counts, in the reader's language."
    )
    value = serializers.IntegerField()
    href = serializers.CharField(help_text="The API's list of exactly the records counted.")
    page = serializers.CharField(help_text="The same records as a page, for people.")


class FiguresOutput(serializers.Serializer):
    region = serializers.CharField()
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    figures = FigureOutput(many=True)


class RiskFollowUpOutput(serializers.ModelSerializer):
    class Meta:
        model = RiskFollowUp
        fields = ["due_on", "done_at", "note"]


class RiskOutput(serializers.ModelSerializer):
    responsible = serializers.SerializerMethodField()

    class Meta:
        model = Risk
        fields = [
            "id",
            "title",
            "kind",
            "level",
            "status",
            "people_involved",
            "region_code",
            "responsible",
            "created_at",
            "next_follow_up_on",
        ]

    def get_responsible(self, risk: Risk) -> str:
        return risk.responsible.display_name or risk.responsible.username


class RiskDetailOutput(RiskOutput):
    cases = serializers.SerializerMethodField()
    follow_ups = RiskFollowUpOutput(many=True, read_only=True)

    class Meta(RiskOutput.Meta):
        fields = [
            *RiskOutput.Meta.fields,
            "description",
            "control_measures",
            "resolved_at",
            "cases",
            "follow_ups",
        ]

    def get_cases(self, risk: Risk) -> list[str]:
        return [case.number for case in risk.cases.all()]


class RiskPageOutput(serializers.Serializer):
    results = RiskOutput(many=True)


class TaskInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300)
    owner = serializers.CharField(max_length=150, help_text="The owner's username.")
    due_on = serializers.DateField()


class MeetingInputSerializer(serializers.Serializer):
    region = serializers.RegexField(CODE_PATTERN, help_text="The report's place.")
    to = serializers.DateField(help_text="The report's last day (included).")
    held_on = serializers.DateField()
    attendees = serializers.CharField(max_length=5000)
    decisions = serializers.CharField(max_length=5000)
    cases = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, default=list, max_length=50
    )
    risks = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=50
    )
    tasks = TaskInputSerializer(many=True, required=False, default=list)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the field is added by name.
        self.fields["from"] = serializers.DateField(help_text="The report's first day.")

    def to_input(self) -> MeetingInput:
        data = self.validated_data
        return MeetingInput(
            region_code=data["region"],
            since=data["from"],
            until=data["to"],
            held_on=data["held_on"],
            attendees=data["attendees"],
            decisions=data["decisions"],
            case_numbers=data["cases"],
            risk_ids=data["risks"],
            tasks=[
                TaskInput(
                    description=t["description"], owner_username=t["owner"], due_on=t["due_on"]
                )
                for t in data["tasks"]
            ],
        )


class MeetingFilter(serializers.Serializer):
    region = serializers.RegexField(CODE_PATTERN, required=False, default="")
    to = serializers.DateField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = serializers.DateField(required=False)


class TaskOutput(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()

    class Meta:
        model = MeetingTask
        fields = ["id", "description", "owner", "due_on", "done_at"]

    def get_owner(self, task: MeetingTask) -> str:
        return task.owner.display_name or task.owner.username


class MeetingOutput(serializers.ModelSerializer):
    to = serializers.DateField(source="until")

    class Meta:
        model = JointMeeting
        fields = ["id", "region_code", "to", "held_on", "decisions", "created_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(source="since")
        return fields


class MeetingDetailOutput(MeetingOutput):
    attendees = serializers.CharField()
    cases = serializers.SerializerMethodField()
    risks = serializers.SerializerMethodField()
    tasks = TaskOutput(many=True, read_only=True)

    class Meta(MeetingOutput.Meta):
        fields = [*MeetingOutput.Meta.fields, "attendees", "cases", "risks", "tasks"]

    def get_cases(self, meeting: JointMeeting) -> list[str]:
        return [case.number for case in meeting.cases.all()]

    def get_risks(self, meeting: JointMeeting) -> list[int]:
        return [risk.pk for risk in meeting.risks.all()]
