"""Idempotent POSTs: a request sent again with the same `Idempotency-Key` gets the first response
and creates nothing; the same key with another payload answers 422.

Decorate a DRF view method (`def post(self, request, ...)`), a plain Django view function, or a
class-based view with `method_decorator(idempotent, name="post")`. Do not decorate a view whose
response carries personal data in full: the stored body is kept in clear for 24 hours.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast, overload

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response

from gridgov.core.audit import refusals_outlive_rollback
from gridgov.core.clientaddress import client_address
from gridgov.core.jsonbody import parse_json
from gridgov.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
# Set on a stored response sent again, so a client can tell a replay from a first answer.
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
RETENTION = timedelta(hours=24)
METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    pattern=r"^[!-~]{1,255}$",
    description=(
        "A unique key (for example a UUID) per intended operation. Sent again with the same "
        "payload, the first response is returned and nothing new is created; with another "
        "payload the request is refused with 422. Keys are kept for 24 hours."
    ),
)

ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponseBase])
ClientOf = Callable[[Any], str | None]


def _error(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


def _valid_key(key: str) -> bool:
    # Visible ASCII only, so the key is stored and compared exactly as it was sent.
    return 0 < len(key) <= MAX_KEY_LENGTH and all(33 <= ord(char) <= 126 for char in key)


def request_owner(request: Any, client: ClientOf | None = None) -> str:
    """Whose key space a request is in: its authenticated user, else the client."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    identity = client(request) if client is not None else None
    if identity:
        return f"client:{identity}"[:80]
    return f"address:{client_address(request) or 'unknown'}"[:80]


