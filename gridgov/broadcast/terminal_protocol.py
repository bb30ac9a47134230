"""What the server and a terminal say to each other over MQTT, and how a terminal checks it.

Plain Python (no Django), so a terminal's own software, the simulator and the tests share it.
A delivery is a JSON object signed with the server's Ed25519 key over canonical bytes (the object
without its signature, keys sorted, no spaces, UTF-8, after a domain prefix); a terminal refuses
one that is unsigned, tampered with, for another terminal, expired, or seen before. A terminal's
acknowledgement is signed the same way with the terminal's own key (its public half registered
with the terminal), under another domain prefix, so neither can pass for the other.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nacl.exceptions import CryptoError
from nacl.signing import SigningKey, VerifyKey

PROTOCOL_VERSION = 1
# Signed bytes start with this, so a signature made for anything else never verifies here.
SIGNING_DOMAIN = b"gridgov-broadcast-v1\n"
# A terminal signs its acknowledgements under this prefix.
ACK_SIGNING_DOMAIN = b"gridgov-broadcast-ack-v1\n"
ACK_FIELDS = ("terminal", "message_id", "nonce", "status", "at")
SIGNATURE_FIELD = "signature"
# A terminal's clock may run ahead of the server's by this much.
CLOCK_SKEW_SECONDS = 300
REQUIRED_FIELDS = ("v", "message_id", "terminal", "issued_at", "expires_at", "nonce", "text")
# What a payload asks of the terminal (its "type"; none: an alert): play the message, or stop
# playing it and never play it (the message was withdrawn).
ALERT = "alert"
CANCEL = "cancel"

# Topics: the server publishes to one topic per terminal and listens on the acknowledgements'.
DELIVERY_TOPIC = "gridgov/broadcast/terminal/{code}"
ACK_TOPIC = "gridgov/broadcast/ack/{code}"
ACK_SUBSCRIPTION = "gridgov/broadcast/ack/+"
HEARTBEAT_TOPIC = "gridgov/broadcast/heartbeat/{code}"
HEARTBEAT_SUBSCRIPTION = "gridgov/broadcast/heartbeat/+"


class Refusal(StrEnum):
    MALFORMED = "malformed"  # not a JSON object with the protocol's fields
    UNSIGNED = "unsigned"
    BAD_SIGNATURE = "bad_signature"  # signed by another key, or changed after signing
    WRONG_TERMINAL = "wrong_terminal"
    NOT_YET_VALID = "not_yet_valid"  # issued in the future (beyond the clock skew)
    EXPIRED = "expired"
    # A nonce or message seen before: a resend of what the terminal has (it acknowledges again
    # but does not play twice), or a recording of an old delivery played back at it.
    REPLAYED = "replayed"


class AckStatus(StrEnum):
    RECEIVED = "received"
    PLAYED = "played"
    FAILED = "failed"


class AckRefusal(StrEnum):
    """Why the server refused a terminal's acknowledgement."""

    MALFORMED = "malformed"  # not a JSON object with an acknowledgement's fields
    UNSIGNED = "unsigned"
    NO_KEY = "no_key"  # no such terminal, or no public key registered for it
    BAD_SIGNATURE = "bad_signature"  # signed by another key, or changed after signing
    WRONG_TERMINAL = "wrong_terminal"  # on another terminal's topic
    UNKNOWN_DELIVERY = "unknown_delivery"  # no delivery to this terminal has that nonce
    WRONG_MESSAGE = "wrong_message"  # the nonce is of a delivery of another message
    # The very same acknowledgement again, or one dated before its delivery was made.
    REPLAYED = "replayed"


def canonical_bytes(payload: dict[str, Any], domain: bytes = SIGNING_DOMAIN) -> bytes:
    """The bytes signed for `payload` (its signature field left out)."""
    return domain + _canonical_text(payload)


def _canonical_text(payload: dict[str, Any]) -> bytes:
    unsigned = payload
    if SIGNATURE_FIELD in payload:
        unsigned = {key: value for key, value in payload.items() if key != SIGNATURE_FIELD}
    text = json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


# Keys are cryptography's objects (or their raw bytes, base64) throughout; the signing and the
# checking themselves go through libsodium (PyNaCl), whose Ed25519 verify took 69 us here against
# 128 us for cryptography's (sign 26 us against 39 us). Ed25519 signatures are deterministic: both
# make the same bytes, and libsodium refuses at least what cryptography refuses.
KEYS_REMEMBERED = 65_536


