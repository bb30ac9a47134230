"""A message's audio: a recording uploaded on the compose page or through the API (audio only,
size-limited, nothing saved otherwise), carried with its size and SHA-256 in the signed payload
and in the CAP resource; and speech made from the text by an offline engine, where one is
installed (a fake command here, eSpeak NG where the machine has it)."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import stat
import struct
import sys
import wave
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from gridgov.broadcast import audio as broadcast_audio
from gridgov.broadcast.cap import cap_alert
from gridgov.broadcast.models import AudioSource, Broadcast, BroadcastEvent
from gridgov.broadcast.services import broadcast_transition, broadcast_update
from gridgov.broadcast.signing import audio_reference, delivery_payload
from gridgov.broadcast.states import State
from gridgov.broadcast.tests.conftest import message_input

pytestmark = pytest.mark.django_db


def _wav(seconds: float = 0.2) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(struct.pack("<h", 0) * int(8000 * seconds))
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _stored(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def _form(targets: list[str], **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "防汛紧急通知",
        "text": "渭河水位上涨，沿河群众请立即向高处转移。",
        "kind": "flood",
        "severity": "Severe",
        "urgency": "Immediate",
        "certainty": "Likely",
        "targets": targets,
        "repeats": "2",
        "step": "submit",
    }
    data.update(changes)
    return data


def test_a_recording_uploaded_on_the_page_goes_in_the_payload_and_the_cap_resource(
    tree, people, client, media
):
    recording = _wav()
    client.force_login(people["operator"])
    response = client.post(
        reverse("broadcast:compose"),
        _form([tree.villages[0]], audio=SimpleUploadedFile("录音.wav", recording, "audio/wav")),
    )
    assert response.status_code == 302
    message = Broadcast.objects.get()
    assert message.audio_source == AudioSource.UPLOAD
    assert str(message.audio.name).endswith(".wav")
    # the signed payload names its size and SHA-256
    reference = audio_reference(message)
    assert reference == {
        "name": message.audio.name,
        "size": len(recording),
        "sha256": hashlib.sha256(recording).hexdigest(),
        "path": f"/broadcast/terminal/{message.identifier}/audio/",
    }
    payload = delivery_payload(
        broadcast=message,
        terminal_code="T1",
        nonce="n",
        issued_at=message.created_at,
        audio=reference,
    )
    assert payload["audio"]["sha256"] == hashlib.sha256(recording).hexdigest()
    # and the CAP alert lists it as a resource with its type, size and digest
    cap = cap_alert(message).decode("utf-8")
    assert "<mimeType>audio/x-wav</mimeType>" in cap or "<mimeType>audio/wav</mimeType>" in cap
    assert f"<size>{len(recording)}</size>" in cap
    assert hashlib.sha1(recording, usedforsecurity=False).hexdigest() in cap
    # the approver hears exactly that recording on the message's page
    client.force_login(people["leader"])
    page = client.get(reverse("broadcast:detail", args=[message.pk])).content.decode()
    assert reverse("broadcast:audio", args=[message.pk]) in page
    heard = client.get(reverse("broadcast:audio", args=[message.pk]))
    assert heard.status_code == 200
    assert b"".join(heard.streaming_content) == recording
    # the compose row of the timeline records the upload
    compose = BroadcastEvent.objects.get(broadcast=message, action="compose")
    assert compose.data["audio_size"] == len(recording)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("notes.wav", b"%PDF-1.7 not a recording", "broadcast.audio_type"),
        ("script.mp3", b"#!/bin/sh\necho hi\n", "broadcast.audio_type"),
        ("long.wav", b"RIFF\x00\x00\x00\x00WAVE" + b"\x00" * (10 * 1024 * 1024), "too_large"),
    ],
)
def test_the_page_refuses_what_is_not_a_recording_or_too_big_and_saves_nothing(
    tree, people, client, media, name, content, code
):
    client.force_login(people["operator"])
    response = client.post(
        reverse("broadcast:compose"),
        _form([tree.villages[0]], audio=SimpleUploadedFile(name, content, "audio/wav")),
    )
    assert response.status_code == 400
    assert "has-errors" in response.content.decode()
    assert Broadcast.objects.count() == 0
    assert _stored(media) == []


def test_the_api_takes_a_recording_as_multipart(tree, people, media):
    api = APIClient()
    api.force_authenticate(people["operator"])
    recording = _wav(0.1)
    response = api.post(
        "/api/v1/broadcasts/",
        {
            "title": "停电通知",
            "text": "明日上午八点至十二点停电检修。",
            "kind": "notice",
            "severity": "Minor",
            "urgency": "Future",
            "certainty": "Likely",
            "targets": [tree.villages[0], tree.villages[1]],
            "audio": SimpleUploadedFile("notice.mp3", b"ID3\x03\x00" + b"\x00" * 64, "audio/mpeg"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    message = Broadcast.objects.get()
    assert str(message.audio.name).endswith(".mp3")
    assert message.target_codes == sorted([tree.villages[0], tree.villages[1]])
    # an edit with a new recording replaces it, and is a new revision
    response = api.patch(
        f"/api/v1/broadcasts/{message.pk}/",
        {"audio": SimpleUploadedFile("new.wav", recording, "audio/wav")},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    message.refresh_from_db()
    assert message.revision == 2
    assert str(message.audio.name).endswith(".wav")
    assert message.target_codes == sorted([tree.villages[0], tree.villages[1]])
    assert audio_reference(message)["size"] == len(recording)  # type: ignore[index]


def test_the_api_refuses_a_bad_recording_with_400_and_saves_nothing(tree, people, media):
    api = APIClient()
    api.force_authenticate(people["operator"])
    body = {
        "title": "停电通知",
        "text": "明日停电检修。",
        "kind": "notice",
        "severity": "Minor",
        "urgency": "Future",
        "certainty": "Likely",
        "targets": [tree.villages[0]],
        "audio": SimpleUploadedFile("x.ogg", b"<html>not audio</html>", "audio/ogg"),
    }
    response = api.post("/api/v1/broadcasts/", body, format="multipart")
    assert response.status_code == 400
    assert "broadcast.audio_type" in json.dumps(response.json())
    assert Broadcast.objects.count() == 0
    assert _stored(media) == []


def test_another_jurisdiction_gets_404_and_a_role_without_the_broadcast_403(
    tree, people, client, compose, media
):
    message = compose(people["secretary"], [tree.villages[0]])
    broadcast_update(
        actor=people["secretary"],
        broadcast=message,
        data=message_input(
            [tree.villages[0]], audio=SimpleUploadedFile("a.wav", _wav(), "audio/wav")
        ),
    )
    url = reverse("broadcast:audio", args=[message.pk])
    client.force_login(people["other_town"])
    assert client.get(url).status_code == 404
    client.force_login(people["worker"])
    assert client.get(url).status_code == 403
    api = APIClient()
    api.force_authenticate(people["other_town"])
    patch = api.patch(
        f"/api/v1/broadcasts/{message.pk}/",
        {"audio": SimpleUploadedFile("b.wav", _wav(), "audio/wav")},
        format="multipart",
    )
    assert patch.status_code == 404
    api.force_authenticate(people["worker"])
    created = api.post(
        "/api/v1/broadcasts/",
        {
            **{k: v for k, v in _form([tree.villages[0]]).items() if k not in ("step",)},
            "audio": SimpleUploadedFile("c.wav", _wav(), "audio/wav"),
        },
        format="multipart",
    )
    assert created.status_code == 403
    message.refresh_from_db()
    assert message.revision == 2
    assert len(_stored(media)) == 1


@pytest.fixture
def fake_engine(tmp_path: Path, settings: Any) -> Path:
    """A stand-in for espeak-ng: checks it was asked for the Mandarin voice and writes a WAV of
    the text's length to the -w path, recording what it read from its stdin."""
    script = tmp_path / "fake-espeak-ng"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys, wave\n"
        "args = sys.argv[1:]\n"
        "assert args[args.index('-v') + 1] == 'cmn', args\n"
        "assert '--stdin' in args, args\n"
        "text = sys.stdin.buffer.read().decode('utf-8')\n"
        "out = args[args.index('-w') + 1]\n"
        "open(out + '.txt', 'w', encoding='utf-8').write(text)\n"
        "with wave.open(out, 'wb') as w:\n"
        "    w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)\n"
        "    w.writeframes(b'\\x00\\x00' * 80 * len(text))\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    settings.BROADCAST_SPEECH_ENGINE = str(script)
    return script


