"""A message's audio: a recording uploaded with it, or Chinese speech made on the server from its
text by an offline engine (eSpeak NG with its Mandarin voice, `cmn`) when one is installed.

The engine is the command named by settings.BROADCAST_SPEECH_ENGINE (default `espeak-ng`), found
on PATH; where there is none, the message goes to the terminals as text.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gridgov.broadcast.models import AudioSource, Broadcast
from gridgov.broadcast.states import State
from gridgov.broadcast.timeline import write_event

logger = logging.getLogger(__name__)

MAX_AUDIO_BYTES = 10 * 1024 * 1024
SPEECH_VOICE = "cmn"
SPEECH_TIMEOUT_SECONDS = 120
SPEECH_ACTION = "speech"
# A recording chosen on the compose page before its preview is kept this long for its composer.
STAGED_SALT = "gridgov.broadcast.staged-audio"
STAGED_MAX_AGE_SECONDS = 24 * 3600
STAGED_FOLDER = "broadcast/staged"


def audio_stage(*, actor_id: int, upload: UploadedFile) -> str | None:
    """Keep a recording chosen before the compose page's preview (a browser sends a file once:
    the preview's page cannot send it again), and return a signed reference to it for that
    composer only; None when it is no recording or too big (the form tells why on saving)."""
    kind = audio_kind(upload)
    size = upload.size or 0
    if kind is None or size > MAX_AUDIO_BYTES:
        return None
    stored = default_storage.save(f"{STAGED_FOLDER}/{uuid.uuid4().hex}.{kind}", upload)
    reference = {"file": stored, "name": (upload.name or "")[-100:], "size": size}
    return signing.dumps({**reference, "by": actor_id}, salt=STAGED_SALT, compress=True)


@dataclass(frozen=True)
class StagedAudio:
    file: str
    name: str
    size: int

    def upload(self) -> UploadedFile:
        """The kept recording, as if uploaded again."""
        return UploadedFile(default_storage.open(self.file, "rb"), name=self.name, size=self.size)

    def discard(self) -> None:
        default_storage.delete(self.file)


def audio_staged(*, actor_id: int, reference: str) -> StagedAudio | None:
    """The recording `reference` names, when this composer kept it lately; None otherwise (an
    old, altered or another person's reference)."""
    if not reference:
        return None
    try:
        data = signing.loads(reference, salt=STAGED_SALT, max_age=STAGED_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("by") != actor_id:
        return None
    stored = str(data.get("file", ""))
    if not stored.startswith(f"{STAGED_FOLDER}/") or not default_storage.exists(stored):
        return None
    return StagedAudio(file=stored, name=str(data.get("name", "")), size=int(data.get("size", 0)))


def audio_staged_sweep() -> int:
    """Delete the recordings kept for a preview whose reference has lapsed (the composer left
    without saving, or saved and the message holds its own copy): nothing can name them any
    more. Returns how many went."""
    if not default_storage.exists(STAGED_FOLDER):
        return 0
    oldest = timezone.now() - timedelta(seconds=STAGED_MAX_AGE_SECONDS)
    _folders, files = default_storage.listdir(STAGED_FOLDER)
    removed = 0
    for name in files:
        path = f"{STAGED_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < oldest:
            default_storage.delete(path)
            removed += 1
    return removed


def audio_kind(upload: UploadedFile) -> str | None:
    """The recording's file extension by what it is (its first bytes, not the client's word):
    WAV, MP3 or Ogg; None for anything else."""
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:3] == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def speech_engine() -> str | None:
    """The installed engine's path, or None."""
    name = str(getattr(settings, "BROADCAST_SPEECH_ENGINE", "espeak-ng") or "")
    return shutil.which(name) if name else None


def synthesize(text: str, engine: str) -> bytes:
    """The text spoken in Mandarin as WAV bytes; subprocess.CalledProcessError or
    subprocess.TimeoutExpired when the engine fails."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "speech.wav"
        subprocess.run(  # noqa: S603
            [engine, "-v", SPEECH_VOICE, "-w", str(out), "--stdin"],
            input=text.encode("utf-8"),
            check=True,
            capture_output=True,
            timeout=SPEECH_TIMEOUT_SECONDS,
        )
        return out.read_bytes()


def broadcast_speak(*, broadcast_id: int, revision: int) -> bool:
    """Attach speech of the message's text as its audio, made for `revision` only: nothing when
    no engine is installed, the message has a recording, was edited since, or is approved or
    beyond (what the approver approved is what goes out). Whether it attached speech."""
    engine = speech_engine()
    broadcast = Broadcast.objects.filter(pk=broadcast_id).first()
    if engine is None or broadcast is None or not _speakable(broadcast, revision):
        return False
    try:
        wav = synthesize(broadcast.text, engine)
    except (OSError, subprocess.SubprocessError):
        logger.exception("speech engine failed for broadcast %s", broadcast_id)
        return False
    with transaction.atomic():
        broadcast = Broadcast.objects.select_for_update().get(pk=broadcast_id)
        if not _speakable(broadcast, revision):
            return False
        broadcast.audio.save(
            f"{broadcast.identifier}-r{revision}.wav", ContentFile(wav), save=False
        )
        broadcast.audio_source = AudioSource.SPEECH
        broadcast.save(update_fields=["audio", "audio_source"])
        write_event(
            broadcast=broadcast,
            actor=None,
            action=SPEECH_ACTION,
            from_state=broadcast.state,
            now=timezone.now(),
            data={"size": len(wav), "sha256": hashlib.sha256(wav).hexdigest()},
        )
    return True


def _speakable(broadcast: Broadcast, revision: int) -> bool:
    return (
        broadcast.revision == revision
        and broadcast.state in (State.DRAFT, State.SUBMITTED)
        and broadcast.audio_source != AudioSource.UPLOAD
    )
