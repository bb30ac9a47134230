"""The staff inbox: notifications of new assignments, deadlines, escalations and rework."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.cases.api.schema import BAD_INPUT, FORBIDDEN, KEY_REUSED, NOT_FOUND
from gridgov.cases.selectors.inbox import (
    inbox_keyset_page,
    inbox_unread_count,
    notification_get,
)
from gridgov.cases.serializers import InboxFilter, InboxOutput, NotificationOutput
from gridgov.cases.services.inbox import notification_mark_read
from gridgov.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent


class NotificationListApi(APIView):
    @extend_schema(
        operation_id="v1_notifications_list",
        summary="Your inbox, newest first, with the unread count",
        parameters=[InboxFilter],
        responses={200: InboxOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        params = InboxFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        rows, next_cursor = inbox_keyset_page(
            actor=actor,
            unread_only=query["unread"],
            cursor=query.get("cursor"),
            size=query["page_size"],
        )
        next_url = (
            replace_query_param(request.build_absolute_uri(), "cursor", next_cursor)
            if next_cursor
            else None
        )
        unread = inbox_unread_count(actor=actor)
        return Response(InboxOutput({"unread": unread, "results": rows, "next": next_url}).data)


class NotificationReadApi(APIView):
    @extend_schema(
        summary="Mark a notification read",
        request=None,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={200: NotificationOutput, 403: FORBIDDEN, 404: NOT_FOUND, 422: KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request, notification_id: int) -> Response:
        actor = actor_from(request)
        # Another person's notification answers 404 before anything is written.
        notification_get(actor=actor, notification_id=notification_id)
        notification_mark_read(actor=actor, notification_ids=[notification_id])
        notification = notification_get(actor=actor, notification_id=notification_id)
        return Response(NotificationOutput(notification).data)
