"""The inbox over the API: notices of new assignments, deadlines, escalations and rework, each in
the caller's language, with the unread count."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from gridgov.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from gridgov.core.scoping import request_actor
from gridgov.notifications.selectors import inbox_keyset_page, inbox_unread_count, notification_get
from gridgov.notifications.services import notification_mark_read

MAX_PAGE_SIZE = 200


class InboxFilter(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)
    cursor = serializers.CharField(max_length=512, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, default=50)


class NotificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(source="key", help_text="The notice's key, e.g. case.assigned.")
    title = serializers.CharField(help_text="The kind of notice, in the caller's language.")
    message = serializers.CharField(help_text="The notice, in the caller's language.")
    params = serializers.DictField(help_text="The values the message names.")
    count = serializers.IntegerField(help_text="How many events this notice sums up.")
    object_type = serializers.CharField(help_text="What it is about: case, case_list, ...")
    object_id = serializers.CharField()
    case = serializers.SerializerMethodField(help_text="The case's number, when about one.")
    link = serializers.CharField(help_text="The page to open, or empty.")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_case(self, notification: object) -> str | None:
        if getattr(notification, "object_type", "") == "case":
            return str(getattr(notification, "object_id", "")) or None
        return None


class InboxOutput(serializers.Serializer):
    unread = serializers.IntegerField(help_text="Unread notifications in the whole inbox.")
    results = NotificationOutput(many=True)
    next = serializers.URLField(allow_null=True)


class NotificationListApi(APIView):
    @extend_schema(
        operation_id="v1_notifications_list",
        summary="Your inbox, newest first, with the unread count",
        parameters=[InboxFilter],
        responses={200: InboxOutput},
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
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
        responses={200: NotificationOutput},
    )
    @idempotent
    def post(self, request: Request, notification_id: int) -> Response:
        actor = request_actor(request)
        # Another person's notification answers 404 before anything is written.
        notification_get(actor=actor, notification_id=notification_id)
        notification_mark_read(actor=actor, notification_ids=[notification_id])
        notification = notification_get(actor=actor, notification_id=notification_id)
        return Response(NotificationOutput(notification).data)
