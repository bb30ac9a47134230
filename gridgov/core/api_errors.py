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


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def error_body(error: errors.DomainError) -> dict[str, Any]:
    """The JSON a client gets for a refusal, in the request's language."""
    body: dict[str, Any] = {"code": error.code, "detail": error.message}
    if error.params:
        body["params"] = {name: _plain(value) for name, value in error.params.items()}
    if isinstance(error, errors.ValidationFailed):
        body["code"] = "invalid"
        body.update(error.errors)
        body["errors"] = {
            name: [{"code": p.code, "detail": p.message} for p in problems]
            for name, problems in error.problems.items()
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
    return drf_exception_handler(exc, context)
