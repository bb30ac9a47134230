"""A recording chosen on the compose page survives the preview: the browser sends the file once,
so the server keeps it for its composer and the page carries a signed reference to it; saving
from the preview saves the message with that recording."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import wave
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gridgov.accounts.models import User
from gridgov.broadcast.models import AudioSource, Broadcast
from gridgov.browser_testing import PHONE, WIDE, new_page, note_overflow
from gridgov.cases.tests.test_journey_browser import log_in
from gridgov.core.access import Role
from gridgov.testing import Tree, build_tree, make_user

SIZES = [pytest.param(WIDE, id="1440px"), pytest.param(PHONE, id="390px")]


def _wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(struct.pack("<h", 100) * 2400)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _form(targets: list[str], **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "防汛紧急通知",
        "text": "渭河水位上涨，沿河群众请立即向高处转移。",
        "kind": "flood",
        "severity": "Severe",
        "urgency": "Immediate",
        "certainty": "Likely",
        "targets": targets,
        "repeats": "1",
    }
    data.update(changes)
    return data


def _kept(page: str) -> str:
    found = re.search(r'name="kept_audio" value="([^"]+)"', page)
    assert found, "the page carries no kept recording"
    return found.group(1)


def _staged(media: Path) -> list[Path]:
    folder = media / "broadcast" / "staged"
    return list(folder.iterdir()) if folder.exists() else []


def test_the_recording_chosen_before_the_preview_is_saved_with_the_message(
    tree: Tree, people: dict[str, User], client: Client, media: Path
) -> None:
    recording = _wav()
    client.force_login(people["operator"])
    url = reverse("broadcast:compose")
    # when the operator chooses a recording and asks for the preview
    preview = client.post(
        url,
        _form(
            [tree.villages[0]],
            step="preview",
            audio=SimpleUploadedFile("预警.wav", recording, "audio/wav"),
        ),
    )
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "data-kept-audio" in page
    assert "预警.wav" in page
    reference = _kept(page)
    assert not Broadcast.objects.exists()
    # then submits from the preview's page (the browser sends no file this time)
    response = client.post(url, _form([tree.villages[0]], step="submit", kept_audio=reference))
    assert response.status_code == 302
    message = Broadcast.objects.get()
    assert message.audio_source == AudioSource.UPLOAD
    with message.audio.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == hashlib.sha256(recording).hexdigest()
    # and the kept copy is gone
    assert _staged(media) == []


def test_a_form_error_keeps_the_recording_too_and_a_new_file_replaces_it(
    tree: Tree, people: dict[str, User], client: Client, media: Path
) -> None:
    client.force_login(people["operator"])
    url = reverse("broadcast:compose")
    first = client.post(
        url,
        _form(
            [tree.villages[0]],
            title="",
            step="submit",
            audio=SimpleUploadedFile("a.wav", _wav(), "audio/wav"),
        ),
    )
    assert first.status_code == 400
    reference = _kept(first.content.decode())
    other = _wav() + b"\0\0"
    response = client.post(
        url,
        _form(
            [tree.villages[0]],
            step="save",
            kept_audio=reference,
            audio=SimpleUploadedFile("b.wav", other, "audio/wav"),
        ),
    )
    assert response.status_code == 302
    assert Broadcast.objects.get().audio.size == len(other)


def test_another_person_s_or_an_altered_reference_brings_no_recording(
    tree: Tree, people: dict[str, User], client: Client, media: Path
) -> None:
    url = reverse("broadcast:compose")
    client.force_login(people["operator"])
    preview = client.post(
        url,
        _form(
            [tree.villages[0]],
            step="preview",
            audio=SimpleUploadedFile("a.wav", _wav(), "audio/wav"),
        ),
    )
    reference = _kept(preview.content.decode())
    # the town's official (who may compose for the village too) cannot use the operator's
    client.force_login(people["town"])
    assert (
        client.post(url, _form([tree.villages[0]], step="save", kept_audio=reference)).status_code
        == 302
    )
    assert not Broadcast.objects.get().audio
    # nor can anyone with a reference that was altered
    client.force_login(people["operator"])
    client.post(url, _form([tree.villages[0]], step="save", kept_audio=reference[:-2] + "xx"))
    assert not Broadcast.objects.order_by("-id").first().audio  # type: ignore[union-attr]


def test_a_file_that_is_no_recording_is_not_kept_and_is_refused_on_saving(
    tree: Tree, people: dict[str, User], client: Client, media: Path
) -> None:
    client.force_login(people["operator"])
    url = reverse("broadcast:compose")
    bogus = SimpleUploadedFile("a.wav", b"not a recording", "audio/wav")
    preview = client.post(url, _form([tree.villages[0]], step="preview", audio=bogus))
    assert "data-kept-audio" not in preview.content.decode()
    assert _staged(media) == []


def test_a_role_that_may_not_compose_gets_403(
    tree: Tree, people: dict[str, User], client: Client
) -> None:
    client.force_login(people["worker"])
    response = client.post(
        reverse("broadcast:compose"),
        _form(
            [tree.villages[0]],
            step="preview",
            audio=SimpleUploadedFile("a.wav", _wav(), "audio/wav"),
        ),
    )
    assert response.status_code == 403


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_in_chromium_the_recording_survives_the_preview(
    transactional_db: None,
    live_server: Any,
    browser: Any,
    size: Any,
    tmp_path: Path,
    media: Path,
) -> None:
    tree = build_tree()
    operator = make_user(Role.COUNTY_OPERATOR, tree.county, username="audio_operator")
    recording = tmp_path / "预警.wav"
    recording.write_bytes(_wav())
    errors: list[str] = []
    overflow: list[str] = []
    page = new_page(browser, size, errors)
    log_in(page, live_server.url, operator)
    page.goto(f"{live_server.url}/broadcast/new/")
    page.fill("#id_title", "渭河防汛紧急通知")
    page.fill("#id_text", "渭河水位上涨，沿河群众请立即向高处转移。")
    page.select_option("#id_kind", "flood")
    page.select_option("#id_severity", "Severe")
    page.select_option("#id_urgency", "Immediate")
    page.select_option("#id_certainty", "Likely")
    page.select_option("#id_targets", [tree.villages[0]])
    page.set_input_files("#id_audio", str(recording))
    # when the operator looks at the terminals reached first
    with page.expect_navigation():
        page.click("button[name=step][value=preview]")
    # then the page says the recording is kept
    assert page.locator("[data-kept-audio]").is_visible()
    assert "预警.wav" in page.locator("[data-kept-audio]").inner_text()
    note_overflow(page, size, "compose preview", overflow)
    # and submitting from there saves it with the message
    with page.expect_navigation():
        page.click("button[name=step][value=submit]")
    message = Broadcast.objects.get()
    assert message.audio_source == AudioSource.UPLOAD
    assert message.audio.size == recording.stat().st_size
    # the approver hears it on the message's page
    assert page.locator("audio").count() == 1
    assert not overflow, overflow
    assert not errors, errors
