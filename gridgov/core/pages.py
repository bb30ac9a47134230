"""Domain errors on server-rendered pages: the same mapping as the API's (`core.api_errors`).

A NotFound renders the 404 page, a PermissionDenied the 403 page (and its audit row, written by
the one refusal writer), a ValidationFailed or Conflict nobody caught a 400 or 409 page that
says why, in the reader's language. A view that shows a form catches ValidationFailed itself and
puts the problems on the form with `add_problems`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import render

from gridgov.core import errors
from gridgov.core.api_errors import error_body, status_of
from gridgov.core.refusals import audit_refusal

View = Callable[..., HttpResponseBase]


def problem_messages(error: errors.DomainError) -> list[str]:
    """What a page says about the error, one line per problem, in the active language."""
    if isinstance(error, errors.ValidationFailed):
        return [problem.message for problems in error.problems.values() for problem in problems]
    return [error.message]


def add_problems(form: forms.Form, error: errors.ValidationFailed) -> None:
    """Put a service's problems on the form's fields; those of fields it lacks above the form."""
    for name, problems in error.problems.items():
        target = name if name in form.fields else None
        for problem in problems:
            form.add_error(target, problem.message)


def error_page(request: HttpRequest, error: errors.DomainError) -> HttpResponseBase:
    """The page for an error nobody handled closer to the form: 404 and 403 through Django's
    handlers (so the site's own 404 and 403 pages show), 400 and 409 here."""
    if isinstance(error, errors.NotFound):
        raise Http404(error.message) from error
    if isinstance(error, errors.PermissionDenied):
        audit_refusal(request, error=error)
        raise HttpPermissionDenied(error.message) from error
    return render(
        request,
        "errors/bad_request.html",
        {"problems": problem_messages(error)},
        status=status_of(error),
    )


def public_page(view: View) -> View:
    """Map domain errors to pages, for a view that needs no login."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except errors.DomainError as error:
            return error_page(request, error)

    return wrapper


def page_view(view: View) -> View:
    """Behind login, with domain errors mapped to pages."""
    return login_required(public_page(view))


def json_view(view: View) -> View:
    """The API's mapping for a plain Django view that answers JSON (a map's data)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except errors.DomainError as error:
            if isinstance(error, errors.PermissionDenied):
                audit_refusal(request, error=error)
            return JsonResponse(error_body(error), status=status_of(error))

    return wrapper
