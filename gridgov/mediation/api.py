"""Mediation API: the centres, the files (the desk registers a dispute), one file."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.core.api_responses import BAD_INPUT, FORBIDDEN, KEY_REUSED, NOT_FOUND, refusal
from gridgov.core.clientaddress import client_address
from gridgov.core.errors import ValidationFailed
from gridgov.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from gridgov.mediation import errors, selectors
from gridgov.mediation.analysis import analysis_report, report_names
from gridgov.mediation.documents import DOCX, file_document
from gridgov.mediation.figures import seed_figures
from gridgov.mediation.report_files import report_pdf, report_xlsx
from gridgov.mediation.serializers import (
    CentreListFilter,
    CentreOutput,
    FiguresOutput,
    FileDetailOutput,
    FileListFilter,
    FileListItem,
    FileOpenInput,
    FilePageOutput,
    MeetingDetailOutput,
    MeetingFilter,
    MeetingInputSerializer,
    MeetingOutput,
    PeriodFilter,
    RiskDetailOutput,
    RiskInputSerializer,
    RiskListFilter,
    RiskOutput,
    RiskPageOutput,
)
from gridgov.mediation.services import dispute_register, meeting_record, risk_raise

PAGE_SIZE = 100
CONFLICT = refusal("The record's state does not allow this.")


class CentreListApi(APIView):
    @extend_schema(
        operation_id="v1_mediation_centres_list",
        summary="The mediation centres of your jurisdiction",
        parameters=[CentreListFilter],
        responses={200: CentreOutput(many=True), 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        params = CentreListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        centres = selectors.centre_list(
            actor=actor,
            level=params.validated_data.get("level", ""),
            within=params.validated_data.get("region", ""),
        )
        return Response(CentreOutput(centres, many=True).data)


class FileListApi(APIView):
    @extend_schema(
        operation_id="v1_mediation_files_list",
        summary="Mediation files of your jurisdiction, newest first (parties masked)",
        parameters=[FileListFilter],
        responses={200: FilePageOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        params = FileListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        files = selectors.file_list(
            actor=actor,
            filters=selectors.FileFilters(
                region_code=query.get("region", ""),
                centre_id=query.get("centre"),
                open_only=query["open"],
                mine=query["mine"],
                outcome=query.get("outcome", ""),
                centre_level=query.get("centre_level", ""),
                registered_from=query.get("registered_from"),
                registered_before=query.get("registered_before"),
                concluded_from=query.get("concluded_from"),
                concluded_before=query.get("concluded_before"),
                referred_from=query.get("referred_from"),
                referred_before=query.get("referred_before"),
            ),
        )
        return Response({"results": FileListItem(files[:PAGE_SIZE], many=True).data})

    @extend_schema(
        summary="Register a dispute at a centre's desk and open its mediation file",
        description="A walk-in or telephone dispute becomes a case handled at the centre's "
        "level and its file; with `case`, a dispute case already reported gets its file. "
        "ID numbers and phones are kept encrypted and answered masked.",
        request=FileOpenInput,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            201: FileDetailOutput,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,  # the centre is missing or outside the jurisdiction
            409: CONFLICT,  # the case already has a file
            422: KEY_REUSED,
        },
    )
    @idempotent
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        data = FileOpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        file = dispute_register(
            actor=actor, data=data.to_input(), client_address=client_address(request)
        )
        file = selectors.file_get(actor=actor, number=file.number)
        return Response(
            FileDetailOutput(file).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("mediation-api:file-detail", args=[file.number])},
        )


class FileDetailApi(APIView):
    @extend_schema(
        summary="One mediation file: parties (masked), sessions, outcome, follow-up",
        responses={200: FileDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, number: str) -> Response:
        actor = actor_from(request)
        return Response(FileDetailOutput(selectors.file_get(actor=actor, number=number)).data)


class FileDocumentApi(APIView):
    @extend_schema(
        operation_id="v1_mediation_file_document",
        summary="A document of the file: PDF (CJK font embedded), or .docx for those staff edit",
        description="`kind`: application, rights-notice, record, agreement, follow-up, cover; "
        "`format`: pdf, or docx for application and agreement. The document names the parties "
        "in full, so each one produced is written to the audit log.",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, DOCX): OpenApiTypes.BINARY,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, number: str, kind: str, fmt: str) -> HttpResponse:
        rendered = file_document(
            actor=actor_from(request),
            number=number,
            kind=kind,
            fmt=fmt,
            client_address=client_address(request),
        )
        response = HttpResponse(rendered.content, content_type=rendered.content_type)
        response["Content-Disposition"] = f'inline; filename="{rendered.filename}"'
        response["Cache-Control"] = "no-store"
        return response


class RiskListApi(APIView):
    @extend_schema(
        operation_id="v1_risks_list",
        summary="The risk register of your jurisdiction: red and orange first, then newest",
        parameters=[RiskListFilter],
        responses={200: RiskPageOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        params = RiskListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        risks = selectors.risk_list(
            actor=actor,
            filters=selectors.RiskFilters(
                region_code=query.get("region", ""),
                level=query.get("level", ""),
                status=query.get("status", ""),
                open_only=query["open"],
                found_from=query.get("found_from"),
                found_before=query.get("found_before"),
                resolved_from=query.get("resolved_from"),
                resolved_before=query.get("resolved_before"),
            ),
        )
        return Response({"results": RiskOutput(risks[:PAGE_SIZE], many=True).data})

    @extend_schema(
        summary="Raise a risk (a hidden danger of unstable problems), on its own or from cases",
        request=RiskInputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: RiskDetailOutput, 400: BAD_INPUT, 403: FORBIDDEN, 422: KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        data = RiskInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        risk = risk_raise(actor=actor, data=data.to_input())
        risk = selectors.risk_get(actor=actor, risk_id=risk.pk)
        return Response(
            RiskDetailOutput(risk).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("mediation-api:risk-detail", args=[risk.pk])},
        )


class RiskDetailApi(APIView):
    @extend_schema(
        summary="One risk: its cases, measures and follow-ups",
        responses={200: RiskDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, risk_id: int) -> Response:
        actor = actor_from(request)
        return Response(RiskDetailOutput(selectors.risk_get(actor=actor, risk_id=risk_id)).data)


def period_of(request: Request) -> tuple[str, datetime, datetime]:
    """The region and the period [since, until) a report or figures ask for."""
    params = PeriodFilter(data=request.query_params)
    params.is_valid(raise_exception=True)
    today = timezone.localdate()
    last = params.validated_data.get("to") or today
    first = params.validated_data.get("from") or last - timedelta(days=29)
    zone = timezone.get_current_timezone()
    since = datetime.combine(first, time.min, tzinfo=zone)
    until = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return params.validated_data["region"], since, until


class FiguresApi(APIView):
    @extend_schema(
        operation_id="v1_figures",
        summary="The seed's figures for a region and period, each with the list behind it",
        description="Disputes accepted (files opened), referred out of people's mediation, "
        "resolved by village, town and county centres; hidden dangers found and resolved. "
        "Each `href` lists exactly the records its `value` counts.",
        parameters=[
            PeriodFilter,
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (included)."),
        ],
        responses={200: FiguresOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        region, since, until = period_of(request)
        figures = seed_figures(actor=actor, region_code=region, since=since, until=until)
        return Response(
            FiguresOutput(
                {"region": region, "since": since, "until": until, "figures": figures}
            ).data
        )


class _IgnoreFormatNegotiation(BaseContentNegotiation):
    """`format` names the report's file type (json, pdf, xlsx), not a DRF renderer."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AnalysisReportApi(APIView):
    content_negotiation_class = _IgnoreFormatNegotiation

    @extend_schema(
        operation_id="v1_reports_analysis",
        summary="Analysis and judgment for a region and period (JSON, or format=pdf or xlsx)",
        description="Disputes by kind and level, resolution and on-time rates, where disputes "
        "were resolved, referrals by direction, open risks, hotspots (grids whose count is "
        "above their own history by a Poisson upper-tail test, p < 0.01, at least 3), and the "
        "seed's figures with the lists behind them.",
        parameters=[
            PeriodFilter,
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (included)."),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "pdf", "xlsx"]),
        ],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, XLSX): OpenApiTypes.BINARY,
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> HttpResponseBase:
        actor = actor_from(request)
        region, since, until = period_of(request)
        fmt = request.query_params.get("format", "json")
        if fmt not in ("json", "pdf", "xlsx"):
            raise ValidationFailed.on("format", errors.BAD_FORMAT)
        report = analysis_report(actor=actor, region_code=region, since=since, until=until)
        if fmt == "json":
            return Response(report.as_dict())
        names = report_names(actor=actor, report=report)
        if fmt == "pdf":
            response = HttpResponse(report_pdf(report, names=names), content_type="application/pdf")
        else:
            response = HttpResponse(report_xlsx(report, names=names), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="analysis-{region or "all"}.{fmt}"'
        return response


class MeetingListApi(APIView):
    @extend_schema(
        operation_id="v1_reports_analysis_meetings_list",
        summary="Joint meetings of your jurisdiction; with region, from and to, those on that report",
        parameters=[
            MeetingFilter,
            OpenApiParameter("from", OpenApiTypes.DATE, description="The report's first day."),
        ],
        responses={200: MeetingOutput(many=True), 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        params = MeetingFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        meetings = selectors.meeting_list(
            actor=actor,
            region_code=query["region"],
            since=query.get("from"),
            until=query.get("to"),
        )
        return Response(MeetingOutput(meetings[:PAGE_SIZE], many=True).data)

    @extend_schema(
        summary="Record a joint meeting on an analysis report",
        description="Attendees, the cases and risks discussed, the decisions and follow-up "
        "tasks (each with its owner's username and a deadline; the task shows on the owner's "
        "mediation home until they mark it done).",
        request=MeetingInputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: MeetingDetailOutput, 400: BAD_INPUT, 403: FORBIDDEN, 422: KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        data = MeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = meeting_record(actor=actor, data=data.to_input())
        meeting = selectors.meeting_get(actor=actor, meeting_id=meeting.pk)
        return Response(
            MeetingDetailOutput(meeting).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("mediation-api:meeting-detail", args=[meeting.pk])},
        )


class MeetingDetailApi(APIView):
    @extend_schema(
        operation_id="v1_reports_analysis_meeting",
        summary="A joint meeting with its tasks",
        responses={200: MeetingDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        actor = actor_from(request)
        meeting = selectors.meeting_get(actor=actor, meeting_id=meeting_id)
        return Response(MeetingDetailOutput(meeting).data)