def request_fingerprint(request: Any) -> str:
    """SHA-256 over the method, the full path and the payload.

    A multipart body is hashed by its parsed fields and files, not its bytes, because a client
    that retries draws a new random boundary.
    """
    digest = hashlib.sha256()
    digest.update(f"{request.method}\n{request.get_full_path()}\n".encode())
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        fields = sorted(
            (name, str(value)) for name in request.POST for value in request.POST.getlist(name)
        )
        digest.update(json.dumps(fields, ensure_ascii=False).encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"\n{name}\n{upload.name}\n{upload.size}\n".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
        return digest.hexdigest()
    body: bytes = request.body
    if content_type.startswith("application/json"):
        # A malformed or too deeply nested body is hashed as sent; the view answers it (400).
        with contextlib.suppress(ValueError):
            body = json.dumps(
                parse_json(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
            ).encode()
    digest.update(body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> HttpResponseBase:
    if record.fingerprint != fingerprint:
        return _error(
            422,
            "this Idempotency-Key was already used with a different request",
            "idempotency_key_reused",
        )
    if record.status_code is None:
        # Only reachable when the first request runs in an enclosing transaction of this very
        # connection; a committed row always carries its response.
        return _error(
            409, "a request with this Idempotency-Key is in progress", "idempotency_in_progress"
        )
    response = HttpResponse(
        bytes(record.body), status=record.status_code, content_type=record.content_type or None
    )
    if record.location:
        response["Location"] = record.location
    response[REPLAYED_HEADER] = "true"
    return response


def _render(response: HttpResponseBase, request: Any, view: Any) -> bytes:
    """The response's bytes, rendering a DRF Response or a TemplateResponse first."""
    if isinstance(response, Response) and getattr(response, "accepted_renderer", None) is None:
        if view is not None and hasattr(view, "finalize_response"):
            view.finalize_response(request, response)
        else:
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            cast(Any, response).renderer_context = {"request": request, "view": view}
    render = getattr(response, "render", None)
    if render is not None:
        render()
    if response.streaming:
        raise TypeError("an idempotent view must not stream its response")
    return cast(HttpResponse, response).content


def _attempt(
    *,
    request: Any,
    call: Callable[[], HttpResponseBase],
    view: Any,
    owner: str,
    key: str,
    fingerprint: str,
) -> HttpResponseBase | None:
    """Claim the key and run the view, or answer from the stored response; None if the stored
    row vanished (purged) between the claim and the read, so the caller claims again."""
    with transaction.atomic():
        try:
            # The claim comes first: a concurrent request with the same key waits here (on the
            # unique index in PostgreSQL, on the write lock in SQLite) until this transaction
            # ends, then either finds the stored response or, after a rollback, runs itself.
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    owner=owner,
                    key=key,
                    fingerprint=fingerprint,
                    method=request.method,
                    path=request.path[:255],
                    created_at=timezone.now(),
                )
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
            return None if existing is None else _replay(existing, fingerprint)
        response = call()
        if response.status_code >= 500:
            # Nothing is kept of a failed request, the key included: the client may retry it.
            transaction.set_rollback(True)
            return response
        if response.status_code >= 400:
            # A refused request created nothing, so nothing needs replaying: free the key (the
            # client may correct and retry) and do not store the answer, which may be a form
            # re-shown with what the user typed, personal data included. The rest of the
            # transaction (an audit row of the refusal) stands.
            record.delete()
            return response
        record.body = _render(response, request, view)
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")[:128]
        record.location = response.get("Location", "")[:512]
        record.save(update_fields=["body", "status_code", "content_type", "location"])
        return response


def run_idempotently(
    request: Any,
    call: Callable[[], HttpResponseBase],
    *,
    view: Any = None,
    client: ClientOf | None = None,
) -> HttpResponseBase:
    """Answer `request` with `call()` once per Idempotency-Key; see the module docstring.

    An exception raised by the view rolls everything back, the key included, and propagates
    (DRF and Django turn it into an error response), so the client can correct and retry.
    """
    key = request.headers.get(HEADER)
    if request.method not in METHODS or key is None:
        return call()
    if not _valid_key(key):
        return _error(
            400,
            f"{HEADER} must be 1 to {MAX_KEY_LENGTH} visible ASCII characters",
            "invalid_idempotency_key",
        )
    owner = request_owner(request, client)
    fingerprint = request_fingerprint(request)
    for _ in range(3):
        # A refusal raised by the view rolls back the key's transaction, and with it the
        # service's audit row of the refused attempt: that row is written again after.
        with refusals_outlive_rollback():
            response = _attempt(
                request=request,
                call=call,
                view=view,
                owner=owner,
                key=key,
                fingerprint=fingerprint,
            )
        if response is not None:
            return response
    return _error(409, "the Idempotency-Key could not be claimed; retry", "idempotency_retry")


def _split(args: tuple[Any, ...]) -> tuple[Any, Any]:
    """(view instance or None, request) from a view function's or a view method's arguments."""
    if args and isinstance(args[0], HttpRequest | Request):
        return None, args[0]
    if len(args) >= 2 and isinstance(args[1], HttpRequest | Request):
        return args[0], args[1]
    raise TypeError("@idempotent decorates a view function or a view method")


@overload
def idempotent(view: ViewT, *, client: ClientOf | None = None) -> ViewT: ...


@overload
def idempotent(
    view: None = None, *, client: ClientOf | None = None
) -> Callable[[ViewT], ViewT]: ...


def idempotent(
    view: ViewT | None = None, *, client: ClientOf | None = None
) -> ViewT | Callable[[ViewT], ViewT]:
    """Make a view's unsafe requests idempotent under the `Idempotency-Key` header.

    `client` names an anonymous caller (an API key, say); without it an anonymous caller's keys
    are scoped to its address.
    """

    def decorate(function: ViewT) -> ViewT:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> HttpResponseBase:
            instance, request = _split(args)
            return run_idempotently(
                request, lambda: function(*args, **kwargs), view=instance, client=client
            )

        return cast(ViewT, wrapper)

    return decorate(view) if view is not None else decorate


def idempotency_records_purge(*, now: datetime | None = None) -> int:
    """Delete keys older than the retention period (24 hours); returns how many."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
