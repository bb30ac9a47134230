"""A search by a reporter's phone as an address carries it (a page's link, an API list's query):
signed, holding the phone's keyed hash and its masked form, never the number."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from gridgov.core.pii import mask_phone, search_hash


@dataclass(frozen=True)
class CallerSearch:
    """A search by the reporter's phone as the list's address carries it: the phone's keyed
    hash (what the cases are matched on) and its masked form (what the page shows), signed, so
    the full number is never in an address, a browser's history or a server's log."""

    phone_hash: str
    masked: str

    _SALT = "cases.caller-search"

    @classmethod
    def for_phone(cls, phone: str) -> CallerSearch:
        return cls(phone_hash=search_hash(phone), masked=mask_phone(phone))

    def token(self) -> str:
        return signing.dumps([self.phone_hash, self.masked], salt=self._SALT, compress=True)

    @classmethod
    def from_token(cls, token: str) -> CallerSearch | None:
        try:
            phone_hash, masked = signing.loads(token, salt=cls._SALT)
        except (signing.BadSignature, ValueError, TypeError):
            return None
        return cls(phone_hash=str(phone_hash), masked=str(masked))
