"""The broadcast terminals over the API: the list of the jurisdiction's terminals with status."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.broadcast import terminal_selectors
from gridgov.broadcast.models import Terminal, TerminalStatus
from gridgov.core.api_responses import FORBIDDEN

MAX_PAGE_SIZE = 500


class TerminalListFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=TerminalStatus.choices, required=False)
    region = serializers.RegexField(
        r"^[0-9]{6,18}$",
        required=False,
        help_text="A region code: only the terminals in it.",
    )
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, default=100)
    after = serializers.IntegerField(
        min_value=1, required=False, help_text="The next page: the terminals after this id."
    )


class TerminalOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    region_name = serializers.SerializerMethodField()

    class Meta:
        model = Terminal
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_label",
            "region_code",
            "region_name",
            "group_name",
            "address",
            "longitude",
            "latitude",
            "public_key",
            "heartbeat_interval_seconds",
            "last_heartbeat_at",
            "status",
            "status_label",
            "status_changed_at",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_region_name(self, terminal: Terminal) -> str:
        names: dict[str, str] = self.context["names"]
        return names.get(terminal.region_code, "")


class TerminalPageOutput(serializers.Serializer):
    results = TerminalOutput(many=True)
    next = serializers.URLField(allow_null=True)


class TerminalListApi(APIView):
    @extend_schema(
        operation_id="v1_terminals_list",
        summary="The broadcast terminals of your jurisdiction, with their status",
        parameters=[TerminalListFilter],
        responses={
            200: TerminalPageOutput,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors."),
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        params = TerminalListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        query: dict[str, Any] = params.validated_data
        filters = terminal_selectors.TerminalFilters(
            status=query.get("status", ""), region_code=query.get("region", "")
        )
        terminals = terminal_selectors.terminal_list(actor=actor, filters=filters).order_by("id")
        if query.get("after"):
            terminals = terminals.filter(pk__gt=query["after"])
        size = query["page_size"]
        rows = list(terminals[: size + 1])
        next_url = (
            replace_query_param(request.build_absolute_uri(), "after", rows[size - 1].pk)
            if len(rows) > size
            else None
        )
        names = terminal_selectors.terminal_place_names(terminals=rows[:size])
        return Response(
            {
                "results": TerminalOutput(rows[:size], many=True, context={"names": names}).data,
                "next": next_url,
            }
        )
