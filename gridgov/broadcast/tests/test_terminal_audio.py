"""A terminal fetches the recording its signed delivery names, signing the request with its own
key, and plays it only when its size and SHA-256 match the signed ones. No login opens the route;
only a terminal the message was sent to gets it."""

from __future__ import annotations

import hashlib
import io
import struct
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gridgov.accounts.models import User
from gridgov.broadcast import tasks
from gridgov.broadcast.delivery import deliveries_publish, deliveries_write
from gridgov.broadcast.listener import DeliveryListener
from gridgov.broadcast.models import Broadcast, Delivery, DeliveryStatus, Terminal, TerminalStatus
from gridgov.broadcast.services import broadcast_transition
from gridgov.broadcast.signing import audio_reference, server_public_key
from gridgov.broadcast.simulator import (
    AUDIO_DETAIL,
    TerminalSimulator,
    public_key_text,
    simulated_terminal_key,
)
from gridgov.broadcast.states import Action
from gridgov.broadcast.terminal_protocol import TerminalVerifier, signed_request_headers
from gridgov.broadcast.terminal_services import terminal_keys_register
from gridgov.testing import Tree


def _wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(struct.pack("<h", 0) * 1600)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _sent_with_audio(
    compose: Callable[..., Broadcast], people: dict[str, User], targets: list[str]
) -> Broadcast:
    """Approved with a recording, its deliveries written (not published: the approval's own
    dispatch is held back, as it would run at once outside a test's transaction)."""
    message = compose(
        people["operator"], targets, audio=SimpleUploadedFile("r.wav", _wav(), "audio/wav")
    )
    with mock.patch.object(tasks, "dispatch_broadcast", return_value=None):
        broadcast_transition(actor=people["leader"], broadcast=message, action=Action.APPROVE)
    deliveries_write(broadcast_id=message.pk)
    message.refresh_from_db()
    return message


def _headers(
    path: str, code: str, key: Ed25519PrivateKey, at: float | None = None
) -> dict[str, str]:
    signed = signed_request_headers(
        method="GET",
        path=path,
        terminal_code=code,
        private_key=key,
        at=int(time.time() if at is None else at),
    )
    return signed


@pytest.fixture
def keys(terminals: list[Terminal]) -> dict[str, Ed25519PrivateKey]:
    made = {terminal.code: simulated_terminal_key(terminal.code) for terminal in terminals}
    terminal_keys_register(keys={code: public_key_text(key) for code, key in made.items()})
    return made


