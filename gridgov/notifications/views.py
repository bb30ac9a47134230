"""The inbox page, marking notices read, and the unread count for the page header."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gridgov.core.pages import page_view
from gridgov.core.scoping import request_actor
from gridgov.notifications.forms import InboxReadForm
from gridgov.notifications.selectors import inbox, inbox_page, inbox_unread_count
from gridgov.notifications.services import notification_mark_read


def _is_row_id(raw: str) -> bool:
    # isdigit() alone lets "²" through; an id fits in a signed 64-bit integer.
    return raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63


@require_GET
@page_view
def inbox_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    unread_only = request.GET.get("unread") == "1"
    before = request.GET.get("before", "")
    rows, next_before = inbox_page(
        actor=actor, unread_only=unread_only, before_id=int(before) if _is_row_id(before) else None
    )
    return render(
        request,
        "notifications/inbox.html",
        {"notifications": rows, "next_before": next_before, "unread_only": unread_only},
    )


@require_POST
@page_view
def inbox_read_view(request: HttpRequest) -> HttpResponse:
    """Mark one notification read, or all of them."""
    actor = request_actor(request)
    inbox(actor=actor)  # the same permission as the inbox itself
    form = InboxReadForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data["all"]:
            notification_mark_read(actor=actor)
        elif data["notification"]:
            notification_mark_read(actor=actor, notification_ids=[data["notification"]])
    back = reverse("notifications:inbox")
    if form.is_valid() and form.cleaned_data["unread"]:
        back += "?unread=1"
    return redirect(back)


def inbox_unread(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `inbox_unread_count`, counted only when a template reads it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    # A template calls it when it reads it (once per page: cached).
    @functools.cache
    def count() -> int:
        return inbox_unread_count(actor=user)

    return {"inbox_unread_count": count}
