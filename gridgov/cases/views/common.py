"""Shared by the case pages: labels on rows and timeline events, a safe "next" address."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from gridgov.cases.forms import STATE_LABELS, category_label
from gridgov.cases.models import ACTION_LABELS, Case, HandlingLevel
from gridgov.cases.selectors.candidates import LoadedCandidate
from gridgov.cases.states import WORKING_STATES

LEVEL_LABELS = dict(HandlingLevel.choices)


def decorate(cases: Iterable[Case], *, names: dict[str, str] | None = None) -> list[Case]:
    """Give each case the labels and deadline facts a page shows (not stored)."""
    now = timezone.now()
    rows = list(cases)
    for case in rows:
        annotate_case(case, now=now, names=names or {})
    return rows


def annotate_case(case: Case, *, now: datetime, names: dict[str, str]) -> Case:
    extra: Any = case
    extra.state_label = STATE_LABELS.get(case.state, case.state)
    extra.level_label = LEVEL_LABELS.get(case.level, case.level)
    extra.category_label = category_label(case.category)
    extra.is_overdue = bool(
        case.due_at is not None and case.due_at < now and case.state in WORKING_STATES
    )
    extra.region_name = names.get(case.region_code, "")
    extra.unit_name = names.get(case.handling_code, "")
    return case


def event_labels(event: Any) -> None:
    event.action_label = ACTION_LABELS.get(event.action) or _(
        {
            "merge_in": gettext_noop("Another case merged in"),
            "rate": gettext_noop("Rated by the resident"),
            "warn": gettext_noop("Deadline warning"),
            "assign": gettext_noop("Assigned"),
            "photo": gettext_noop("Photos added"),
        }.get(event.action, event.action)
    )
    event.from_label = STATE_LABELS.get(event.from_state, event.from_state)
    event.to_label = STATE_LABELS.get(event.to_state, event.to_state)
    event.level_before_label = LEVEL_LABELS.get(event.level_before, event.level_before)
    event.level_after_label = LEVEL_LABELS.get(event.level_after, event.level_after)


def safe_next(request: HttpRequest, target: str) -> str | None:
    """`target` when it is a path on this site, else None."""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def candidate_choices(rows: Iterable[LoadedCandidate]) -> list[tuple[int, str]]:
    """A dispatch picker's options: each person by name, role, where they work, and load."""
    return [
        (
            row.candidate.user_id,
            ngettext(
                "%(name)s · %(role)s · %(place)s · %(count)d open task",
                "%(name)s · %(role)s · %(place)s · %(count)d open tasks",
                row.open_tasks,
            )
            % {
                "name": row.candidate.name,
                "role": row.candidate.role_label,
                "place": row.candidate.region_name or row.candidate.region_code,
                "count": row.open_tasks,
            },
        )
        for row in rows
    ]
