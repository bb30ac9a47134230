"""The actor of a management command run at the server's shell without naming an account."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class ShellActor:
    """Whoever runs a command on the server itself; they already hold the database.

    It has no account: it exists for the first import of a county, before any account can hold
    a role there, and for exports from the shell. Its permissions and codes are fixed by the
    command that creates it, and the audit log names it by `label`.
    """

    codes: tuple[str, ...]
    permissions: frozenset[str]
    label: str
    pk: None = None
    is_authenticated: bool = True

    def jurisdiction_codes(self, permission: str) -> list[str]:
        return list(self.codes) if permission in self.permissions else []


def shell_actor(*, codes: tuple[str, ...], permissions: frozenset[str]) -> ShellActor:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return ShellActor(codes=codes, permissions=permissions, label=f"shell:{user}")