def test_speech_is_made_from_the_text_by_the_engine_and_attached(
    tree, people, compose, fake_engine, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = compose(people["operator"], [tree.villages[0]])
    message.refresh_from_db()
    assert message.audio_source == AudioSource.SPEECH
    assert str(message.audio.name).endswith(".wav")
    with message.audio.open("rb") as stream, wave.open(stream) as heard:
        assert heard.getnframes() == 80 * len(message.text)
    event = BroadcastEvent.objects.get(broadcast=message, action="speech")
    assert event.actor is None
    assert event.data["size"] == audio_reference(message)["size"]  # type: ignore[index]
    # an edit of the text makes speech of the new text, for the new revision
    with django_capture_on_commit_callbacks(execute=True):
        broadcast_update(
            actor=people["operator"],
            broadcast=message,
            data=message_input([tree.villages[0]], text="水位回落，转移群众可以返回。"),
        )
    message.refresh_from_db()
    assert message.revision == 2
    assert str(message.audio.name).endswith("-r2.wav")
    with message.audio.open("rb") as stream, wave.open(stream) as heard:
        assert heard.getnframes() == 80 * len("水位回落，转移群众可以返回。")


def test_speech_never_replaces_an_uploaded_recording_nor_changes_an_approved_message(
    tree, people, compose, fake_engine, media, django_capture_on_commit_callbacks
):
    recording = _wav()
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = compose(
            people["operator"],
            [tree.villages[0]],
            audio=SimpleUploadedFile("r.wav", recording, "audio/wav"),
        )
    uploaded.refresh_from_db()
    assert uploaded.audio_source == AudioSource.UPLOAD
    assert audio_reference(uploaded)["size"] == len(recording)  # type: ignore[index]
    # a message approved before its speech was made goes as approved
    message = compose(people["operator"], [tree.villages[0]])
    broadcast_transition(actor=people["leader"], broadcast=message, action="approve")
    message.refresh_from_db()
    assert message.state in (State.APPROVED, State.DISPATCHED)
    assert broadcast_audio.broadcast_speak(broadcast_id=message.pk, revision=1) is False
    message.refresh_from_db()
    assert not message.audio


def test_without_an_engine_the_message_goes_as_text(tree, people, compose, settings, media):
    settings.BROADCAST_SPEECH_ENGINE = ""
    message = compose(people["operator"], [tree.villages[0]])
    assert broadcast_audio.broadcast_speak(broadcast_id=message.pk, revision=1) is False
    message.refresh_from_db()
    assert not message.audio
    assert audio_reference(message) is None
    settings.BROADCAST_SPEECH_ENGINE = "no-such-speech-engine"
    assert broadcast_audio.speech_engine() is None


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="eSpeak NG is not installed")
def test_espeak_ng_speaks_mandarin_as_wav(settings):
    settings.BROADCAST_SPEECH_ENGINE = "espeak-ng"
    engine = broadcast_audio.speech_engine()
    assert engine is not None
    wav = broadcast_audio.synthesize("渭河水位上涨。", engine)
    assert wav[:4] == b"RIFF"
    assert wav[8:12] == b"WAVE"
