"""API v1 for the region tree: thin views over the selectors."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.core.pagination import DefaultPagination, page_schema
from gridgov.core.scoping import request_actor
from gridgov.regions import selectors
from gridgov.regions.models import Level


class RegionOutput(serializers.Serializer):
    code = serializers.CharField(source="region_code")
    level = serializers.ChoiceField(choices=Level.choices)
    kind = serializers.CharField()
    name = serializers.CharField()
    parent_code = serializers.SerializerMethodField()
    population = serializers.IntegerField()
    households = serializers.IntegerField()

    def get_parent_code(self, region: object) -> str | None:
        parent = getattr(region, "parent", None)
        return parent.region_code if parent is not None else None


class RegionDetailOutput(RegionOutput):
    boundary = serializers.JSONField(allow_null=True, help_text="GeoJSON geometry, WGS-84.")


CODE_PATTERN = r"^[0-9]{6,18}$"


class RegionListFilter(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    # `parent` is the query parameter; a serializer cannot have a field of that name.
    parent_code = serializers.RegexField(CODE_PATTERN, required=False)


class RegionListApi(APIView):
    @extend_schema(
        operation_id="v1_regions_list",
        parameters=[
            OpenApiParameter("level", str, enum=Level.values),
            OpenApiParameter(
                "parent", str, description="Code of the parent region.", pattern=CODE_PATTERN
            ),
        ],
        responses={200: page_schema(RegionOutput(many=True), name="PaginatedRegionList")},
    )
    def get(self, request: Request) -> Response:
        filters = RegionListFilter(
            data={
                key: value
                for key, value in (
                    ("level", request.query_params.get("level")),
                    ("parent_code", request.query_params.get("parent")),
                )
                # An empty parameter counts as absent, as in every query of the API.
                if value
            }
        )
        filters.is_valid(raise_exception=True)
        regions = selectors.region_list(
            actor=request_actor(request),
            level=filters.validated_data.get("level"),
            parent_code=filters.validated_data.get("parent_code"),
        )
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(regions, request, view=self)
        return paginator.get_paginated_response(RegionOutput(page, many=True).data)


class RegionDetailApi(APIView):
    @extend_schema(responses={200: RegionDetailOutput})
    def get(self, request: Request, code: str) -> Response:
        region = selectors.region_get(actor=request_actor(request), code=code)
        return Response(RegionDetailOutput(region).data)


class RegionChildrenApi(APIView):
    @extend_schema(responses={200: RegionDetailOutput(many=True)})
    def get(self, request: Request, code: str) -> Response:
        children = selectors.region_children(actor=request_actor(request), code=code)
        return Response(RegionDetailOutput(children, many=True).data)


class LocateInput(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)


class LocateOutput(serializers.Serializer):
    grid_code = serializers.CharField()
    micro_grid_code = serializers.CharField(allow_null=True)
    region = RegionOutput()


class RegionLocateApi(APIView):
    @extend_schema(
        parameters=[LocateInput],
        responses={200: LocateOutput},
    )
    def get(self, request: Request) -> Response:
        point = LocateInput(data=request.query_params)
        point.is_valid(raise_exception=True)
        location, region = selectors.region_locate(
            actor=request_actor(request),
            lng=point.validated_data["lng"],
            lat=point.validated_data["lat"],
        )
        return Response(
            LocateOutput(
                {
                    "grid_code": location.grid_code,
                    "micro_grid_code": location.micro_grid_code,
                    "region": region,
                }
            ).data
        )
