"""The command centre's API: a region's figures over a period, each with the link to the list
of its cases, and one measure as a series by day or week."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.core.api_responses import BAD_INPUT, FORBIDDEN, NOT_FOUND
from gridgov.core.errors import ValidationFailed
from gridgov.dashboards.selectors import (
    INTERVALS,
    MEASURE_CHOICES,
    PERIOD_CHOICES,
    Period,
    Summary,
    overview_region,
    period_from,
    series,
    series_href,
    summary,
)

CODE_PATTERN = r"^[0-9]{6}([0-9]{3}){0,3}$"


class PeriodQuery(serializers.Serializer):
    region = serializers.RegexField(
        CODE_PATTERN, required=False, help_text="A region you may see (default: your top one)."
    )
    period = serializers.ChoiceField(
        choices=[key for key, _label in PERIOD_CHOICES],
        required=False,
        help_text="A named period (default 30d); or give from and to.",
    )
    # "from" is a keyword: the field is renamed below.
    from_ = serializers.DateField(required=False, help_text="First day reported (included).")
    to = serializers.DateField(required=False, help_text="Last day reported (included).")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class SeriesQuery(PeriodQuery):
    measure = serializers.ChoiceField(choices=list(MEASURE_CHOICES), default="received")
    interval = serializers.ChoiceField(choices=list(INTERVALS), default="day")


def _query(request: Request, serializer_class: type[PeriodQuery]) -> tuple[Any, dict[str, Any]]:
    query = serializer_class(data=request.query_params)
    if not query.is_valid():
        raise ValidationFailed.from_messages(query.errors)
    return actor_from(request), query.validated_data


def _period(data: dict[str, Any]) -> Period:
    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return period_from(key=data.get("period"), start=iso(data.get("from")), end=iso(data.get("to")))


def summary_data(figures: Summary, request: Request) -> dict[str, Any]:
    """The summary as JSON: every figure with an absolute `href` to the list of its cases."""

    def absolute(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: request.build_absolute_uri(item)
                if key == "href" and isinstance(item, str)
                else absolute(item)
                for key, item in value.items()
            }
        if isinstance(value, list | tuple):
            return [absolute(item) for item in value]
        if isinstance(value, date):
            return value.isoformat()
        return value

    data = {key: value for key, value in asdict(figures).items() if key != "region"}
    data["region"] = {"code": figures.region.region_code, "name": figures.region.name}
    data["updated_at"] = figures.updated_at.isoformat() if figures.updated_at else None
    return dict(absolute(data))


SUMMARY = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "region, period (start, end, key), updated_at; totals (received, open, closed, "
        "overdue, escalated), on_time and satisfaction, by_state, by_level, by_channel, "
        "by_category, where_resolved, children, slowest, repeated_categories, "
        "repeated_places, trend. Each figure is {key, label, value, href}: href is the "
        "all-cases list that holds exactly that figure's cases."
    ),
)
SERIES = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="region, measure, interval and points: [{start, value, href}].",
)


class DashboardSummaryApi(APIView):
    @extend_schema(
        operation_id="v1_dashboard_summary",
        summary="A region's figures over a period",
        parameters=[PeriodQuery],
        responses={200: SUMMARY, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        actor, data = _query(request, PeriodQuery)
        region = overview_region(actor=actor, code=data.get("region"))
        figures = summary(actor=actor, region=region, period=_period(data))
        return Response(summary_data(figures, request))


class DashboardSeriesApi(APIView):
    @extend_schema(
        operation_id="v1_dashboard_series",
        summary="One measure of a region's cases by day or week reported",
        parameters=[SeriesQuery],
        responses={200: SERIES, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        actor, data = _query(request, SeriesQuery)
        region = overview_region(actor=actor, code=data.get("region"))
        period = _period(data)
        measure, interval = data["measure"], data["interval"]
        points = series(
            region_code=region.region_code, period=period, measure=measure, interval=interval
        )
        return Response(
            {
                "region": {"code": region.region_code, "name": region.name},
                "measure": measure,
                "interval": interval,
                "points": [
                    {
                        "start": start.isoformat(),
                        "value": value,
                        "href": request.build_absolute_uri(
                            series_href(region.region_code, period, start, interval, measure)
                        ),
                    }
                    for start, value in points
                ],
            }
        )
