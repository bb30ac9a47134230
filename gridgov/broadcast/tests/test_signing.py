"""Every delivery is signed with the server's key; a terminal refuses an unsigned, tampered,
misaddressed, expired or replayed one, and plays a genuine one once."""

from __future__ import annotations

import base64
import json
import stat
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.broadcast.models import Broadcast
from gridgov.broadcast.signing import (
    delivery_payload,
    new_nonce,
    server_private_key,
    server_public_key,
    signed_delivery,
)
from gridgov.broadcast.terminal_protocol import (
    SIGNATURE_FIELD,
    Refusal,
    TerminalVerifier,
    sign_payload,
)
from gridgov.testing import Tree

TERMINAL = "T-0001"


@pytest.fixture
def message(compose: Callable[..., Broadcast], people: dict[str, User], tree: Tree) -> Broadcast:
    return compose(people["operator"], [tree.villages[0]])


@pytest.fixture
def verifier() -> TerminalVerifier:
    return TerminalVerifier(terminal_code=TERMINAL, server_key=server_public_key())


def _signed(message: Broadcast, **changes: Any) -> bytes:
    return signed_delivery(
        broadcast=message,
        terminal_code=changes.pop("terminal_code", TERMINAL),
        nonce=changes.pop("nonce", new_nonce()),
        issued_at=changes.pop("issued_at", timezone.now()),
        **changes,
    )


def test_the_key_is_made_once_outside_the_database_and_readable_by_its_owner_only(
    signing_key_file: Path,
) -> None:
    # given no key file yet
    assert not signing_key_file.exists()
    # when the server signs for the first time
    first = server_public_key()
    # then the key is in its file, private, and the same key signs from then on
    assert signing_key_file.exists()
    assert stat.S_IMODE(signing_key_file.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in signing_key_file.read_bytes()
    assert server_public_key() == first
    assert len(base64.b64decode(first)) == 32


def test_a_genuine_delivery_is_accepted_with_its_message(
    message: Broadcast, verifier: TerminalVerifier
) -> None:
    # when the terminal checks what the server signed for it
    verdict = verifier.verify(_signed(message))
    # then it plays exactly the message's text
    assert verdict.accepted
    assert verdict.payload is not None
    assert verdict.payload["message_id"] == str(message.identifier)
    assert verdict.payload["text"] == message.text
    assert verdict.payload["expires_at"] == int(message.expires_at.timestamp())


def test_the_audio_reference_is_signed_with_the_text(
    message: Broadcast, verifier: TerminalVerifier
) -> None:
    audio = {"name": "broadcast/audio/a.wav", "size": 44, "sha256": "ab" * 32}
    signed = json.loads(_signed(message, audio=audio))
    assert verifier.verify(json.dumps(signed).encode()).payload == signed
    # a changed digest (another recording) breaks the signature
    signed["audio"]["sha256"] = "cd" * 32
    other = TerminalVerifier(terminal_code=TERMINAL, server_key=server_public_key())
    assert other.verify(json.dumps(signed).encode()).refusal == Refusal.BAD_SIGNATURE


def test_an_unsigned_delivery_is_refused(message: Broadcast, verifier: TerminalVerifier) -> None:
    payload = delivery_payload(
        broadcast=message, terminal_code=TERMINAL, nonce=new_nonce(), issued_at=timezone.now()
    )
    assert verifier.verify(json.dumps(payload).encode()).refusal == Refusal.UNSIGNED
    payload[SIGNATURE_FIELD] = ""
    assert verifier.verify(json.dumps(payload).encode()).refusal == Refusal.UNSIGNED


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "水位正常，无需转移。"),
        ("message_id", "00000000-0000-0000-0000-000000000000"),
        ("expires_at", 4_102_444_800),
        ("repeats", 9),
    ],
)
def test_a_tampered_delivery_is_refused(
    message: Broadcast, verifier: TerminalVerifier, field: str, value: Any
) -> None:
    # given a genuine delivery changed on its way
    signed = json.loads(_signed(message))
    signed[field] = value
    # then the terminal refuses it and plays nothing
    verdict = verifier.verify(json.dumps(signed, ensure_ascii=False).encode())
    assert verdict.refusal == Refusal.BAD_SIGNATURE
    assert not verdict.accepted


def test_a_delivery_signed_by_another_key_is_refused(
    message: Broadcast, verifier: TerminalVerifier
) -> None:
    payload = delivery_payload(
        broadcast=message, terminal_code=TERMINAL, nonce=new_nonce(), issued_at=timezone.now()
    )
    forged = sign_payload(payload, Ed25519PrivateKey.generate())
    assert verifier.verify(forged).refusal == Refusal.BAD_SIGNATURE
    # and a signature that is not base64 at all
    garbled = {**json.loads(forged), SIGNATURE_FIELD: "not base64!"}
    assert verifier.verify(json.dumps(garbled).encode()).refusal == Refusal.BAD_SIGNATURE


def test_a_delivery_for_another_terminal_is_refused(
    message: Broadcast, verifier: TerminalVerifier
) -> None:
    assert verifier.verify(_signed(message, terminal_code="T-9999")).refusal == (
        Refusal.WRONG_TERMINAL
    )


def test_an_expired_delivery_is_refused(message: Broadcast) -> None:
    # given a terminal whose clock is past the message's expiry
    later = message.expires_at.timestamp() + 1
    verifier = TerminalVerifier(
        terminal_code=TERMINAL, server_key=server_public_key(), clock=lambda: later
    )
    assert verifier.verify(_signed(message)).refusal == Refusal.EXPIRED


def test_a_delivery_issued_in_the_future_is_refused(
    message: Broadcast, verifier: TerminalVerifier
) -> None:
    ahead = timezone.now() + timedelta(hours=1)
    assert verifier.verify(_signed(message, issued_at=ahead)).refusal == Refusal.NOT_YET_VALID


def test_a_replayed_delivery_is_refused_and_a_resend_is_not_played_twice(
    message: Broadcast, verifier: TerminalVerifier
) -> None:
    # given a delivery the terminal accepted
    delivery = _signed(message)
    assert verifier.verify(delivery).accepted
    # when the same bytes arrive again (a QoS 1 resend, or a recording played back)
    again = verifier.verify(delivery)
    # then they are known, not played
    assert again.refusal == Refusal.REPLAYED
    assert again.payload is not None
    assert again.payload["message_id"] == str(message.identifier)
    # and the same message signed afresh with a new nonce is not played twice either
    assert verifier.verify(_signed(message)).refusal == Refusal.REPLAYED


def test_the_replay_memory_forgets_what_has_expired(message: Broadcast) -> None:
    now = [timezone.now().timestamp()]
    verifier = TerminalVerifier(
        terminal_code=TERMINAL, server_key=server_public_key(), clock=lambda: now[0]
    )
    delivery = _signed(message)
    assert verifier.verify(delivery).accepted
    # past the expiry the delivery is refused as expired, and nothing is remembered for it
    now[0] = message.expires_at.timestamp() + 1
    assert verifier.verify(delivery).refusal == Refusal.EXPIRED
    assert verifier.remembered == 0


@pytest.mark.parametrize("data", [b"", b"\xff\xfe", b"[1, 2]", b"null", b"not json"])
def test_garbage_is_refused_as_malformed(verifier: TerminalVerifier, data: bytes) -> None:
    assert verifier.verify(data).refusal == Refusal.MALFORMED


def test_a_signed_payload_without_the_protocol_fields_is_refused(
    verifier: TerminalVerifier,
) -> None:
    assert verifier.verify(sign_payload({"v": 1}, server_private_key())).refusal == (
        Refusal.MALFORMED
    )
