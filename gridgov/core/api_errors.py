"""Map domain errors to the API's answers: NotFound 404, PermissionDenied 403, ValidationFailed 400,
Conflict 409; the body is `{"code", "detail"}` (and `params` when the message has some), a 400 also
lists its fields: `"<field>": [messages]` as DRF's serializers do, and `errors` with each
problem's code.

Refused attempts (403) are written to the audit log here (by `audit_refusal`, the one writer), so
no view or service has to remember to.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from gridgov.core import errors
from gridgov.core.refusals import audit_refusal

STATUS_OF: list[tuple[type[errors.DomainError], int]] = [
    (errors.NotFound, status.HTTP_404_NOT_FOUND),
    (errors.PermissionDenied, status.HTTP_403_FORBIDDEN),
    (errors.ValidationFailed, status.HTTP_400_BAD_REQUEST),
    (errors.Conflict, status.HTTP_409_CONFLICT),
]


def status_of(error: errors.DomainError) -> int:
    return next((code for kind, code in STATUS_OF if isinstance(error, kind)), 400)


# The keys of every refusal's body. A field of one of these names (a micro-wish's `detail`, say)
# is listed under `errors` only: copied to the top it would replace the refusal's own message with
# a list, a body no client or schema expects.
ENVELOPE_KEYS = frozenset({"code", "detail", "params", "errors"})


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def error_body(error: errors.DomainError) -> dict[str, Any]:
    """The JSON a client gets for a refusal, in the request's language."""
    body: dict[str, Any] = {"code": error.code, "detail": error.message}
    if error.params:
        body["params"] = {name: _plain(value) for name, value in error.params.items()}
    if isinstance(error, errors.ValidationFailed):
        body["code"] = "invalid"
        body.update(
            {name: messages for name, messages in error.errors.items() if name not in ENVELOPE_KEYS}
        )
        body["errors"] = {
            name: [{"code": p.code, "detail": p.message} for p in problems]
            for name, problems in error.problems.items()
        }
    return body


def _leaves(detail: Any) -> list[drf_exceptions.ErrorDetail]:
    """Every message of a serializer's (possibly nested: a list's items, a child's fields) errors."""
    if isinstance(detail, dict):
        return [leaf for value in detail.values() for leaf in _leaves(value)]
    if isinstance(detail, list):
        return [leaf for value in detail for leaf in _leaves(value)]
    return [detail]


def validation_body(exc: drf_exceptions.ValidationError) -> dict[str, Any]:
    """A serializer's bad input in the body every other 400 has: `code` "invalid", the first
    problem as `detail`, each field's messages (as DRF writes them) and `errors` with codes."""
    fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    problems = {name: _leaves(value) for name, value in fields.items()}
    first = next((leaves[0] for leaves in problems.values() if leaves), "")
    body: dict[str, Any] = {"code": "invalid", "detail": str(first)}
    body.update({name: value for name, value in fields.items() if name not in ENVELOPE_KEYS})
    body["errors"] = {
        name: [{"code": getattr(leaf, "code", "invalid"), "detail": str(leaf)} for leaf in leaves]
        for name, leaves in problems.items()
    }
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    if isinstance(exc, errors.DomainError):
        if isinstance(exc, errors.PermissionDenied) and request is not None:
            audit_refusal(request, error=exc)
        return Response(error_body(exc), status=status_of(exc))
    if isinstance(exc, drf_exceptions.PermissionDenied | DjangoPermissionDenied) and request:
        audit_refusal(request, reason=str(exc))
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    if isinstance(exc, drf_exceptions.ValidationError):
        set_rollback()  # as DRF's own handler does: nothing of the request is half-saved
        return Response(validation_body(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
