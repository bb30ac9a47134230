"""The inbox: a person's own notifications. Personal, so no jurisdiction applies; only staff who
see cases have an inbox."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q, QuerySet

from gridgov.core.access import Perm
from gridgov.core.errors import NotFound
from gridgov.core.keyset import decode_cursor, encode_cursor, parse_cursor_time
from gridgov.core.scoping import Actor, require_permission
from gridgov.notifications.catalogue import render_notice
from gridgov.notifications.errors import NOTIFICATION_NOT_FOUND
from gridgov.notifications.links import link_for
from gridgov.notifications.models import Notification

PAGE_SIZE = 50


def _shown(rows: list[Notification]) -> list[Notification]:
    """Give each row its title, message and link in the active language (not stored)."""
    for row in rows:
        shown: Any = row
        shown.title, shown.message = render_notice(row.key, row.params)
        shown.link = link_for(row.object_type, row.object_id)
    return rows


def inbox(*, actor: Actor) -> QuerySet[Notification]:
    require_permission(actor, Perm.CASES_VIEW)
    return Notification.objects.filter(recipient_id=cast(int, actor.pk))


def inbox_page(
    *, actor: Actor, unread_only: bool, before_id: int | None
) -> tuple[list[Notification], int | None]:
    """The actor's notifications, newest first, a page at a time (keyset on id)."""
    queryset = inbox(actor=actor)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    if before_id:
        queryset = queryset.filter(id__lt=before_id)
    rows = list(queryset.order_by("-id")[: PAGE_SIZE + 1])
    if len(rows) > PAGE_SIZE:
        return _shown(rows[:PAGE_SIZE]), rows[PAGE_SIZE - 1].pk
    return _shown(rows), None


def inbox_unread_count(*, actor: Any) -> int:
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).count()


def inbox_keyset_page(
    *, actor: Actor, unread_only: bool, cursor: str | None, size: int
) -> tuple[list[Notification], str | None]:
    """Newest first, keyset-paged on (created_at, id) like the index."""
    queryset = inbox(actor=actor)
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
        return _shown(rows), None
    rows = rows[:size]
    next_cursor = encode_cursor({"created_at": rows[-1].created_at.isoformat(), "id": rows[-1].pk})
    return _shown(rows), next_cursor


def notification_get(*, actor: Actor, notification_id: int) -> Notification:
    """One of the actor's notifications; NotFound for anyone else's."""
    notification = inbox(actor=actor).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound(NOTIFICATION_NOT_FOUND)
    return _shown([notification])[0]
