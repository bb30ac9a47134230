"""The staff inbox: notifications of new assignments, deadlines, escalations and rework."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.cases.api.schema import BAD_INPUT, FORBIDDEN, KEY_REUSED, NOT_FOUND
from gridgov.cases.models import Notification
from gridgov.cases.selectors import decode_cursor, encode_cursor, parse_cursor_time
from gridgov.cases.serializers import InboxFilter, InboxOutput, NotificationOutput
from gridgov.core.access import Perm
from gridgov.core.errors import NotFound
from gridgov.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from gridgov.core.scoping import require_permission


def inbox(*, actor: Any) -> QuerySet[Notification]:
    """The actor's own notifications: personal, so no jurisdiction applies, but only staff who
    see cases have an inbox (as on the inbox page)."""
    require_permission(actor, Perm.CASES_VIEW)
    return Notification.objects.filter(recipient=actor)


def inbox_page(
    *, actor: Any, unread_only: bool, cursor: str | None, size: int
) -> tuple[list[Notification], str | None]:
    """Newest first, keyset-paged on (created_at, id) like the index."""
    queryset = inbox(actor=actor).select_related("case")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    if cursor:
        key = decode_cursor(cursor)
        created = parse_cursor_time(key.get("created_at"))
        queryset = queryset.filter(
            Q(created_at__lt=created) | Q(created_at=created, id__lt=key["id"])
        )
    rows = list(queryset.order_by("-created_at", "-id")[: size + 1])
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    return rows, encode_cursor({"created_at": rows[-1].created_at.isoformat(), "id": rows[-1].pk})


def notification_mark_read(*, actor: Any, notification_id: int) -> Notification:
    """Mark one of the actor's notifications read (a no-op if it already is)."""
    inbox(actor=actor).filter(pk=notification_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    notification = inbox(actor=actor).select_related("case").filter(pk=notification_id).first()
    if notification is None:
        raise NotFound(f"notification {notification_id} not found")
    return notification


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
        rows, next_cursor = inbox_page(
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
        unread = inbox(actor=actor).filter(read_at__isnull=True).count()
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
        notification = notification_mark_read(
            actor=actor_from(request), notification_id=notification_id
        )
        return Response(NotificationOutput(notification).data)
