"""Personal data at rest: encrypted (Fernet), searchable by a keyed hash, masked in every response.

Reading a value in full is a separate, audited step (`reveal`): the model field hands out an
`EncryptedValue` whose `str()` is the masked form, so a template or serializer that forgets
about it still shows only the mask.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


@lru_cache(maxsize=4)
def _hash_key(key: str) -> bytes:
    # A separate key for hashing, derived from the encryption key, so neither reveals the other.
    return hmac.new(key.encode(), b"gridgov-pii-search", hashlib.sha256).digest()


def encrypt(plain: str) -> str:
    return _fernet(settings.PII_KEY).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.PII_KEY).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("personal data cannot be decrypted with the configured key") from error


def search_hash(plain: str) -> str:
    """Keyed hash for exact search (a phone in E.164, an ID number upper-cased)."""
    normalized = plain.strip().upper()
    return hmac.new(_hash_key(settings.PII_KEY), normalized.encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    digits = phone.removeprefix("+86")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(number: str) -> str:
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


MASKERS = {"phone": mask_phone, "id_number": mask_id_number, "name": mask_name}


class EncryptedValue:
    """A decrypted value that prints masked; `.reveal()` returns it in full (audit that call)."""

    __slots__ = ("_kind", "_plain")

    def __init__(self, plain: str, kind: str) -> None:
        self._plain = plain
        self._kind = kind

    def __str__(self) -> str:
        return MASKERS[self._kind](self._plain) if self._plain else ""

    def __repr__(self) -> str:
        return f"EncryptedValue({self!s})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EncryptedValue):
            return self._plain == other._plain
        return False

    def __hash__(self) -> int:
        return hash(self._plain)

    def __bool__(self) -> bool:
        return bool(self._plain)

    @property
    def masked(self) -> str:
        return str(self)

    def reveal(self) -> str:
        return self._plain


if TYPE_CHECKING:
    _FieldBase = models.Field[EncryptedValue | str, EncryptedValue]
else:
    _FieldBase = models.Field  # Django's Field is not subscriptable at run time


class EncryptedField(_FieldBase):
    """Stores Fernet ciphertext in a text column; Python side is an EncryptedValue (masked when
    printed)."""

    def __init__(self, *args: Any, kind: str = "phone", **kwargs: Any) -> None:
        self.kind = kind
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> EncryptedValue:
        return EncryptedValue(decrypt(value) if value else "", self.kind)

    def to_python(self, value: Any) -> EncryptedValue:
        if isinstance(value, EncryptedValue):
            return value
        return EncryptedValue(value or "", self.kind)

    def get_prep_value(self, value: Any) -> str:
        if isinstance(value, EncryptedValue):
            value = value.reveal()
        return encrypt(value) if value else ""