def test_a_terminal_the_message_went_to_fetches_its_recording_and_checks_it(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    keys: dict[str, Ed25519PrivateKey],
    client: Client,
) -> None:
    message = _sent_with_audio(compose, people, [tree.villages[0]])
    delivery = Delivery.objects.filter(broadcast=message).select_related("terminal")[0]
    code = delivery.terminal.code
    # the signed payload names where it is, its size and SHA-256
    verdict = TerminalVerifier(terminal_code=code, server_key=server_public_key()).verify(
        delivery.payload.encode()
    )
    assert verdict.payload is not None
    audio = verdict.payload["audio"]
    assert audio == audio_reference(message)
    response = client.get(audio["path"], headers=_headers(audio["path"], code, keys[code]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert len(body) == audio["size"]
    assert hashlib.sha256(body).hexdigest() == audio["sha256"] == response["X-Content-SHA256"]
    assert response["Cache-Control"] == "private, no-store"


def test_refusals_unsigned_another_key_stale_tampered_path_not_sent_and_a_person(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    keys: dict[str, Ed25519PrivateKey],
    client: Client,
) -> None:
    message = _sent_with_audio(compose, people, [tree.villages[0]])
    path = audio_reference(message)["path"]  # type: ignore[index]
    code = Delivery.objects.filter(broadcast=message).values_list("terminal__code", flat=True)[0]
    # unsigned: 401
    assert client.get(path).status_code == 401
    # a person logged in (even the operator who sent it) is no terminal: 401
    client.force_login(people["operator"])
    assert client.get(path).status_code == 401
    client.logout()
    # signed by another key, or long ago, or for another path: 403
    assert (
        client.get(path, headers=_headers(path, code, Ed25519PrivateKey.generate())).status_code
        == 403
    )
    stale = _headers(path, code, keys[code], at=time.time() - 3_600)
    assert client.get(path, headers=stale).status_code == 403
    assert client.get(path, headers=_headers(path + "x", code, keys[code])).status_code == 403
    # a terminal of another village (its own genuine signature): the message did not go to it
    elsewhere = next(t.code for t in terminals if t.village_code == tree.villages[1])
    assert client.get(path, headers=_headers(path, elsewhere, keys[elsewhere])).status_code == 404
    # an unknown terminal, and a message with no recording: 404
    assert client.get(path, headers=_headers(path, "NOPE", keys[code])).status_code == 404
    plain = compose(people["operator"], [tree.villages[0]])
    with mock.patch.object(tasks, "dispatch_broadcast", return_value=None):
        broadcast_transition(actor=people["leader"], broadcast=plain, action=Action.APPROVE)
    deliveries_write(broadcast_id=plain.pk)
    plain_path = f"/broadcast/terminal/{plain.identifier}/audio/"
    assert client.get(plain_path, headers=_headers(plain_path, code, keys[code])).status_code == 404
    # a bad identifier is no route at all
    assert client.get("/broadcast/terminal/not-a-uuid/audio/").status_code == 404
    # and writing is not allowed
    assert client.post(path, headers=_headers(path, code, keys[code])).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_simulated_terminals_fetch_the_recording_and_refuse_one_that_does_not_match(
    live_server: Any,
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    mqtt_broker: str,
) -> None:
    message = _sent_with_audio(compose, people, [tree.villages[0]])
    online = [
        t.code
        for t in terminals
        if t.village_code == tree.villages[0] and t.status == TerminalStatus.ONLINE
    ]
    simulator = TerminalSimulator(
        url=mqtt_broker, codes=online, server_key=server_public_key(), server_url=live_server.url
    )
    terminal_keys_register(keys=simulator.public_keys())
    simulator.start()
    listener = DeliveryListener(mqtt_broker, client_id=f"audio-{time.monotonic_ns()}").start()
    try:
        deliveries_publish(broadcast_id=message.pk, resend_after=None)
        deadline = time.monotonic() + 15
        while Delivery.objects.filter(
            broadcast=message, status=DeliveryStatus.PLAYED
        ).count() < len(online):
            assert time.monotonic() < deadline, (
                simulator.arrivals,
                simulator.refusals,
                simulator.audio_fetched,
                simulator.audio_refused,
                list(Delivery.objects.filter(broadcast=message).values_list("status", "detail")),
            )
            listener.run_once(wait=0.05)
        assert simulator.audio_fetched == len(online)
        assert len(simulator.playback_log) == len(online)
        # when the stored recording no longer matches what was signed (changed on the server)
        second = _sent_with_audio(compose, people, [tree.villages[0]])
        with open(second.audio.path, "ab") as stored:
            stored.write(b"tampered")
        deliveries_publish(broadcast_id=second.pk, resend_after=None)
        deadline = time.monotonic() + 15
        refused = Delivery.objects.filter(broadcast=second, detail=AUDIO_DETAIL)
        while refused.count() < len(online):
            assert time.monotonic() < deadline, "the terminals did not refuse the recording"
            listener.run_once(wait=0.05)
    finally:
        listener.stop()
        simulator.stop()
    # then they did not play it, and said why
    assert simulator.audio_refused == len(online)
    assert len(simulator.playback_log) == len(online)
    assert set(
        Delivery.objects.filter(broadcast=second, terminal__code__in=online).values_list(
            "detail", flat=True
        )
    ) == {AUDIO_DETAIL}
