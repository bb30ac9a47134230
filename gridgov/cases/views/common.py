"""Shared by the case pages: labels on rows, service errors put back onto forms in the page's
language, a safe "next" address."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import wraps
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gridgov.cases.forms import ACTION_VERBS, STATE_LABELS, category_label
from gridgov.cases.models import ACTION_LABELS, Case, HandlingLevel
from gridgov.cases.states import WORKING_STATES
from gridgov.core.errors import Conflict, ValidationFailed

LEVEL_LABELS = dict(HandlingLevel.choices)

# The services speak English; these are their fixed messages, translated where a page shows them.
SERVICE_MESSAGES = [
    gettext_noop("unknown category"),
    gettext_noop("choose a sub-category"),
    gettext_noop("a description is required"),
    gettext_noop("at most 5000 characters"),
    gettext_noop("unknown channel"),
    gettext_noop("unknown urgency"),
    gettext_noop("not a valid phone number"),
    gettext_noop("give both latitude and longitude"),
    gettext_noop("latitude/longitude out of range"),
    gettext_noop("give a map point, or an address with a region"),
    gettext_noop("unknown region"),
    gettext_noop("an address is required without a map point"),
    gettext_noop("at most 6 photos"),
    gettext_noop("not a JPEG, PNG or WebP image"),
    gettext_noop("larger than 5 MB"),
    gettext_noop("the point is outside every grid"),
    gettext_noop("the place is outside your jurisdiction"),
    gettext_noop("say why (a note is required for this action)"),
    gettext_noop("choose who handles the case"),
    gettext_noop("this person cannot handle cases of this unit"),
    gettext_noop("department (administrative) or court (judicial)"),
    gettext_noop("name the department or court desk"),
    gettext_noop("a case cannot be merged into itself"),
    gettext_noop("the target case is no longer open"),
    gettext_noop("the case is already at county level and cannot go higher"),
    gettext_noop("the case is already at village level"),
    gettext_noop("the case has no place below this level to be referred to"),
    gettext_noop("say why you need the reporter's contact"),
    gettext_noop("at most 500 characters"),
    gettext_noop("invalid cursor"),
]


def translated(message: str) -> str:
    """A service message in the page's language; "<file name>: <problem>" keeps the name."""
    name, separator, problem = message.rpartition(": ")
    if separator and name:
        return f"{name}: {_(problem)}"
    return _(message)


def add_service_errors(form: forms.Form, error: ValidationFailed) -> None:
    """Put a service's field errors on the form's fields; the others above the form."""
    for field, messages in error.errors.items():
        texts = [translated(str(message)) for message in messages]
        target = field if field in form.fields else None
        for text in texts:
            form.add_error(target, text)


def conflict_message(error: Conflict, *, case: Case, action: str) -> str:
    if error.code == "illegal_transition":
        return _("This case is “%(state)s” now, so “%(action)s” is not possible.") % {
            "state": STATE_LABELS.get(case.state, case.state),
            "action": ACTION_VERBS.get(action, action),
        }
    return translated(error.message)


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


def bad_input_as_400(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A malformed query (a forged cursor, say) answers 400 with its message, never a 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except ValidationFailed as error:
            problems = [translated(str(m)) for ms in error.errors.values() for m in ms]
            return render(request, "cases/bad_request.html", {"problems": problems}, status=400)

    return wrapper
