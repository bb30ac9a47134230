"""The broadcast API's input and output shapes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gridgov.broadcast import policy
from gridgov.broadcast.models import (
    Broadcast,
    Certainty,
    Delivery,
    DeliveryStatus,
    MessageKind,
    Severity,
    Urgency,
)
from gridgov.broadcast.services import (
    MAX_REPEATS,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    BroadcastInput,
)
from gridgov.broadcast.states import State

MAX_TARGETS = 200


class BroadcastWriteInput(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH, help_text="What is read out.")
    kind = serializers.ChoiceField(choices=MessageKind.choices)
    severity = serializers.ChoiceField(choices=Severity.choices, help_text="CAP severity.")
    urgency = serializers.ChoiceField(choices=Urgency.choices, help_text="CAP urgency.")
    certainty = serializers.ChoiceField(choices=Certainty.choices, help_text="CAP certainty.")
    targets = serializers.ListField(
        child=serializers.RegexField(r"^[0-9]{6,18}$", max_length=18),
        min_length=1,
        max_length=MAX_TARGETS,
        help_text="Region codes: the whole county, towns, villages, grids (groups).",
    )
    scheduled_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Empty: as soon as approved."
    )
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Empty: six hours after sending."
    )
    repeats = serializers.IntegerField(min_value=1, max_value=MAX_REPEATS, default=1)
    supersedes = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text="The id of a sent message this one updates (CAP msgType Update).",
    )
    audio = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A WAV, MP3 or Ogg recording (multipart, at most 10 MB) played instead of the "
        "text; without one, speech is made from the text where a speech engine is installed.",
    )

    def to_input(self) -> BroadcastInput:
        data = self.validated_data
        return BroadcastInput(
            title=data["title"],
            text=data["text"],
            kind=data["kind"],
            severity=data["severity"],
            urgency=data["urgency"],
            certainty=data["certainty"],
            target_codes=list(data["targets"]),
            scheduled_at=data.get("scheduled_at"),
            expires_at=data.get("expires_at"),
            repeats=data.get("repeats", 1),
            supersedes_id=data.get("supersedes"),
            audio=data.get("audio"),
        )


class BroadcastCreateInput(BroadcastWriteInput):
    submit = serializers.BooleanField(
        default=False, help_text="Submit for approval at once instead of keeping a draft."
    )


def input_of(broadcast: Broadcast) -> dict[str, Any]:
    """The message's current values, in the input's shape (for a partial edit)."""
    return {
        "title": broadcast.title,
        "text": broadcast.text,
        "kind": broadcast.kind,
        "severity": broadcast.severity,
        "urgency": broadcast.urgency,
        "certainty": broadcast.certainty,
        "targets": list(broadcast.target_codes),
        "scheduled_at": broadcast.scheduled_at,
        "expires_at": broadcast.expires_at,
        "repeats": broadcast.repeats,
        "supersedes": broadcast.supersedes_id,
    }


class ActionInput(serializers.Serializer):
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why (needed to reject).",
    )


class TargetOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class BroadcastOutput(serializers.Serializer):
    id = serializers.IntegerField()
    identifier = serializers.UUIDField(help_text="The CAP identifier.")
    title = serializers.CharField()
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=MessageKind.choices)
    severity = serializers.CharField()
    urgency = serializers.CharField()
    certainty = serializers.CharField()
    targets = serializers.SerializerMethodField()
    region_code = serializers.CharField(help_text="The smallest region holding the target.")
    scheduled_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField()
    repeats = serializers.IntegerField()
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)
    state = serializers.ChoiceField(choices=[(state.value, state.value) for state in State])
    state_label = serializers.CharField()
    revision = serializers.IntegerField()
    composer = serializers.CharField(source="composer.username")
    approved_by = serializers.SerializerMethodField()
    approved_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    actions = serializers.SerializerMethodField(help_text="What you may do to it now.")

    @extend_schema_field(TargetOutput(many=True))
    def get_targets(self, broadcast: Broadcast) -> list[dict[str, str]]:
        names: dict[str, str] = self.context.get("names", {})
        return [{"code": code, "name": names.get(code, "")} for code in broadcast.target_codes]

    def get_approved_by(self, broadcast: Broadcast) -> str | None:
        return broadcast.approved_by.username if broadcast.approved_by is not None else None

    def get_actions(self, broadcast: Broadcast) -> list[str]:
        actor = self.context.get("actor")
        return [str(action) for action in policy.allowed_actions(actor, broadcast)]


class BroadcastPageOutput(serializers.Serializer):
    results = BroadcastOutput(many=True)
    next = serializers.URLField(allow_null=True)


class BroadcastListFilter(serializers.Serializer):
    state = serializers.ChoiceField(choices=[state.value for state in State], required=False)
    before = serializers.IntegerField(
        min_value=1, required=False, help_text="Only messages with a smaller id (the next page)."
    )
    page_size = serializers.IntegerField(min_value=1, max_value=200, default=50)


class DeliveryListFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)
    place = serializers.RegexField(
        r"^[0-9]{6,18}$", required=False, help_text="A region code: only the terminals in it."
    )
    page_size = serializers.IntegerField(min_value=1, max_value=500, default=100)
    after = serializers.IntegerField(
        min_value=1, required=False, help_text="The next page: the deliveries after this id."
    )


class DeliveryOutput(serializers.ModelSerializer):
    terminal_code = serializers.CharField(source="terminal.code")
    terminal_name = serializers.CharField(source="terminal.name")
    place_name = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "terminal_code",
            "terminal_name",
            "place_code",
            "place_name",
            "status",
            "status_label",
            "attempts",
            "sent_at",
            "received_at",
            "played_at",
            "failed_at",
            "detail",
        ]

    @extend_schema_field(serializers.CharField())
    def get_place_name(self, delivery: Delivery) -> str:
        names: dict[str, str] = self.context["names"]
        return names.get(delivery.place_code, "")


class DeliveryCountsOutput(serializers.Serializer):
    total = serializers.IntegerField()
    delivered = serializers.IntegerField(help_text="Received or played.")
    failed = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    cancels = serializers.IntegerField(
        help_text="Once the message was withdrawn after it went out: terminals told to stop "
        "(a signed cancel each)."
    )
    cancels_confirmed = serializers.IntegerField(help_text="Terminals that confirmed the cancel.")
    refused_acks = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Terminals' acknowledgements refused, by why: `bad_signature`, `unsigned`, "
        "`no_key`, `wrong_terminal`, `unknown_delivery`, `wrong_message`, `replayed`, "
        "`malformed`. A refused acknowledgement never moves a delivery.",
    )


class DeliveryPageOutput(serializers.Serializer):
    counts = DeliveryCountsOutput()
    results = DeliveryOutput(many=True)
    next = serializers.URLField(allow_null=True)
