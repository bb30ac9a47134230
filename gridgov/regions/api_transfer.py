"""API v1 for importing and exporting the region tree (GeoJSON or CSV): thin views over transfer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.core.access import Perm
from gridgov.core.jsonbody import BoundedJSONParser
from gridgov.core.openapi import ERROR_COMPONENT
from gridgov.core.scoping import request_actor
from gridgov.regions import transfer

MEDIA_TYPES = {transfer.GEOJSON: "application/geo+json", transfer.CSV: "text/csv; charset=utf-8"}


class _FileFormatNegotiation(BaseContentNegotiation):
    """Here `format` names the file to export, not a DRF renderer; errors are always JSON."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, str(renderer.media_type)


class CanManageRegions(BasePermission):
    """Refuse early (403) a role that cannot manage regions anywhere, before reading the file."""

    message = f"no role grants {Perm.REGIONS_MANAGE}"

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request_actor(request).jurisdiction_codes(Perm.REGIONS_MANAGE))


class ExportQuery(serializers.Serializer):
    format = serializers.ChoiceField(choices=transfer.FORMATS, default=transfer.GEOJSON)
    # `root` is the query parameter; a serializer cannot have a field of that name.
    root_code = serializers.RegexField(r"^[0-9]{6,18}$", required=False)


class RegionExportApi(APIView):
    content_negotiation_class = _FileFormatNegotiation
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="Export the region tree",
        description=(
            "The caller's part of the tree, or the subtree at `root`, parents first. GeoJSON: "
            "a FeatureCollection whose features carry the boundary as geometry and code, "
            "parent_code, level, kind, name, population and households as properties. CSV: "
            "UTF-8 with a BOM, columns " + ",".join(transfer.CSV_COLUMNS) + ", the boundary "
            "as GeoJSON text. The response streams."
        ),
        parameters=[
            OpenApiParameter("format", str, enum=list(transfer.FORMATS), default=transfer.GEOJSON),
            OpenApiParameter(
                "root",
                str,
                description="Code of the subtree's root region.",
                pattern=r"^[0-9]{6,18}$",
            ),
        ],
        responses={
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
            (200, "text/csv"): OpenApiTypes.STR,
            404: OpenApiResponse(description="The root is missing or outside your jurisdiction."),
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        query = ExportQuery(
            data={
                key: value
                for key, value in (
                    ("format", request.query_params.get("format")),
                    ("root_code", request.query_params.get("root")),
                )
                # An empty parameter counts as absent, as in every query of the API.
                if value
            }
        )
        query.is_valid(raise_exception=True)
        fmt = query.validated_data["format"]
        root = query.validated_data.get("root_code")
        chunks = transfer.regions_export(actor=request_actor(request), fmt=fmt, root_code=root)
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in chunks), content_type=MEDIA_TYPES[fmt]
        )
        response["Content-Disposition"] = f'attachment; filename="regions-{root or "all"}.{fmt}"'
        return response


class ImportUploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="A .geojson or .csv file as written by the export.")
    format = serializers.ChoiceField(
        choices=transfer.FORMATS, required=False, help_text="Guessed from the file when absent."
    )
    dry_run = serializers.BooleanField(default=False)


class ImportJsonInput(serializers.Serializer):
    content = serializers.JSONField(
        help_text="A GeoJSON FeatureCollection, or the text of a CSV or GeoJSON file."
    )
    format = serializers.ChoiceField(choices=transfer.FORMATS, required=False)
    dry_run = serializers.BooleanField(default=False)


class RowErrorOutput(serializers.Serializer):
    row = serializers.IntegerField(help_text="CSV line (header = 1) or index of the feature.")
    where = serializers.CharField()
    code = serializers.CharField()
    problem = serializers.CharField(help_text="A stable slug, e.g. duplicate_code, overlap.")
    reason = serializers.CharField()


class RegionImportReportOutput(serializers.Serializer):
    ok = serializers.BooleanField()
    detail = serializers.CharField()
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField()
    rows = serializers.IntegerField()
    bad_rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    # DRF pops declared fields off the class, so this does not hide Serializer.errors.
    errors = RowErrorOutput(many=True)  # type: ignore[assignment]


class RegionImportApi(APIView):
    parser_classes = [BoundedJSONParser, MultiPartParser]
    permission_classes = [IsAuthenticated, CanManageRegions]

    @extend_schema(
        summary="Import regions (all or nothing)",
        description=(
            "Creates the new regions and updates the existing ones (name, kind, boundary, "
            "figures). Every row is checked first: when any row is bad the answer is 400 with "
            "every bad row and nothing is written. `dry_run` checks without writing. Upload "
            "large files as multipart; `dry_run` may also be given as a query parameter."
        ),
        parameters=[OpenApiParameter("dry_run", bool, required=False)],
        request={"multipart/form-data": ImportUploadInput, "application/json": ImportJsonInput},
        responses={
            200: RegionImportReportOutput,
            # Bad rows answer with the report; a malformed request with the common refusal.
            400: {
                "oneOf": [
                    {"$ref": "#/components/schemas/RegionImportReportOutput"},
                    {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"},
                ]
            },
        },
    )
    def post(self, request: Request) -> Response:
        given: Any = request.data
        if not hasattr(given, "get"):
            given = {}
        fields = {key: given[key] for key in ("format", "dry_run") if key in given}
        fields.setdefault("dry_run", request.query_params.get("dry_run", False))
        if "file" in request.FILES:
            upload = ImportUploadInput(data={**fields, "file": request.FILES["file"]})
            upload.is_valid(raise_exception=True)
            content: Any = upload.validated_data["file"].read()
            name = upload.validated_data["file"].name or ""
            data = upload.validated_data
        else:
            body = ImportJsonInput(data={**fields, "content": given.get("content")})
            body.is_valid(raise_exception=True)
            content, name, data = body.validated_data["content"], "", body.validated_data
        fmt = data.get("format") or transfer.detect_format(content, name)
        records = transfer.parse(content, fmt)
        report = transfer.regions_import(
            actor=request_actor(request), records=records, dry_run=data["dry_run"]
        )
        body_out = RegionImportReportOutput({**report.as_dict(), "detail": report.summary()}).data
        if report.ok:
            return Response(body_out)
        return Response({"code": "rows_rejected", **body_out}, status=400)
