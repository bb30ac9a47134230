"""Anti-abuse for the residents' public pages, with no third-party service (it works offline):
a signed arithmetic challenge with a minimum fill time, a honeypot, and per-address rate limits.

The layers stop different scripts; none is enough alone, and none bothers a person:

1. A small sum to answer, as text (readable by screen readers, no image). Its operands, the time
   it was issued and a nonce travel in a token signed with the SECRET_KEY (`TimestampSigner`), so
   the server keeps no state per form and a script cannot forge a question of its own.
2. Time: a token younger than `MIN_FILL_SECONDS` is refused (nobody describes a problem that
   fast; a script posting straight after fetching the form is stopped), one older than
   `MAX_AGE_SECONDS` has expired (a harvested stock of solved tokens goes stale).
3. A honeypot: a field hidden from people and from screen readers, which form-filling bots fill.
4. One use per token: an accepted token is remembered (in the cache) until it expires, so one
   solved form cannot be replayed; a wrong answer burns the token, so guessing needs a new form
   (and a new wait) per guess.

A script written for this form can still solve the sum; the per-address rate limits below cap
what it achieves (`REPORTS`: reports created, `FAILURES`: refused challenges), and every report
is audited with its client address.
"""

from __future__ import annotations

import ipaddress
import secrets
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache

MIN_FILL_SECONDS = 3
MAX_AGE_SECONDS = 2 * 60 * 60
_SALT = "gridgov.cases.challenge"
_USED_KEY = "gridgov:challenge:used:{nonce}"


class Failure(StrEnum):
    MISSING = "missing"  # no token or no answer
    INVALID = "invalid"  # a token we did not sign
    EXPIRED = "expired"
    TOO_FAST = "too_fast"
    WRONG = "wrong"
    USED = "used"
    HONEYPOT = "honeypot"


class ChallengeFailed(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.value)
        self.failure = failure


@dataclass(frozen=True)
class Challenge:
    token: str
    first: int
    second: int


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT)


def issue() -> Challenge:
    """A new question: the sum of two numbers from 2 to 9."""
    first, second = secrets.randbelow(8) + 2, secrets.randbelow(8) + 2
    payload = {"a": first, "b": second, "t": int(time.time()), "n": secrets.token_hex(8)}
    return Challenge(token=_signer().sign_object(payload), first=first, second=second)


def _payload(token: str) -> dict[str, Any]:
    """The signed payload; ChallengeFailed when the token is missing, forged or expired."""
    if not token:
        raise ChallengeFailed(Failure.MISSING)
    try:
        payload = _signer().unsign_object(token, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired as error:
        raise ChallengeFailed(Failure.EXPIRED) from error
    except signing.BadSignature as error:
        raise ChallengeFailed(Failure.INVALID) from error
    if not isinstance(payload, dict) or not {"a", "b", "t", "n"} <= payload.keys():
        raise ChallengeFailed(Failure.INVALID)
    return payload


def challenge_of(token: str) -> Challenge | None:
    """The question a still valid token asks (to show the same question again), else None."""
    try:
        payload = _payload(token)
    except ChallengeFailed:
        return None
    return Challenge(token=token, first=int(payload["a"]), second=int(payload["b"]))


def _parse_answer(answer: str) -> int | None:
    try:
        # int() also reads full-width digits, as a Chinese input method types them.
        return int(answer.strip())
    except ValueError:
        return None


def check(token: str, answer: str) -> str:
    """The token's nonce when `answer` solves it in time; ChallengeFailed says why not.

    A wrong answer burns the token. A right one does not yet: `claim` the nonce when the report is
    about to be saved, so a form sent back for another field's error keeps its solved question.
    """
    payload = _payload(token)
    nonce = str(payload["n"])
    if cache.get(_USED_KEY.format(nonce=nonce)):
        raise ChallengeFailed(Failure.USED)
    if not answer.strip():
        raise ChallengeFailed(Failure.MISSING)
    if time.time() - int(payload["t"]) < MIN_FILL_SECONDS:
        raise ChallengeFailed(Failure.TOO_FAST)
    if _parse_answer(answer) != int(payload["a"]) + int(payload["b"]):
        burn(nonce)
        raise ChallengeFailed(Failure.WRONG)
    return nonce


def burn(nonce: str) -> None:
    cache.set(_USED_KEY.format(nonce=nonce), True, MAX_AGE_SECONDS)


def claim(nonce: str) -> bool:
    """Mark a solved token used; False when it already was (a replay, or a concurrent twin)."""
    return bool(cache.add(_USED_KEY.format(nonce=nonce), True, MAX_AGE_SECONDS))


def release(nonce: str) -> None:
    """Give a claimed token back, when the report it came with was refused and nothing saved."""
    cache.delete(_USED_KEY.format(nonce=nonce))


def solve(token: str) -> str:
    """The answer to a token's question, for tests and browser journeys (they still have to wait
    `MIN_FILL_SECONDS` and send the token, and each solved token is good for one report)."""
    payload = _payload(token)
    return str(int(payload["a"]) + int(payload["b"]))


# Rate limits


def client_key(address: str | None) -> str:
    """The key a client is counted under: its IPv4 address, or its IPv6 /64 network (one
    household's router hands out a whole /64, so a single address would be trivial to change)."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` hits per client per fixed window, counted in the shared cache (the counter
    is incremented atomically; fixed windows keep it to one key per client)."""

    name: str
    setting: str
    default_limit: int
    window_seconds: int = 60 * 60

    @property
    def limit(self) -> int:
        return int(getattr(settings, self.setting, self.default_limit))

    def _key(self, client: str) -> str:
        bucket = int(time.time() // self.window_seconds)
        return f"gridgov:ratelimit:{self.name}:{client}:{bucket}"

    def count(self, client: str) -> int:
        return int(cache.get(self._key(client), 0))

    def exceeded(self, client: str) -> bool:
        return self.count(client) >= self.limit

    def hit(self, client: str) -> int:
        key = self._key(client)
        cache.add(key, 0, self.window_seconds)
        try:
            return int(cache.incr(key))
        except ValueError:
            # The key expired between add and incr.
            cache.set(key, 1, self.window_seconds)
            return 1

    def retry_after(self) -> int:
        """Seconds until the current window ends."""
        return self.window_seconds - int(time.time()) % self.window_seconds


REPORTS = RateLimit("reports", "GRIDGOV_PUBLIC_REPORTS_PER_HOUR", 5)
FAILURES = RateLimit("challenge-failures", "GRIDGOV_PUBLIC_CHALLENGE_FAILURES_PER_HOUR", 20)
# Look-ups by case number and code that found nothing: guessing codes stops here.
LOOKUP_FAILURES = RateLimit("lookup-failures", "GRIDGOV_PUBLIC_LOOKUP_FAILURES_PER_HOUR", 20)
