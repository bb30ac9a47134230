"""Broadcast messages over the API: list and compose, one message, edit, and its steps."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.broadcast import selectors
from gridgov.broadcast.cap import CAP_CONTENT_TYPE, cap_alert
from gridgov.broadcast.models import Broadcast
from gridgov.broadcast.serializers import (
    ActionInput,
    BroadcastCreateInput,
    BroadcastListFilter,
    BroadcastOutput,
    BroadcastPageOutput,
    BroadcastWriteInput,
    DeliveryListFilter,
    DeliveryOutput,
    DeliveryPageOutput,
    input_of,
)
from gridgov.broadcast.services import broadcast_create, broadcast_transition, broadcast_update
from gridgov.broadcast.states import Action
from gridgov.core.api_responses import BAD_INPUT, FORBIDDEN, KEY_REUSED, NOT_FOUND, refusal
from gridgov.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent

CONFLICT = refusal("The message's state does not allow this.")


def _output(broadcast: Broadcast, actor: Any) -> dict[str, Any]:
    names = selectors.target_names(codes=broadcast.target_codes)
    return dict(BroadcastOutput(broadcast, context={"actor": actor, "names": names}).data)


class BroadcastListApi(APIView):
    @extend_schema(
        operation_id="v1_broadcasts_list",
        summary="The broadcast messages of your jurisdiction, newest first",
        parameters=[BroadcastListFilter],
        responses={200: BroadcastPageOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        params = BroadcastListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        messages = selectors.broadcast_list(actor=actor, state=query.get("state")).order_by("-id")
        if query.get("before"):
            messages = messages.filter(pk__lt=query["before"])
        size = query["page_size"]
        rows = list(messages[: size + 1])
        next_url = (
            replace_query_param(request.build_absolute_uri(), "before", rows[size - 1].pk)
            if len(rows) > size
            else None
        )
        names = selectors.target_names(codes={code for row in rows for code in row.target_codes})
        context = {"actor": actor, "names": names}
        return Response(
            {
                "results": BroadcastOutput(rows[:size], many=True, context=context).data,
                "next": next_url,
            }
        )

    @extend_schema(
        summary="Compose a message (a draft, or submitted for approval with `submit`)",
        request=BroadcastCreateInput,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: BroadcastOutput, 400: BAD_INPUT, 403: FORBIDDEN, 422: KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        data = BroadcastCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        broadcast = broadcast_create(
            actor=actor, data=data.to_input(), submit=data.validated_data["submit"]
        )
        return Response(
            _output(broadcast, actor),
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("broadcast-api:detail", args=[broadcast.pk])},
        )


class BroadcastDetailApi(APIView):
    @extend_schema(
        operation_id="v1_broadcasts_retrieve",
        summary="One message, with what you may do to it now",
        responses={200: BroadcastOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, broadcast_id: int) -> Response:
        actor = actor_from(request)
        broadcast = selectors.broadcast_get(actor=actor, broadcast_id=broadcast_id)
        return Response(_output(broadcast, actor))

    @extend_schema(
        summary="Edit a message (the fields given); an approved one goes back for approval",
        request=BroadcastWriteInput(partial=True),
        responses={
            200: BroadcastOutput,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def patch(self, request: Request, broadcast_id: int) -> Response:
        actor = actor_from(request)
        broadcast = selectors.broadcast_get(actor=actor, broadcast_id=broadcast_id)
        given: Any = request.data if isinstance(request.data, dict) else {}
        if hasattr(given, "getlist"):  # a multipart or form body: targets repeat as a list
            given = {key: given.getlist(key) if key == "targets" else given[key] for key in given}
        data = BroadcastWriteInput(data={**input_of(broadcast), **given})
        data.is_valid(raise_exception=True)
        broadcast = broadcast_update(actor=actor, broadcast=broadcast, data=data.to_input())
        return Response(_output(broadcast, actor))


class BroadcastDeliveriesApi(APIView):
    @extend_schema(
        operation_id="v1_broadcasts_deliveries",
        summary="How far a message got: its terminals' deliveries, with counts",
        description="One row per terminal of the target (written when the message went out): "
        "`pending` → `sent` (the broker took it) → `received` → `played`, or `failed` (the "
        "terminal could not play it, or never answered before the message expired).",
        parameters=[DeliveryListFilter],
        responses={200: DeliveryPageOutput, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, broadcast_id: int) -> Response:
        actor = actor_from(request)
        params = DeliveryListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        broadcast = selectors.broadcast_get(actor=actor, broadcast_id=broadcast_id)
        rows_query = selectors.delivery_list(
            broadcast=broadcast, status=query.get("status", ""), place_code=query.get("place", "")
        ).order_by("id")
        if query.get("after"):
            rows_query = rows_query.filter(pk__gt=query["after"])
        size = query["page_size"]
        rows = list(rows_query[: size + 1])
        next_url = (
            replace_query_param(request.build_absolute_uri(), "after", rows[size - 1].pk)
            if len(rows) > size
            else None
        )
        progress = selectors.delivery_progress(broadcast=broadcast)
        names = selectors.place_names(codes={row.place_code for row in rows[:size]})
        return Response(
            {
                "counts": {
                    "total": progress.total,
                    "delivered": progress.delivered,
                    "failed": progress.failed,
                    "by_status": progress.counts,
                    "cancels": progress.cancels,
                    "cancels_confirmed": progress.cancels_confirmed,
                    "refused_acks": broadcast.refused_acks or {},
                },
                "results": DeliveryOutput(rows[:size], many=True, context={"names": names}).data,
                "next": next_url,
            }
        )


class BroadcastCapApi(APIView):
    @extend_schema(
        operation_id="v1_broadcasts_cap",
        summary="The message as an OASIS CAP 1.2 alert",
        description="A message not sent yet is a `Draft`; an update of an earlier message is an "
        "`Update` referencing it; a message withdrawn after it went out is its `Cancel`, "
        "referencing the original. The info block is in zh-CN; the area names the target "
        "regions with their boundaries as polygons.",
        responses={(200, CAP_CONTENT_TYPE): OpenApiTypes.STR, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, broadcast_id: int) -> HttpResponse:
        actor = actor_from(request)
        broadcast = selectors.broadcast_get(actor=actor, broadcast_id=broadcast_id)
        response = HttpResponse(cap_alert(broadcast), content_type=CAP_CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="broadcast-{broadcast.pk}.cap.xml"'
        return response


def _step_api(action: Action, summary: str) -> type[APIView]:
    class BroadcastStepApi(APIView):
        @extend_schema(
            operation_id=f"v1_broadcasts_{action}",
            summary=summary,
            request=ActionInput,
            parameters=[IDEMPOTENCY_KEY_PARAMETER],
            responses={
                200: BroadcastOutput,
                400: BAD_INPUT,
                403: FORBIDDEN,
                404: NOT_FOUND,
                409: CONFLICT,
                422: KEY_REUSED,
            },
        )
        @idempotent
        def post(self, request: Request, broadcast_id: int) -> Response:
            actor = actor_from(request)
            data = ActionInput(data=request.data)
            data.is_valid(raise_exception=True)
            broadcast = selectors.broadcast_get(actor=actor, broadcast_id=broadcast_id)
            broadcast = broadcast_transition(
                actor=actor, broadcast=broadcast, action=action, note=data.validated_data["note"]
            )
            return Response(_output(broadcast, actor))

    BroadcastStepApi.__name__ = BroadcastStepApi.__qualname__ = f"Broadcast{action.title()}Api"
    return BroadcastStepApi


BroadcastSubmitApi = _step_api(Action.SUBMIT, "Submit a message for a second person's approval")
BroadcastApproveApi = _step_api(
    Action.APPROVE,
    "Approve a message: never its author; your jurisdiction covers its whole target",
)
BroadcastRejectApi = _step_api(Action.REJECT, "Reject a message, saying why (`note`)")
BroadcastCancelApi = _step_api(
    Action.CANCEL, "Withdraw a message; once sent, a CAP Cancel follows it"
)
