"""The client's address, the one function that says who is asking from where.

Login lockouts (django-axes), the audit log, the rate limits and the idempotency key space all
count a client by it, so behind nginx they count the resident's address, not the proxy's.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def client_address(request: Any) -> str | None:
    """REMOTE_ADDR, or behind reverse proxies the address the outermost trusted proxy saw.

    `GRIDGOV_TRUSTED_PROXY_HOPS` says how many proxies (each appending to X-Forwarded-For) stand
    in front of the application; entries further left are the client's own word and are ignored,
    so a client cannot pick the address it is counted under.
    """
    meta = getattr(request, "META", {})
    remote = meta.get("REMOTE_ADDR") or None
    hops = int(getattr(settings, "GRIDGOV_TRUSTED_PROXY_HOPS", 0))
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-hops]))
    except ValueError:
        return remote
