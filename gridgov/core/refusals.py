"""The one writer of refused attempts to the audit log.

The mappings from domain errors to HTTP (the API's exception handler, the page wrappers) call it,
services never do, so a refusal leaves exactly one row. Its action is `<object_type>.<operation>`
with outcome "denied": `case.accept` for a case the actor may not accept (the service names the
object on the error), `path.post` for a request refused before any object is known.

An anonymous client can send refused requests as fast as it likes, and each would be a row (and a
turn of the chain's lock): its refusals are written once an hour per client address and reason,
counted in the cache, as the public report form limits its reports. A signed-in actor's refusals
are all written.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from gridgov.core.audit import audit_record
from gridgov.core.clientaddress import client_address
from gridgov.core.errors import DomainError
from gridgov.core.models import AuditEntry

ANONYMOUS_REFUSAL_WINDOW_SECONDS = 3600


def _anonymous_refusal_is_new(request: HttpRequest | Any, reason: str) -> bool:
    """True for the first refusal of this anonymous client for this reason within the hour."""
    address = client_address(request) or "unknown"
    # Hashed: a reason may be a sentence, and some caches limit a key's length and characters.
    reason_digest = hashlib.sha256(reason.encode()).hexdigest()[:16]
    key = f"gridgov:refusal:{address}:{reason_digest}"
    # add() sets only a missing key, atomically: of concurrent refusals, one writes.
    return bool(cache.add(key, True, ANONYMOUS_REFUSAL_WINDOW_SECONDS))


def audit_refusal(
    request: HttpRequest | Any, *, error: DomainError | None = None, reason: str = ""
) -> AuditEntry | None:
    """Write the refused attempt of `request`: on the object the error names, else on its path.
    None when the refusal is an anonymous client's repeated within the hour (not written)."""
    # The code, not the sentence: the log reads the same whatever language the request had.
    reason = reason or (error.code if error is not None else "")
    user = getattr(request, "user", None)
    if not (user is not None and user.is_authenticated) and not _anonymous_refusal_is_new(
        request, reason or f"{request.method} {request.path}"
    ):
        return None
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
