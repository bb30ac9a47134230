"""Terminals' Ed25519 public keys, as registers give them (PEM, base64 or hex of the 32 raw
bytes), kept in one form: the raw key in base64."""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

RAW_KEY_BYTES = 32


class InvalidPublicKey(ValueError):
    """The text is no Ed25519 public key in any form we read."""


def normalise_public_key(text: str) -> str:
    """The key as base64 of its 32 raw bytes; InvalidPublicKey when it is none."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text.encode("ascii"))
        except (ValueError, TypeError, UnicodeEncodeError) as error:
            raise InvalidPublicKey("not a PEM public key") from error
        if not isinstance(key, Ed25519PublicKey):
            raise InvalidPublicKey("not an Ed25519 key")
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    else:
        compact = "".join(text.split())
        raw = b""
        if len(compact) == 2 * RAW_KEY_BYTES:
            try:
                raw = bytes.fromhex(compact)
            except ValueError:
                raw = b""
        if not raw:
            try:
                raw = base64.b64decode(compact, validate=True)
            except (binascii.Error, ValueError) as error:
                raise InvalidPublicKey("neither base64 nor hex") from error
        if len(raw) != RAW_KEY_BYTES:
            raise InvalidPublicKey("an Ed25519 public key has 32 bytes")
        try:
            Ed25519PublicKey.from_public_bytes(raw)
        except ValueError as error:
            raise InvalidPublicKey("not an Ed25519 public key") from error
    return base64.b64encode(raw).decode("ascii")
