"""Map domain errors to HTTP: NotFound 404, PermissionDenied 403, ValidationFailed 400, Conflict 409.

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


def _audit_refusal(context: dict[str, Any], error: Exception) -> None:
    request = context.get("request")
    if request is None:
        return
    if isinstance(error, errors.DomainError):
        audit_refusal(request, error=error)
    else:
        audit_refusal(request, reason=str(error))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, errors.NotFound):
        return Response({"detail": exc.message, "code": exc.code}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, errors.PermissionDenied):
        _audit_refusal(context, exc)
        return Response({"detail": exc.message, "code": exc.code}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, errors.ValidationFailed):
        body: dict[str, Any] = {"code": exc.code, **exc.errors}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, errors.Conflict):
        return Response({"detail": exc.message, "code": exc.code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, errors.DomainError):
        return Response(
            {"detail": exc.message, "code": exc.code}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, drf_exceptions.PermissionDenied | DjangoPermissionDenied):
        _audit_refusal(context, exc)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    return drf_exception_handler(exc, context)
