"""The resident's side of closure: a satisfaction rating, and reopening within 7 days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gridgov.cases import errors, notices, notifications
from gridgov.cases.models import Case
from gridgov.cases.services.transitions import apply_transition, note_event
from gridgov.cases.states import Action, State
from gridgov.core.audit import audit_record
from gridgov.core.errors import TOO_LONG, Conflict, ValidationFailed

REOPEN_WINDOW = timedelta(days=7)
COMMENT_MAX_LENGTH = 1000


def case_rate(*, case: Case, rating: int, comment: str = "", actor: Any = None) -> Case:
    """Record the resident's verdict on a closed case (1–5), kept for assessment. Once only."""
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed.on("rating", errors.RATING_RANGE)
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationFailed.on("comment", TOO_LONG, limit=COMMENT_MAX_LENGTH)
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.state != State.CLOSED:
            raise Conflict(errors.RATE_NOT_CLOSED)
        if case.rating is not None:
            raise Conflict(errors.ALREADY_RATED)
        case.rating, case.rating_comment, case.updated_at = rating, comment.strip(), now
        case.save(update_fields=["rating", "rating_comment", "updated_at"])
        note_event(
            case=case,
            actor=actor,
            action="rate",
            now=now,
            note=comment.strip(),
            data={"rating": rating},
        )
        audit_record(
            actor=actor,
            action="case.rate",
            object_type="case",
            object_id=case.number,
            region_code=case.region_code,
        )
    return case


def case_reopen_by_resident(*, case: Case, reason: str, actor: Any = None) -> Case:
    """The resident reopens a closed case within 7 days of closing; it goes back to its unit."""
    if not reason.strip():
        raise ValidationFailed.on("reason", errors.REOPEN_REASON_REQUIRED)
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("category").get(pk=case.pk)
        if case.state != State.CLOSED or case.closed_at is None:
            raise Conflict(errors.REOPEN_NOT_CLOSED)
        if now - case.closed_at > REOPEN_WINDOW:
            raise Conflict(errors.REOPEN_WINDOW, days=REOPEN_WINDOW.days)
        apply_transition(case=case, actor=actor, action=Action.REOPEN, note=reason.strip(), now=now)
        case.rating, case.rating_comment = None, ""
        case.save(update_fields=["rating", "rating_comment"])
        notifications.notify_unit_on_commit(case, notice=notices.REOPENED)
        audit_record(
            actor=actor,
            action="case.reopen",
            object_type="case",
            object_id=case.number,
            region_code=case.region_code,
        )
    return case
