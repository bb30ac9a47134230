"""The audit chain's head kept outside the database: each anchor is one line of JSON (chain,
sequence, hash, time) signed with an HMAC and appended to a file, so that a cut end, an emptied
table or an older database restored shows against the last head the file holds.

The file is append-only by use: every anchor is one `write()` of whole lines to a descriptor
opened with O_APPEND, under an exclusive lock, then fsync'ed, so concurrent processes never
interleave or half-write a line.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class ChainHead:
    chain: str
    sequence: int
    entry_hash: str


@dataclass(frozen=True)
class Anchor:
    head: ChainHead
    anchored_at: str  # ISO 8601, UTC
    line: int  # 1-based line number in the anchor file


@dataclass(frozen=True)
class AnchorFile:
    # The anchor with the highest sequence number of each chain (processes anchor concurrently,
    # so the file's last line of a chain is not always its furthest head).
    furthest: dict[str, Anchor]
    # Lines whose signature does not match or that cannot be read.
    tampered_lines: list[int]


def anchor_file_path() -> Path | None:
    configured = settings.AUDIT_ANCHOR_FILE
    return Path(configured) if configured else None


def _signature(fields: dict[str, object]) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    key = settings.AUDIT_ANCHOR_KEY.encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def anchor_line(head: ChainHead, *, anchored_at: datetime) -> str:
    fields: dict[str, object] = {
        "chain": head.chain,
        "sequence": head.sequence,
        "hash": head.entry_hash,
        "at": anchored_at.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    return json.dumps({**fields, "mac": _signature(fields)}, sort_keys=True) + "\n"


def anchors_append(heads: list[ChainHead], *, anchored_at: datetime) -> int:
    """Append one signed line per head; answers how many were written (none when no file is
    configured)."""
    path = anchor_file_path()
    if path is None or not heads:
        return 0
    data = "".join(anchor_line(head, anchored_at=anchored_at) for head in heads).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        written = 0
        while written < len(data):
            written += os.write(descriptor, data[written:])
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return len(heads)


def _parse(line: str) -> tuple[ChainHead, str] | None:
    try:
        record = json.loads(line)
        mac = record.pop("mac")
        if not isinstance(mac, str) or set(record) != {"chain", "sequence", "hash", "at"}:
            return None
        if not hmac.compare_digest(mac, _signature(record)):
            return None
        head = ChainHead(str(record["chain"]), int(record["sequence"]), str(record["hash"]))
        return head, str(record["at"])
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def anchors_read() -> AnchorFile:
    path = anchor_file_path()
    furthest: dict[str, Anchor] = {}
    tampered: list[int] = []
    if path is None or not path.exists():
        return AnchorFile(furthest, tampered)
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            parsed = _parse(line)
            if parsed is None:
                tampered.append(number)
                continue
            head, anchored_at = parsed
            known = furthest.get(head.chain)
            if known is None or head.sequence >= known.head.sequence:
                furthest[head.chain] = Anchor(head, anchored_at, number)
    return AnchorFile(furthest, tampered)
