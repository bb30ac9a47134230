"""The one place that reads the process environment; settings import from here."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def var_dir() -> Path:
    """Where the embedded default keeps its database, queue and key files (never committed)."""
    path = Path(env_str("GRIDGOV_VAR_DIR", str(BASE_DIR / "var")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(var: Path) -> str:
    """SECRET_KEY from the environment, or a local key file created once for the embedded default."""
    from_env = env_str("SECRET_KEY")
    if from_env:
        return from_env
    key_file = var / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def local_key(var: Path, name: str, env_name: str) -> str:
    """A key from the environment, or a local key file created once for the embedded default."""
    from_env = env_str(env_name)
    if from_env:
        return from_env
    key_file = var / name
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def pii_key(var: Path) -> str:
    """The Fernet key that encrypts personal data at rest: GRIDGOV_PII_KEY, or a local key file
    created once for the embedded default (never committed; losing it loses the data)."""
    from_env = env_str("GRIDGOV_PII_KEY")
    if from_env:
        return from_env
    key_file = var / "pii.key"
    if not key_file.exists():
        import base64
        import secrets

        key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def audit_anchor_key(secret: str) -> str:
    """The key that signs the audit chain's anchors: GRIDGOV_AUDIT_ANCHOR_KEY, or one derived from
    SECRET_KEY (a derived key, so the secret itself never signs anything readable)."""
    from_env = env_str("GRIDGOV_AUDIT_ANCHOR_KEY")
    if from_env:
        return from_env
    import hashlib
    import hmac

    return hmac.new(secret.encode(), b"gridgov audit anchor", hashlib.sha256).hexdigest()