@lru_cache(maxsize=KEYS_REMEMBERED)
def _signing_key(raw: bytes) -> SigningKey:
    return SigningKey(raw)


@lru_cache(maxsize=KEYS_REMEMBERED)
def _verify_key(raw: bytes) -> VerifyKey:
    return VerifyKey(raw)


def _raw_private(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def ed25519_sign(private_key: Ed25519PrivateKey, data: bytes) -> bytes:
    """The 64-byte Ed25519 signature of `data`."""
    return _signing_key(_raw_private(private_key)).sign(data).signature


def load_signing_key(private_key: Ed25519PrivateKey) -> None:
    """Make the key ready to sign (its expansion, ~30 us, done now rather than at its first
    signature), as a terminal loads its key when it starts."""
    _signing_key(_raw_private(private_key))


def ed25519_verifies(key: Ed25519PublicKey | bytes | str, signature: bytes, data: bytes) -> bool:
    """Whether `signature` is the key's over `data` (False too for a malformed key or signature)."""
    try:
        if isinstance(key, Ed25519PublicKey):
            raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        else:
            raw = base64.b64decode(key) if isinstance(key, str) else key
        _verify_key(raw).verify(data, signature)
    except (binascii.Error, ValueError, TypeError, CryptoError):
        return False
    return True


def sign_payload(
    payload: dict[str, Any], private_key: Ed25519PrivateKey, domain: bytes = SIGNING_DOMAIN
) -> bytes:
    """The payload with its signature, as the bytes published: the signed text with the signature
    added as its last member (encoded once; a reader parses it, so the members' order is moot)."""
    text = _canonical_text(payload)
    signature = ed25519_sign(private_key, domain + text)
    member = b'"' + SIGNATURE_FIELD.encode() + b'":"' + base64.b64encode(signature) + b'"}'
    return text[:-1] + (b"," if len(text) > 2 else b"") + member


@dataclass(frozen=True)
class Verdict:
    """What a terminal made of one delivery: the payload when it could read it, and why it
    refused it (None: genuine and new, to be played)."""

    payload: dict[str, Any] | None
    refusal: Refusal | None = None

    @property
    def accepted(self) -> bool:
        return self.refusal is None


def _public_key(key: Ed25519PublicKey | bytes | str) -> Ed25519PublicKey:
    if isinstance(key, Ed25519PublicKey):
        return key
    raw = base64.b64decode(key) if isinstance(key, str) else key
    return Ed25519PublicKey.from_public_bytes(raw)


@dataclass
class TerminalVerifier:
    """One terminal's check of what arrives on its topic.

    It remembers the nonces and message ids it accepted until they expire: anything expired is
    refused anyway, so the memory stays as small as the messages still valid.
    """

    terminal_code: str
    server_key: Ed25519PublicKey | bytes | str
    clock: Callable[[], float] = time.time
    _seen_nonces: dict[str, float] = field(default_factory=dict)
    _seen_messages: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.server_key = _public_key(self.server_key)

    @property
    def remembered(self) -> int:
        """How many nonces the terminal holds to refuse replays."""
        return len(self._seen_nonces)

    def verify(self, data: bytes) -> Verdict:
        now = self.clock()
        self._forget_expired(now)
        try:
            payload = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return Verdict(None, Refusal.MALFORMED)
        if not isinstance(payload, dict):
            return Verdict(None, Refusal.MALFORMED)
        signature = payload.get(SIGNATURE_FIELD)
        if not signature or not isinstance(signature, str):
            return Verdict(payload, Refusal.UNSIGNED)
        try:
            raw_signature = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            return Verdict(payload, Refusal.BAD_SIGNATURE)
        assert isinstance(self.server_key, Ed25519PublicKey)
        if not ed25519_verifies(self.server_key, raw_signature, canonical_bytes(payload)):
            return Verdict(payload, Refusal.BAD_SIGNATURE)
        # Only a genuine payload is read further: its fields are the server's.
        if any(name not in payload for name in REQUIRED_FIELDS) or not isinstance(
            payload["expires_at"], int | float
        ):
            return Verdict(payload, Refusal.MALFORMED)
        if payload["terminal"] != self.terminal_code:
            return Verdict(payload, Refusal.WRONG_TERMINAL)
        if payload["issued_at"] > now + CLOCK_SKEW_SECONDS:
            return Verdict(payload, Refusal.NOT_YET_VALID)
        if payload["expires_at"] <= now:
            return Verdict(payload, Refusal.EXPIRED)
        # A withdrawal of a message is remembered apart from the message itself.
        kind = payload.get("type", ALERT)
        message = str(payload["message_id"]) if kind == ALERT else f"{kind}:{payload['message_id']}"
        if payload["nonce"] in self._seen_nonces or message in self._seen_messages:
            return Verdict(payload, Refusal.REPLAYED)
        self._seen_nonces[payload["nonce"]] = payload["expires_at"]
        self._seen_messages[message] = payload["expires_at"]
        return Verdict(payload)

    def _forget_expired(self, now: float) -> None:
        for memory in (self._seen_nonces, self._seen_messages):
            for key in [key for key, until in memory.items() if until <= now]:
                del memory[key]


def ack_bytes(
    *,
    terminal_code: str,
    message_id: str,
    nonce: str,
    status: AckStatus,
    at: float,
    private_key: Ed25519PrivateKey,
    detail: str = "",
) -> bytes:
    """An acknowledgement signed with the terminal's key, as it publishes it on its ack topic."""
    body: dict[str, Any] = {
        "terminal": terminal_code,
        "message_id": message_id,
        "nonce": nonce,
        "status": str(status),
        "at": at,
    }
    if detail:
        body["detail"] = detail
    return sign_payload(body, private_key, ACK_SIGNING_DOMAIN)


@dataclass(frozen=True)
class AckVerdict:
    """What the server made of one acknowledgement: its fields when it could read them, and why
    it refused it (None: signed by the terminal whose topic it came on)."""

    body: dict[str, Any] | None
    refusal: AckRefusal | None = None
    # The signature, to know the very same acknowledgement when it comes again.
    signature: str = ""

    @property
    def accepted(self) -> bool:
        return self.refusal is None


def read_ack(data: bytes, *, topic_terminal: str) -> AckVerdict:
    """An acknowledgement's fields, before its signature is checked: refused when it is not one
    or came on another terminal's topic."""
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return AckVerdict(None, AckRefusal.MALFORMED)
    if not isinstance(body, dict) or any(name not in body for name in ACK_FIELDS):
        return AckVerdict(None, AckRefusal.MALFORMED)
    if not all(isinstance(body[name], str) for name in ("terminal", "message_id", "nonce")):
        return AckVerdict(None, AckRefusal.MALFORMED)
    if not isinstance(body["at"], int | float) or not isinstance(body.get("detail", ""), str):
        return AckVerdict(None, AckRefusal.MALFORMED)
    signature = body.get(SIGNATURE_FIELD)
    if not signature or not isinstance(signature, str):
        return AckVerdict(body, AckRefusal.UNSIGNED)
    if body["terminal"] != topic_terminal:
        return AckVerdict(body, AckRefusal.WRONG_TERMINAL, signature)
    return AckVerdict(body, None, signature)


def verify_ack(
    verdict: AckVerdict, terminal_key: Ed25519PublicKey | bytes | str | None
) -> AckVerdict:
    """`verdict` (from read_ack) once its signature is checked with the terminal's public key."""
    if verdict.refusal is not None or verdict.body is None:
        return verdict
    if terminal_key is None or terminal_key == "":
        return AckVerdict(verdict.body, AckRefusal.NO_KEY, verdict.signature)
    try:
        raw_signature = base64.b64decode(verdict.signature, validate=True)
    except (binascii.Error, ValueError):
        return AckVerdict(verdict.body, AckRefusal.BAD_SIGNATURE, verdict.signature)
    signed = canonical_bytes(verdict.body, ACK_SIGNING_DOMAIN)
    if not ed25519_verifies(terminal_key, raw_signature, signed):
        return AckVerdict(verdict.body, AckRefusal.BAD_SIGNATURE, verdict.signature)
    return verdict


# A heartbeat says the terminal is alive (and whether it can play); signed like an
# acknowledgement, so that nobody on the broker can keep a dead loudspeaker "online".
HEARTBEAT_SIGNING_DOMAIN = b"gridgov-broadcast-heartbeat-v1\n"
HEARTBEAT_FIELDS = ("terminal", "faulty", "at")


def heartbeat_bytes(
    *, terminal_code: str, faulty: bool, at: float, private_key: Ed25519PrivateKey
) -> bytes:
    """A heartbeat signed with the terminal's key, as it publishes it on its heartbeat topic."""
    body = {"terminal": terminal_code, "faulty": faulty, "at": at}
    return sign_payload(body, private_key, HEARTBEAT_SIGNING_DOMAIN)


@dataclass(frozen=True)
class Heartbeat:
    terminal: str
    faulty: bool
    at: float


def read_heartbeat(
    data: bytes,
    *,
    topic_terminal: str,
    terminal_key: Ed25519PublicKey | bytes | str | None,
    now: float,
) -> Heartbeat | AckRefusal:
    """The heartbeat in `data` when the terminal whose topic it came on signed it lately (within
    the clock skew allowed either side); else why it is refused."""
    verdict = read_signed(data, HEARTBEAT_FIELDS, topic_terminal=topic_terminal)
    if isinstance(verdict, AckRefusal):
        return verdict
    body, signature = verdict
    if not isinstance(body["faulty"], bool) or not isinstance(body["at"], int | float):
        return AckRefusal.MALFORMED
    if terminal_key is None or terminal_key == "":
        return AckRefusal.NO_KEY
    try:
        raw_signature = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return AckRefusal.BAD_SIGNATURE
    if not ed25519_verifies(
        terminal_key, raw_signature, canonical_bytes(body, HEARTBEAT_SIGNING_DOMAIN)
    ):
        return AckRefusal.BAD_SIGNATURE
    if abs(now - float(body["at"])) > CLOCK_SKEW_SECONDS:
        return AckRefusal.REPLAYED
    return Heartbeat(terminal=body["terminal"], faulty=body["faulty"], at=float(body["at"]))


def read_signed(
    data: bytes, fields: tuple[str, ...], *, topic_terminal: str
) -> tuple[dict[str, Any], str] | AckRefusal:
    """A signed JSON object's fields and signature, before the signature is checked: refused
    when it is none, lacks a field, is unsigned or came on another terminal's topic."""
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return AckRefusal.MALFORMED
    if not isinstance(body, dict) or any(name not in body for name in fields):
        return AckRefusal.MALFORMED
    if not isinstance(body["terminal"], str):
        return AckRefusal.MALFORMED
    signature = body.get(SIGNATURE_FIELD)
    if not signature or not isinstance(signature, str):
        return AckRefusal.UNSIGNED
    if body["terminal"] != topic_terminal:
        return AckRefusal.WRONG_TERMINAL
    return body, signature


# A terminal fetching what a delivery names (its audio) signs the request with its own key.
REQUEST_SIGNING_DOMAIN = b"gridgov-terminal-request-v1\n"
TERMINAL_HEADER = "X-Gridgov-Terminal"
TIME_HEADER = "X-Gridgov-Time"
SIGNATURE_HEADER = "X-Gridgov-Signature"
# A signed request is good for this long either side of the server's clock.
REQUEST_WINDOW_SECONDS = 300


def request_bytes(*, method: str, path: str, terminal_code: str, at: int) -> bytes:
    """The bytes a terminal signs for one request."""
    return REQUEST_SIGNING_DOMAIN + f"{method.upper()}\n{path}\n{terminal_code}\n{at}".encode()


def signed_request_headers(
    *, method: str, path: str, terminal_code: str, private_key: Ed25519PrivateKey, at: int
) -> dict[str, str]:
    """The headers of a request signed by a terminal."""
    signature = private_key.sign(
        request_bytes(method=method, path=path, terminal_code=terminal_code, at=at)
    )
    return {
        TERMINAL_HEADER: terminal_code,
        TIME_HEADER: str(at),
        SIGNATURE_HEADER: base64.b64encode(signature).decode("ascii"),
    }


def request_verifies(
    *,
    method: str,
    path: str,
    terminal_code: str,
    at_text: str,
    signature: str,
    terminal_key: Ed25519PublicKey | bytes | str,
    now: float,
) -> bool:
    """Whether a request was signed by the terminal's key, recently."""
    try:
        at = int(at_text)
        raw_signature = base64.b64decode(signature, validate=True)
        key = _public_key(terminal_key)
        key.verify(
            raw_signature,
            request_bytes(method=method, path=path, terminal_code=terminal_code, at=at),
        )
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return abs(now - at) <= REQUEST_WINDOW_SECONDS
