"""Map domain errors to HTTP: NotFound 404, PermissionDenied 403, ValidationFailed 400, Conflict 409.

Refused attempts (403) are written to the audit log here, so no view has to remember to.
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
from gridgov.core.audit import audit_record
from gridgov.core.clientaddress import client_address
from gridgov.core.models import AuditEntry


def _audit_refusal(context: dict[str, Any], reason: str) -> None:
    request = context.get("request")
    if request is None:
        return
    audit_record(
        actor=request.user,
        action=f"api.{request.method.lower()}",
        outcome=AuditEntry.Outcome.DENIED,
        object_type="path",
        object_id=request.path[:64],
        client_address=client_address(request),
        detail={"reason": reason, "path": request.path},
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, errors.NotFound):
        return Response({"detail": exc.message, "code": exc.code}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, errors.PermissionDenied):
        _audit_refusal(context, exc.message)
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
        _audit_refusal(context, str(exc))
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    return drf_exception_handler(exc, context)
