"""Keyset pagination: a cursor is the last row's sort key, so page 10,000 costs what page 1 does.

The cursor is opaque to clients (base64 of a small JSON object); a forged or stale one is bad
input (400), never a 500.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from gridgov.core.errors import BAD_CURSOR, ValidationFailed
from gridgov.core.jsonbody import parse_json
from gridgov.core.timebounds import is_plausible


def encode_cursor(values: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        decoded = parse_json(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationFailed.on("cursor", BAD_CURSOR) from error
    if not isinstance(decoded, dict) or not isinstance(decoded.get("id"), int):
        raise ValidationFailed.on("cursor", BAD_CURSOR)
    return decoded


def parse_cursor_time(raw: Any) -> datetime:
    """The time in a keyset cursor; ValidationFailed (400) for anything but a plausible one."""
    try:
        parsed = parse_datetime(str(raw)) if raw is not None else None
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None or not is_plausible(parsed):
        raise ValidationFailed.on("cursor", BAD_CURSOR)
    return parsed
