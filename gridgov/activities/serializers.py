"""The activities API's shapes: what was done, where, when, by whom (names and usernames of
staff, no residents' data) and what came of it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gridgov.activities.models import ActivityKind
from gridgov.activities.services import (
    MAX_AUDIENCE,
    MAX_PARTICIPANTS,
    NOTE_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    TOPIC_MAX_LENGTH,
    ActivityInput,
)
from gridgov.cases.models import Urgency

# A county, town, village, grid or micro-grid code.
CODE_PATTERN = r"^[0-9]{6}([0-9]{3}){0,4}$"


class ActivityListFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)
    region = serializers.RegexField(CODE_PATTERN, required=False)
    person = serializers.CharField(
        max_length=150, required=False, help_text="A participant's username."
    )
    since = serializers.DateField(required=False, help_text="Started on or after this day.")
    until = serializers.DateField(required=False, help_text="Started on or before this day.")
    open = serializers.BooleanField(
        required=False, default=False, help_text="Only patrols under way."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and until < since:
            raise serializers.ValidationError({"until": "The period ends before it starts."})
        return attrs


class PersonOutput(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user: Any) -> str:
        return str(user.display_name or user.username)


class CheckInOutput(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    accuracy_m = serializers.IntegerField(allow_null=True)
    region_code = serializers.CharField(help_text="The (micro-)grid the point lies in.")
    note = serializers.CharField()


class ActivityOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_name = serializers.CharField(source="get_kind_display")
    topic = serializers.CharField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    place = serializers.CharField()
    region_code = serializers.CharField()
    recorded_by = PersonOutput()
    participants = PersonOutput(many=True, source="participants.all")
    audience = serializers.IntegerField()
    outcome = serializers.CharField()
    mediation_file_number = serializers.CharField()
    school = serializers.CharField()
    lecturer = serializers.CharField(help_text="Law education: who gave it.")


class ActivityDetailOutput(ActivityOutput):
    check_ins = CheckInOutput(many=True, source="check_ins.all")
    cases = serializers.SerializerMethodField(help_text="Numbers of the cases reported from it.")
    team_members = serializers.SerializerMethodField(help_text="Team members who took part.")
    photos = serializers.IntegerField(source="photos.count", help_text="How many photos.")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_cases(self, activity: Any) -> list[str]:
        return [case.number for case in activity.cases.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_team_members(self, activity: Any) -> list[str]:
        return [member.name for member in activity.team_members.all()]


class ActivityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(max_length=PLACE_MAX_LENGTH)
    region_code = serializers.RegexField(
        CODE_PATTERN, required=False, help_text="Where it took place; empty: your own place."
    )
    topic = serializers.CharField(max_length=TOPIC_MAX_LENGTH, required=False, allow_blank=True)
    audience = serializers.IntegerField(min_value=0, max_value=MAX_AUDIENCE, required=False)
    outcome = serializers.CharField(max_length=OUTCOME_MAX_LENGTH, required=False, allow_blank=True)
    participants = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        max_length=MAX_PARTICIPANTS,
        help_text="Usernames of colleagues who took part, besides you.",
    )
    team_members = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=MAX_PARTICIPANTS,
        help_text="Ids of team members (without accounts) who took part.",
    )
    mediation_file_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    school = serializers.CharField(max_length=120, required=False, allow_blank=True)
    lecturer = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def to_input(self, photos: list[Any]) -> ActivityInput:
        data = self.validated_data
        return ActivityInput(
            kind=data["kind"],
            started_at=data["started_at"],
            ended_at=data.get("ended_at"),
            place=data["place"],
            region_code=data.get("region_code", ""),
            topic=data.get("topic", ""),
            audience=data.get("audience", 0),
            outcome=data.get("outcome", ""),
            participants=data.get("participants", []),
            team_member_ids=data.get("team_members", []),
            mediation_file_number=data.get("mediation_file_number", ""),
            school=data.get("school", ""),
            lecturer=data.get("lecturer", ""),
            photos=photos,
        )


class PatrolStartInput(serializers.Serializer):
    region_code = serializers.RegexField(
        CODE_PATTERN, required=False, help_text="The grid to patrol; empty: your own."
    )
    topic = serializers.CharField(max_length=TOPIC_MAX_LENGTH, required=False, allow_blank=True)


class CheckInInput(serializers.Serializer):
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    accuracy_m = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True)


class ProblemInput(serializers.Serializer):
    category = serializers.CharField(max_length=32)
    description = serializers.CharField(max_length=5000)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)


class ProblemOutput(serializers.Serializer):
    number = serializers.CharField(help_text="The case's number.")
    state = serializers.CharField()
    region_code = serializers.CharField()


class FinishInput(serializers.Serializer):
    outcome = serializers.CharField(max_length=OUTCOME_MAX_LENGTH, required=False, allow_blank=True)
