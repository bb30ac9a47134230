"""The trainings API: courses, their sessions with attendance recorded in one batch, the
attendance records, certificates, and the people trained by kind for a place and period."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.core.access import Perm
from gridgov.core.api_responses import BAD_INPUT, FORBIDDEN, NOT_FOUND, refusal
from gridgov.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from gridgov.core.pagination import DefaultPagination, page_schema
from gridgov.core.scoping import require_permission
from gridgov.trainings import links, selectors, services
from gridgov.trainings.serializers import (
    AttendanceFilter,
    AttendanceInput,
    AttendanceOutput,
    CertificateFilter,
    CertificateOutput,
    CourseFilter,
    CourseInputSerializer,
    CourseListOutput,
    CourseOutput,
    PeriodFilter,
    SessionDetailOutput,
    SessionFilter,
    SessionInputSerializer,
    SessionListOutput,
    TrainedResponse,
)

CONFLICT = refusal("Not yet: the session has not started.")


class CourseListApi(APIView):
    @extend_schema(
        operation_id="v1_training_courses_list",
        summary="The training courses of your places, by place and the kind of team they train",
        parameters=[CourseFilter],
        responses={
            200: page_schema(CourseListOutput(many=True), name="PaginatedTrainingCourseList"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        params = CourseFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        courses = selectors.course_list(
            actor=actor_from(request),
            filters=selectors.CourseFilters(
                kind=params.validated_data.get("kind", ""),
                region_code=params.validated_data.get("region", ""),
            ),
        )
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(courses, request, view=self)
        return paginator.get_paginated_response(CourseListOutput(page, many=True).data)

    @extend_schema(
        operation_id="v1_training_courses_create",
        summary="Set up a course at a place of your jurisdiction",
        request=CourseInputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: CourseOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.TRAININGS_MANAGE)
        data = CourseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = services.course_create(actor=actor, data=data.to_input())
        return Response(
            CourseOutput(course).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("trainings-api:course-detail", args=[course.pk])},
        )


class CourseDetailApi(APIView):
    @extend_schema(
        operation_id="v1_training_courses_detail",
        summary="One training course",
        responses={200: CourseOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, course_id: int) -> Response:
        course = selectors.course_get(actor=actor_from(request), course_id=course_id)
        return Response(CourseOutput(course).data)


def _session_detail(request: Request, session_id: int) -> dict[str, Any]:
    session = selectors.session_get(actor=actor_from(request), session_id=session_id)
    session.attendance_rows = list(selectors.session_attendance(session=session))  # type: ignore[attr-defined]
    return dict(SessionDetailOutput(session).data)


class SessionListApi(APIView):
    @extend_schema(
        operation_id="v1_training_sessions_list",
        summary="The training sessions held at your places, latest first, with attendance counts",
        parameters=[SessionFilter],
        responses={
            200: page_schema(SessionListOutput(many=True), name="PaginatedTrainingSessionList"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        params = SessionFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        sessions = selectors.session_list(
            actor=actor_from(request),
            filters=selectors.SessionFilters(
                course_id=query.get("course"),
                kind=query.get("kind", ""),
                region_code=query.get("region", ""),
                starts_after=query.get("starts_after"),
                starts_before=query.get("starts_before"),
            ),
        )
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(sessions, request, view=self)
        return paginator.get_paginated_response(SessionListOutput(page, many=True).data)

    @extend_schema(
        operation_id="v1_training_sessions_create",
        summary="Schedule a session of a course at its place or one below it",
        request=SessionInputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: SessionDetailOutput, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.TRAININGS_MANAGE)
        data = SessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = selectors.course_get(
            actor=actor, course_id=data.validated_data["course"], permission=Perm.TRAININGS_VIEW
        )
        session = services.session_create(actor=actor, course=course, data=data.to_input())
        return Response(
            _session_detail(request, session.pk),
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("trainings-api:session-detail", args=[session.pk])},
        )


class SessionDetailApi(APIView):
    @extend_schema(
        operation_id="v1_training_sessions_detail",
        summary="One training session with its attendance, results and certificates",
        responses={200: SessionDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, session_id: int) -> Response:
        return Response(_session_detail(request, session_id))


class AttendanceRecordApi(APIView):
    @extend_schema(
        operation_id="v1_training_sessions_attendance",
        summary="Record who attended and who passed (all or nothing); a pass issues a certificate",
        request=AttendanceInput,
        responses={
            200: SessionDetailOutput,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request: Request, session_id: int) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.TRAININGS_MANAGE)
        session = selectors.session_get(
            actor=actor, session_id=session_id, permission=Perm.TRAININGS_MANAGE
        )
        data = AttendanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.attendance_record(actor=actor, session=session, entries=data.to_entries())
        return Response(_session_detail(request, session.pk))


class AttendanceListApi(APIView):
    @extend_schema(
        operation_id="v1_training_attendance_list",
        summary="Attendance records of the trainees serving in your places, latest first",
        parameters=[AttendanceFilter],
        responses={
            200: page_schema(AttendanceOutput(many=True), name="PaginatedTrainingAttendanceList"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        params = AttendanceFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        rows = selectors.attendance_list(
            actor=actor_from(request),
            filters=selectors.AttendanceFilters(
                region_code=query.get("region", ""),
                kind=query.get("kind", ""),
                held_from=query.get("from"),
                held_to=query.get("to"),
                attended=query.get("attended"),
                passed=query.get("passed"),
                user_id=query.get("user"),
                session_id=query.get("session"),
            ),
        ).select_related("certificate")
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(AttendanceOutput(page, many=True).data)


class CertificateListApi(APIView):
    @extend_schema(
        operation_id="v1_training_certificates_list",
        summary="Certificates of the trainees serving in your places, soonest to expire first",
        parameters=[CertificateFilter],
        responses={
            200: page_schema(CertificateOutput(many=True), name="PaginatedTrainingCertificateList"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        params = CertificateFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.certificate_list(
            actor=actor_from(request),
            filters=selectors.CertificateFilters(
                region_code=params.validated_data.get("region", ""),
                status=params.validated_data.get("status", ""),
                kind=params.validated_data.get("kind", ""),
            ),
        )
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(CertificateOutput(page, many=True).data)


class TrainedApi(APIView):
    @extend_schema(
        operation_id="v1_trainings_trained",
        summary="People trained in a place and period, by the kind of team; each figure links "
        "to the attendance records it counts",
        parameters=[PeriodFilter],
        responses={200: TrainedResponse, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        params = PeriodFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        region = params.validated_data.get("region", "")
        held_from, held_to = params.validated_data.get("from"), params.validated_data.get("to")
        rows = selectors.trained_by_kind(
            actor=actor_from(request), region_code=region, held_from=held_from, held_to=held_to
        )
        period = {"region_code": region, "held_from": held_from, "held_to": held_to}
        kinds = [
            {
                "kind": row.kind,
                "kind_label": row.label,
                "trained": row.trained,
                "people": row.people,
                "passed": row.passed,
                "href": links.attendance_api(kind=row.kind, **period),
                "page": links.attendance_page(kind=row.kind, **period),
            }
            for row in rows
        ]
        body = {
            "region": region,
            "date_from": held_from,
            "date_to": held_to,
            "kinds": kinds,
            "total": sum(row.trained for row in rows),
        }
        return Response(TrainedResponse(body).data)


class TrainingListApi(SessionListApi):
    """`GET /api/v1/trainings/`: the trainings held, as the session list gives them (the issue's
    address for "the trainings"; courses, attendance, certificates and the figures have their
    own). Reading only: sessions are scheduled at `/api/v1/trainings/sessions/`."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="v1_trainings_list",
        summary="The trainings held at your places (their sessions), latest first",
        parameters=[SessionFilter],
        responses={
            200: page_schema(SessionListOutput(many=True), name="PaginatedTrainingList"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        return super().get(request)
