"""The teams API's shapes: names and duties only (members' contact lives in their accounts)."""

from __future__ import annotations

from rest_framework import serializers

from gridgov.teams.models import TeamKind

# A county, town, village, grid or micro-grid code.
CODE_PATTERN = r"^[0-9]{6}([0-9]{3}){0,4}$"


class TeamListFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TeamKind.choices, required=False)
    region = serializers.RegexField(CODE_PATTERN, required=False)


class TeamOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_name = serializers.CharField(source="get_kind_display")
    name = serializers.CharField()
    region_code = serializers.CharField()
    serving = serializers.IntegerField(help_text="Members serving now.")


class MemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    username = serializers.CharField(source="user.username", allow_null=True, default=None)
    duty = serializers.CharField()
    region_code = serializers.CharField(help_text="Where they serve.")
    joined_on = serializers.DateField()
    left_on = serializers.DateField(allow_null=True)


class MemberListFilter(serializers.Serializer):
    include_left = serializers.BooleanField(required=False, default=False)
