"""The volunteer API's shapes. A volunteer appears by name and place; a resident's phone only
masked."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from gridgov.volunteers.models import MicroWish, WishState
from gridgov.volunteers.selectors import wish_waiting_on
from gridgov.volunteers.services.events import EventInput
from gridgov.volunteers.services.wishes import WishInput
from gridgov.volunteers.states import WishStep

# A county, town, village, grid or micro-grid code.
CODE_PATTERN = r"^[0-9]{6}([0-9]{3}){0,4}$"


class EventListFilter(serializers.Serializer):
    region = serializers.RegexField(CODE_PATTERN, required=False)
    starts_after = serializers.DateTimeField(required=False)
    starts_before = serializers.DateTimeField(required=False)


class EventInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    region = serializers.RegexField(CODE_PATTERN)
    address = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    description = serializers.CharField(
        max_length=2000, required=False, default="", allow_blank=True
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=1000)

    def to_input(self) -> EventInput:
        data: dict[str, Any] = self.validated_data
        return EventInput(
            title=data["title"],
            region_code=data["region"],
            address=data["address"],
            description=data["description"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data["capacity"],
        )


class EventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    region_code = serializers.CharField()
    address = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    signed_up = serializers.IntegerField(help_text="Volunteers signed up (not withdrawn).")
    checked_in = serializers.IntegerField(help_text="Of them, those who checked in.")


class SignUpOutput(serializers.Serializer):
    id = serializers.IntegerField()
    member = serializers.IntegerField(source="member_id", help_text="The volunteer (team member).")
    name = serializers.CharField(source="member.name")
    signed_up_at = serializers.DateTimeField()
    checked_in_at = serializers.DateTimeField(allow_null=True)
    checked_out_at = serializers.DateTimeField(allow_null=True)
    minutes = serializers.IntegerField(help_text="Minutes that count toward their hours.")
    corrected = serializers.BooleanField(help_text="Minutes set by an organiser.")
    correction_note = serializers.CharField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class EventDetailOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    region_code = serializers.CharField()
    address = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    sign_ups = SignUpOutput(many=True)


class MemberInput(serializers.Serializer):
    member = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="An organiser acting for a volunteer names them; a volunteer acting for "
        "themselves leaves it out.",
    )


class TimedInput(MemberInput):
    at = serializers.DateTimeField(
        required=False,
        help_text="When (an organiser recording for a volunteer without a phone); default now.",
    )


class CorrectInput(serializers.Serializer):
    member = serializers.IntegerField(min_value=1)
    minutes = serializers.IntegerField(min_value=0, max_value=24 * 60)
    note = serializers.CharField(max_length=200)


class HoursFilter(serializers.Serializer):
    region = serializers.RegexField(CODE_PATTERN, required=False)
    min_stars = serializers.IntegerField(min_value=0, max_value=5, required=False, default=0)


class HoursOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    name = serializers.CharField()
    region_code = serializers.CharField(help_text="Where they serve.")
    hours = serializers.FloatField()
    events = serializers.IntegerField(help_text="Events they served at.")
    stars = serializers.IntegerField(
        help_text="0 to 5, from the hours (100, 300, 600, 1,000, 1,500)."
    )
    to_next_star = serializers.FloatField(allow_null=True)


class WishListFilter(serializers.Serializer):
    region = serializers.RegexField(CODE_PATTERN, required=False)
    state = serializers.ChoiceField(choices=WishState.choices, required=False)
    show = serializers.ChoiceField(
        choices=[("mine", "mine"), ("waiting_on_me", "waiting_on_me")], required=False
    )


class WishInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    region = serializers.RegexField(CODE_PATTERN)
    resident_name = serializers.CharField(max_length=64)
    resident_phone = serializers.CharField(
        max_length=32, required=False, default="", allow_blank=True
    )
    detail = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)

    def to_input(self) -> WishInput:
        data: dict[str, Any] = self.validated_data
        return WishInput(
            title=data["title"],
            region_code=data["region"],
            resident_name=data["resident_name"],
            resident_phone=data["resident_phone"],
            detail=data["detail"],
        )


class WishStepInput(serializers.Serializer):
    step = serializers.ChoiceField(choices=[(step.value, step.value) for step in WishStep])
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    member = serializers.IntegerField(
        required=False, min_value=1, help_text="The volunteer an organiser gives the wish to."
    )


class WishPhoneInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="Why you need the phone (audited).")


class WishPhoneOutput(serializers.Serializer):
    phone = serializers.CharField(help_text="The resident's phone in full.")


class WishOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    detail = serializers.CharField()
    region_code = serializers.CharField()
    resident_name = serializers.CharField()
    resident_phone = serializers.CharField(source="resident_phone.masked", help_text="Masked.")
    state = serializers.CharField()
    state_name = serializers.CharField(source="get_state_display")
    waiting_on = serializers.SerializerMethodField(help_text="Whose move it is; empty once closed.")
    volunteer = serializers.CharField(source="taken_by.name", allow_null=True, default=None)
    posted_at = serializers.DateTimeField()
    taken_at = serializers.DateTimeField(allow_null=True)
    fulfilled_at = serializers.DateTimeField(allow_null=True)
    fulfilment_note = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)
    closing_note = serializers.CharField()

    def get_waiting_on(self, wish: MicroWish) -> str:
        return wish_waiting_on(wish)
