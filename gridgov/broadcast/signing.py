"""The server's Ed25519 key and the signed payload each terminal receives.

The private key lives in a file outside the database (settings.BROADCAST_SIGNING_KEY_FILE),
created on first use where it is missing; a database backup never holds it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.urls import reverse

from gridgov.broadcast.models import Broadcast
from gridgov.broadcast.terminal_protocol import CANCEL, PROTOCOL_VERSION, sign_payload


@lru_cache(maxsize=4)
def _key_at(path: str) -> Ed25519PrivateKey:
    key_file = Path(path)
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Created readable by its owner only; a second process racing here keeps the first key.
        try:
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(pem)
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{key_file.name} holds no Ed25519 private key")
    return key


def server_private_key() -> Ed25519PrivateKey:
    return _key_at(str(settings.BROADCAST_SIGNING_KEY_FILE))


def server_public_key() -> str:
    """The public key terminals verify with: its 32 raw bytes in base64."""
    raw = (
        server_private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode("ascii")


def new_nonce() -> str:
    return secrets.token_hex(16)


def audio_reference(broadcast: Broadcast) -> dict[str, Any] | None:
    """The recording's name, size and SHA-256, and the path a terminal fetches it from (signing
    the request with its key), for it to fetch and check it."""
    audio: Any = broadcast.audio
    if not audio:
        return None
    digest = hashlib.sha256()
    size = 0
    with audio.open("rb") as stream:
        for chunk in iter(lambda: stream.read(65536), b""):
            digest.update(chunk)
            size += len(chunk)
    return {
        "name": audio.name,
        "size": size,
        "sha256": digest.hexdigest(),
        "path": reverse("broadcast:terminal-audio", kwargs={"identifier": broadcast.identifier}),
    }


def delivery_payload(
    *,
    broadcast: Broadcast,
    terminal_code: str,
    nonce: str,
    issued_at: datetime,
    audio: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What one terminal is sent for `broadcast`, before its signature."""
    payload: dict[str, Any] = {
        "v": PROTOCOL_VERSION,
        "message_id": str(broadcast.identifier),
        "terminal": terminal_code,
        "issued_at": int(issued_at.timestamp()),
        "expires_at": int(broadcast.expires_at.timestamp()),
        "nonce": nonce,
        "title": broadcast.title,
        "text": broadcast.text,
        "kind": broadcast.kind,
        "repeats": broadcast.repeats,
    }
    if audio is not None:
        payload["audio"] = audio
    return payload


def signed_delivery(
    *,
    broadcast: Broadcast,
    terminal_code: str,
    nonce: str,
    issued_at: datetime,
    audio: dict[str, Any] | None = None,
) -> bytes:
    """The signed bytes published to one terminal."""
    payload = delivery_payload(
        broadcast=broadcast,
        terminal_code=terminal_code,
        nonce=nonce,
        issued_at=issued_at,
        audio=audio,
    )
    return sign_payload(payload, server_private_key())


def signed_cancel(
    *, broadcast: Broadcast, terminal_code: str, nonce: str, issued_at: datetime
) -> bytes:
    """The signed bytes telling one terminal that `broadcast` is withdrawn: stop playing it and
    never play it. Valid as long as the message would have been."""
    payload: dict[str, Any] = {
        "v": PROTOCOL_VERSION,
        "type": CANCEL,
        "message_id": str(broadcast.identifier),
        "cancel_id": str(broadcast.cancel_identifier or ""),
        "terminal": terminal_code,
        "issued_at": int(issued_at.timestamp()),
        "expires_at": int(broadcast.expires_at.timestamp()),
        "nonce": nonce,
        "title": broadcast.title,
        "text": "",
    }
    return sign_payload(payload, server_private_key())
