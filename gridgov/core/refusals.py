"""The one writer of refused attempts to the audit log.

The mappings from domain errors to HTTP (the API's exception handler, the page wrappers) call it,
services never do, so a refusal leaves exactly one row. Its action is `<object_type>.<operation>`
with outcome "denied": `case.accept` for a case the actor may not accept (the service names the
object on the error), `path.post` for a request refused before any object is known.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gridgov.core.audit import audit_record
from gridgov.core.clientaddress import client_address
from gridgov.core.errors import DomainError
from gridgov.core.models import AuditEntry


def audit_refusal(
    request: HttpRequest | Any, *, error: DomainError | None = None, reason: str = ""
) -> AuditEntry:
    """Write the refused attempt of `request`: on the object the error names, else on its path."""
    # The code, not the sentence: the log reads the same whatever language the request had.
    reason = reason or (error.code if error is not None else "")
    params = {k: str(v) for k, v in error.params.items()} if error is not None else {}
    target = getattr(error, "target", None)
    if target is not None:
        return audit_record(
            actor=request.user,
            action=f"{target.object_type}.{target.operation}",
            outcome=AuditEntry.Outcome.DENIED,
            object_type=target.object_type,
            object_id=target.object_id,
            region_code=target.region_code or None,
            client_address=client_address(request),
            detail={**target.detail, **params, "reason": reason, "path": request.path},
        )
    return audit_record(
        actor=request.user,
        action=f"path.{(request.method or 'get').lower()}",
        outcome=AuditEntry.Outcome.DENIED,
        object_type="path",
        object_id=request.path[:64],
        client_address=client_address(request),
        detail={**params, "reason": reason, "path": request.path},
    )
