"""The activities API: the front lines' log of the actor's jurisdiction, logging one, and a
patrol walked from a phone (start, check in, report a problem as a case, finish)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.activities import selectors, services
from gridgov.activities.serializers import (
    ActivityDetailOutput,
    ActivityInputSerializer,
    ActivityListFilter,
    ActivityOutput,
    CheckInInput,
    CheckInOutput,
    FinishInput,
    PatrolStartInput,
    ProblemInput,
    ProblemOutput,
)
from gridgov.cases.models import Channel, Urgency
from gridgov.cases.services import CaseInput
from gridgov.core.api_responses import BAD_INPUT, FORBIDDEN, KEY_REUSED, NOT_FOUND, refusal
from gridgov.core.clientaddress import client_address
from gridgov.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from gridgov.core.jsonbody import BoundedJSONParser
from gridgov.core.pagination import DefaultPagination, page_schema

CONFLICT = refusal("The patrol's state does not allow it.")


def _detail(activity_id: int, request: Request) -> Response:
    activity = selectors.activity_get(actor=actor_from(request), activity_id=activity_id)
    return Response(ActivityDetailOutput(activity).data)


class ActivityListApi(APIView):
    @extend_schema(
        operation_id="v1_activities_list",
        summary="The front lines' activities of your jurisdiction, newest first",
        parameters=[ActivityListFilter],
        responses={
            200: page_schema(ActivityOutput(many=True), name="PaginatedActivityList"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        params = ActivityListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        activities = selectors.activity_list(
            actor=actor,
            filters=selectors.ActivityFilters(
                kind=query.get("kind", ""),
                region_code=query.get("region", ""),
                person=query.get("person", ""),
                since=query.get("since"),
                until=query.get("until"),
                open_only=query["open"],
            ),
        )
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(activities, request, view=self)
        return paginator.get_paginated_response(ActivityOutput(page, many=True).data)

    @extend_schema(
        operation_id="v1_activities_log",
        summary="Log an activity you did (a patrol is started and walked instead)",
        description="JSON, or multipart with `photos` (JPEG, PNG or WebP, at most 6).",
        request=ActivityInputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            201: ActivityDetailOutput,
            400: BAD_INPUT,
            403: FORBIDDEN,
            422: KEY_REUSED,
        },
    )
    @idempotent
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        data = ActivityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        activity = services.activity_log(
            actor=actor, data=data.to_input(request.FILES.getlist("photos"))
        )
        response = _detail(activity.pk, request)
        response.status_code = status.HTTP_201_CREATED
        response["Location"] = reverse("activities-api:detail", args=[activity.pk])
        return response


class ActivityDetailApi(APIView):
    @extend_schema(
        operation_id="v1_activities_detail",
        summary="One activity: with a patrol's check-ins and the cases reported from it",
        responses={200: ActivityDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, activity_id: int) -> Response:
        return _detail(activity_id, request)


class PatrolStartApi(APIView):
    parser_classes = [BoundedJSONParser]  # no files: JSON only

    @extend_schema(
        operation_id="v1_activities_patrol_start",
        summary="Start a patrol of your grid now (one open patrol at a time)",
        request=PatrolStartInput,
        responses={
            201: ActivityDetailOutput,
            400: BAD_INPUT,
            403: FORBIDDEN,
            409: CONFLICT,
        },
    )
    # Not keyed: a second start while one is under way is refused (409), so a retry makes no
    # second patrol.
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        data = PatrolStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        patrol = services.patrol_start(
            actor=actor,
            region_code=data.validated_data.get("region_code", ""),
            topic=data.validated_data.get("topic", ""),
        )
        response = _detail(patrol.pk, request)
        response.status_code = status.HTTP_201_CREATED
        response["Location"] = reverse("activities-api:detail", args=[patrol.pk])
        return response


class PatrolCheckInApi(APIView):
    parser_classes = [BoundedJSONParser]  # no files: JSON only

    @extend_schema(
        operation_id="v1_activities_check_in",
        summary="Check in on your patrol where you are (the point must lie in your grid)",
        request=CheckInInput,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            201: CheckInOutput,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
            422: KEY_REUSED,
        },
    )
    @idempotent
    def post(self, request: Request, activity_id: int) -> Response:
        actor = actor_from(request)
        patrol = selectors.activity_get(actor=actor, activity_id=activity_id, log=True)
        data = CheckInInput(data=request.data)
        data.is_valid(raise_exception=True)
        check_in = services.patrol_check_in(
            actor=actor,
            patrol=patrol,
            latitude=data.validated_data["latitude"],
            longitude=data.validated_data["longitude"],
            accuracy_m=data.validated_data.get("accuracy_m"),
            note=data.validated_data.get("note", ""),
        )
        return Response(CheckInOutput(check_in).data, status=status.HTTP_201_CREATED)


class PatrolProblemApi(APIView):
    @extend_schema(
        operation_id="v1_activities_patrol_problem",
        summary="Report a problem found on your patrol as a case, linked to the patrol",
        description="JSON, or multipart with `photos`. The case's channel is grid patrol.",
        request=ProblemInput,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            201: ProblemOutput,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
            422: KEY_REUSED,
        },
    )
    @idempotent
    def post(self, request: Request, activity_id: int) -> Response:
        actor = actor_from(request)
        patrol = selectors.activity_get(actor=actor, activity_id=activity_id, log=True)
        data = ProblemInput(data=request.data)
        data.is_valid(raise_exception=True)
        query = data.validated_data
        case = services.patrol_report_problem(
            actor=actor,
            patrol=patrol,
            data=CaseInput(
                category_code=query["category"],
                description=query["description"],
                title=query.get("title", ""),
                urgency=query.get("urgency", Urgency.NORMAL),
                channel=Channel.GRID_PATROL,
                latitude=query["latitude"],
                longitude=query["longitude"],
                photos=request.FILES.getlist("photos"),
            ),
            client_address=client_address(request),
        )
        return Response(ProblemOutput(case).data, status=status.HTTP_201_CREATED)


class PatrolFinishApi(APIView):
    @extend_schema(
        operation_id="v1_activities_patrol_finish",
        summary="Finish your patrol now, with what came of it",
        request=FinishInput,
        responses={
            200: ActivityDetailOutput,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request: Request, activity_id: int) -> Response:
        actor = actor_from(request)
        patrol = selectors.activity_get(actor=actor, activity_id=activity_id, log=True)
        data = FinishInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.patrol_finish(
            actor=actor,
            patrol=patrol,
            outcome=data.validated_data.get("outcome", ""),
            photos=request.FILES.getlist("photos"),
        )
        return _detail(activity_id, request)
