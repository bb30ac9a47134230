"""The short code a resident reads out on the phone to follow a report: with the case number it
finds the report, as the long tracking link does.

Six characters from an alphabet without the look-alikes 0/O, 1/I/L, read in any letter case:
31^6, about 887 million codes a case; failed look-ups are limited per client, so guessing one
is out of reach.
"""

from __future__ import annotations

import hmac
import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
_SEPARATORS = re.compile(r"[\s\-·.]")
_CODE = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")
_PHONE_TAIL = re.compile(r"[0-9]{4}")


def new_tracking_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_code(raw: str) -> str | None:
    """The code as stored (upper case, without spaces or dashes), or None when it is not one."""
    code = _SEPARATORS.sub("", raw).upper()
    return code if _CODE.fullmatch(code) else None


def is_phone_tail(raw: str) -> bool:
    return bool(_PHONE_TAIL.fullmatch(raw.strip()))


def codes_match(stored: str, given: str) -> bool:
    # Compared in constant time: the answer's timing says nothing about how much was right.
    return bool(stored) and hmac.compare_digest(stored, given)
