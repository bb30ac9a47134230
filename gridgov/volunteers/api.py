"""The volunteer API: service events with sign-up, check-in and check-out; hours and stars;
residents' micro-wishes and their steps."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.core.access import Perm
from gridgov.core.api_responses import BAD_INPUT, FORBIDDEN, NOT_FOUND, refusal
from gridgov.core.clientaddress import client_address
from gridgov.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from gridgov.core.pagination import DefaultPagination, page_schema
from gridgov.core.scoping import require_permission
from gridgov.volunteers import selectors
from gridgov.volunteers.serializers import (
    CorrectInput,
    EventDetailOutput,
    EventInputSerializer,
    EventListFilter,
    EventOutput,
    HoursFilter,
    HoursOutput,
    MemberInput,
    SignUpOutput,
    TimedInput,
    WishInputSerializer,
    WishListFilter,
    WishOutput,
    WishPhoneInput,
    WishPhoneOutput,
    WishStepInput,
)
from gridgov.volunteers.services import events as event_services
from gridgov.volunteers.services.wishes import wish_record, wish_reveal_phone, wish_step
from gridgov.volunteers.states import WishStep

CONFLICT = refusal("Not now: full, over, already done, or the wrong state.")


def _detail(event_id: int, request: Request) -> Response:
    actor = actor_from(request)
    event = selectors.event_get(actor=actor, event_id=event_id)
    entries = list(selectors.event_sign_ups(event=event, include_withdrawn=True))
    body = EventDetailOutput(event).data | {"sign_ups": SignUpOutput(entries, many=True).data}
    return Response(body)


class EventListApi(APIView):
    @extend_schema(
        operation_id="v1_volunteer_events_list",
        summary="The service events of your places, latest first, with sign-ups and check-ins",
        parameters=[EventListFilter],
        responses={
            200: page_schema(EventOutput(many=True), name="PaginatedVolunteerEventList"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        params = EventListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        events = selectors.event_list(
            actor=actor,
            filters=selectors.EventFilters(
                region_code=query.get("region", ""),
                starts_after=query.get("starts_after"),
                starts_before=query.get("starts_before"),
            ),
        )
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(EventOutput(page, many=True).data)

    @extend_schema(
        operation_id="v1_volunteer_events_create",
        summary="Hold a service event at a place of your jurisdiction",
        request=EventInputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: EventDetailOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.VOLUNTEERS_MANAGE)
        data = EventInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = event_services.event_create(actor=actor, data=data.to_input())
        response = _detail(event.pk, request)
        response.status_code = status.HTTP_201_CREATED
        response["Location"] = reverse("volunteers-api:event-detail", args=[event.pk])
        return response


class EventDetailApi(APIView):
    @extend_schema(
        operation_id="v1_volunteer_events_detail",
        summary="One service event with its volunteers' sign-ups, check-ins and minutes",
        responses={200: EventDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, event_id: int) -> Response:
        return _detail(event_id, request)


# The body of a step is optional (a volunteer acting for themselves sends none), so a body of a
# type no parser reads is answered, not ignored.
UNSUPPORTED = OpenApiResponse(OpenApiTypes.OBJECT, description="A body no parser reads.")
STEP_RESPONSES = {
    200: SignUpOutput,
    400: BAD_INPUT,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: CONFLICT,
    415: UNSUPPORTED,
}


class SignUpApi(APIView):
    @extend_schema(
        operation_id="v1_volunteer_events_sign_up",
        summary="Sign up for the event (yourself, or an organiser for a named volunteer)",
        request=MemberInput,
        responses=STEP_RESPONSES,
    )
    def post(self, request: Request, event_id: int) -> Response:
        require_permission(actor_from(request), Perm.VOLUNTEERS_VIEW)
        data = MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = data.validated_data.get("member")
        event = selectors.event_get(
            actor=actor_from(request),
            event_id=event_id,
            permission=Perm.VOLUNTEERS_MANAGE if member is not None else Perm.VOLUNTEERS_SERVE,
        )
        entry = event_services.sign_up(actor=actor_from(request), event=event, member_id=member)
        return Response(SignUpOutput(entry).data)


class WithdrawApi(APIView):
    @extend_schema(
        operation_id="v1_volunteer_events_withdraw",
        summary="Give the place back before checking in",
        request=MemberInput,
        responses=STEP_RESPONSES,
    )
    def post(self, request: Request, event_id: int) -> Response:
        require_permission(actor_from(request), Perm.VOLUNTEERS_VIEW)
        data = MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = data.validated_data.get("member")
        event = selectors.event_get(
            actor=actor_from(request),
            event_id=event_id,
            permission=Perm.VOLUNTEERS_MANAGE if member is not None else Perm.VOLUNTEERS_SERVE,
        )
        entry = event_services.sign_up_withdraw(
            actor=actor_from(request), event=event, member_id=member
        )
        return Response(SignUpOutput(entry).data)


def _timed_step(request: Request, event_id: int, step: Any) -> Response:
    """Check in or out: for oneself (serving), or for a named volunteer (organisers), at a time."""
    require_permission(actor_from(request), Perm.VOLUNTEERS_VIEW)
    data = TimedInput(data=request.data)
    data.is_valid(raise_exception=True)
    member = data.validated_data.get("member")
    event = selectors.event_get(
        actor=actor_from(request),
        event_id=event_id,
        permission=Perm.VOLUNTEERS_MANAGE if member is not None else Perm.VOLUNTEERS_SERVE,
    )
    entry = step(
        actor=actor_from(request), event=event, member_id=member, at=data.validated_data.get("at")
    )
    return Response(SignUpOutput(entry).data)


class CheckInApi(APIView):
    @extend_schema(
        operation_id="v1_volunteer_events_check_in",
        summary="Check in at the event (from an hour before it starts)",
        request=TimedInput,
        responses=STEP_RESPONSES,
    )
    def post(self, request: Request, event_id: int) -> Response:
        return _timed_step(request, event_id, event_services.check_in)


class CheckOutApi(APIView):
    @extend_schema(
        operation_id="v1_volunteer_events_check_out",
        summary="Check out of the event; the minutes served follow from the times (capped)",
        request=TimedInput,
        responses=STEP_RESPONSES,
    )
    def post(self, request: Request, event_id: int) -> Response:
        return _timed_step(request, event_id, event_services.check_out)


class CorrectApi(APIView):
    @extend_schema(
        operation_id="v1_volunteer_events_correct",
        summary="Set the minutes a volunteer served at the event, with the reason (organisers)",
        request=CorrectInput,
        responses=STEP_RESPONSES,
    )
    def post(self, request: Request, event_id: int) -> Response:
        require_permission(actor_from(request), Perm.VOLUNTEERS_VIEW)
        data = CorrectInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = selectors.event_get(
            actor=actor_from(request), event_id=event_id, permission=Perm.VOLUNTEERS_MANAGE
        )
        entry = event_services.sign_up_correct(
            actor=actor_from(request),
            event=event,
            member_id=data.validated_data["member"],
            minutes=data.validated_data["minutes"],
            note=data.validated_data["note"],
        )
        return Response(SignUpOutput(entry).data)


class HoursApi(APIView):
    @extend_schema(
        operation_id="v1_volunteer_hours",
        summary="Volunteers of your places with their service hours and stars, most hours first",
        parameters=[HoursFilter],
        responses={
            200: page_schema(HoursOutput(many=True), name="PaginatedVolunteerHoursList"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        params = HoursFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.volunteer_hours(
            actor=actor,
            region_code=params.validated_data.get("region", ""),
            min_stars=params.validated_data["min_stars"],
        )
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(HoursOutput(page, many=True).data)


class WishListApi(APIView):
    @extend_schema(
        operation_id="v1_micro_wishes_list",
        summary="Residents' micro-wishes of your places, newest first, with whose move it is",
        parameters=[WishListFilter],
        responses={
            200: page_schema(WishOutput(many=True), name="PaginatedMicroWishList"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        params = WishListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        wishes = selectors.wish_list(
            actor=actor,
            filters=selectors.WishFilters(
                region_code=query.get("region", ""),
                state=query.get("state", ""),
                show=query.get("show", ""),
            ),
        )
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(wishes, request, view=self)
        return paginator.get_paginated_response(WishOutput(page, many=True).data)

    @extend_schema(
        operation_id="v1_micro_wishes_record",
        summary="Record a resident's micro-wish for them (organisers)",
        request=WishInputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: WishOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.VOLUNTEERS_MANAGE)
        data = WishInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wish = wish_record(actor=actor, data=data.to_input())
        return Response(
            WishOutput(selectors.wish_get(actor=actor, wish_id=wish.pk)).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("volunteers-api:wish-detail", args=[wish.pk])},
        )


class WishDetailApi(APIView):
    @extend_schema(
        operation_id="v1_micro_wishes_detail",
        summary="One micro-wish",
        responses={200: WishOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, wish_id: int) -> Response:
        wish = selectors.wish_get(actor=actor_from(request), wish_id=wish_id)
        return Response(WishOutput(wish).data)


class WishStepApi(APIView):
    @extend_schema(
        operation_id="v1_micro_wishes_step",
        summary="Take a step: take (up), release, fulfil, confirm, reopen, withdraw",
        request=WishStepInput,
        responses={
            200: WishOutput,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request: Request, wish_id: int) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.VOLUNTEERS_VIEW)
        data = WishStepInput(data=request.data)
        data.is_valid(raise_exception=True)
        wish = selectors.wish_get(actor=actor, wish_id=wish_id)
        wish = wish_step(
            actor=actor,
            wish=wish,
            step=WishStep(data.validated_data["step"]),
            note=data.validated_data["note"],
            member_id=data.validated_data.get("member"),
        )
        return Response(WishOutput(selectors.wish_get(actor=actor, wish_id=wish.pk)).data)


class WishPhoneApi(APIView):
    @extend_schema(
        operation_id="v1_micro_wishes_phone",
        summary="The resident's phone in full, for a reason (audited)",
        description=(
            "For the volunteer who took the wish up, while it is open, and its organisers; "
            "anyone else who may read the wish is refused (403) and the attempt is audited."
        ),
        request=WishPhoneInput,
        responses={
            200: WishPhoneOutput,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request: Request, wish_id: int) -> Response:
        actor = actor_from(request)
        wish = selectors.wish_get(actor=actor, wish_id=wish_id)
        data = WishPhoneInput(data=request.data)
        data.is_valid(raise_exception=True)
        phone = wish_reveal_phone(
            actor=actor,
            wish=wish,
            reason=data.validated_data["reason"],
            client_address=client_address(request),
        )
        return Response({"phone": phone})
