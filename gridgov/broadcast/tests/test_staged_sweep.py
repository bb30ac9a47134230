"""Recordings kept for a preview are deleted once their reference has lapsed, and not before."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from gridgov.broadcast.audio import (
    STAGED_MAX_AGE_SECONDS,
    audio_stage,
    audio_staged,
    audio_staged_sweep,
)
from gridgov.broadcast.tests.test_compose_keeps_audio import _wav


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _staged(actor_id: int) -> str:
    reference = audio_stage(
        actor_id=actor_id, upload=SimpleUploadedFile("通知.wav", _wav(), "audio/wav")
    )
    assert reference is not None
    return reference


def test_only_recordings_older_than_a_reference_lives_are_swept() -> None:
    # given two kept recordings, one kept longer ago than a reference is honoured
    old, fresh = _staged(1), _staged(1)
    old_file = audio_staged(actor_id=1, reference=old)
    fresh_file = audio_staged(actor_id=1, reference=fresh)
    assert old_file is not None
    assert fresh_file is not None
    long_ago = time.time() - STAGED_MAX_AGE_SECONDS - 60
    os.utime(default_storage.path(old_file.file), (long_ago, long_ago))
    # when
    removed = audio_staged_sweep()
    # then
    assert removed == 1
    assert not default_storage.exists(old_file.file)
    assert default_storage.exists(fresh_file.file)
    assert audio_staged(actor_id=1, reference=fresh) is not None
    # and a second sweep finds nothing more
    assert audio_staged_sweep() == 0


def test_a_sweep_with_nothing_ever_kept_does_nothing() -> None:
    assert audio_staged_sweep() == 0
