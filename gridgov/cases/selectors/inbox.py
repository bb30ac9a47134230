"""The staff inbox: a person's own notifications (personal, so no jurisdiction applies, but only
staff who see cases have an inbox)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q, QuerySet

from gridgov.cases.errors import NOTIFICATION_NOT_FOUND
from gridgov.cases.models import Notification
from gridgov.cases.selectors.cases import decode_cursor, encode_cursor, parse_cursor_time
from gridgov.cases.selectors.queues import PAGE_SIZE
from gridgov.core.access import Perm
from gridgov.core.errors import NotFound
from gridgov.core.scoping import Actor, require_permission


def inbox_queryset(*, actor: Actor) -> QuerySet[Notification]:
    require_permission(actor, Perm.CASES_VIEW)
    return Notification.objects.filter(recipient_id=cast(int, actor.pk))


def inbox_page(
    *, actor: Actor, unread_only: bool, before_id: int | None
) -> tuple[list[Notification], int | None]:
    """The actor's notifications, newest first, a page at a time (keyset on id)."""
    queryset = inbox_queryset(actor=actor).select_related("case")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    if before_id:
        queryset = queryset.filter(id__lt=before_id)
    rows = list(queryset.order_by("-id")[: PAGE_SIZE + 1])
    if len(rows) > PAGE_SIZE:
        return rows[:PAGE_SIZE], rows[PAGE_SIZE - 1].pk
    return rows, None


def inbox_unread_count(*, actor: Any) -> int:
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).count()


def inbox(*, actor: Any) -> QuerySet[Notification]:
    """The actor's own notifications: personal, so no jurisdiction applies, but only staff who
    see cases have an inbox (as on the inbox page)."""
    require_permission(actor, Perm.CASES_VIEW)
    return Notification.objects.filter(recipient=actor)


def inbox_keyset_page(
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


def notification_get(*, actor: Any, notification_id: int) -> Notification:
    """One of the actor's notifications, with its case; NotFound for anyone else's."""
    notification = inbox(actor=actor).select_related("case").filter(pk=notification_id).first()
    if notification is None:
        raise NotFound(NOTIFICATION_NOT_FOUND)
    return notification
