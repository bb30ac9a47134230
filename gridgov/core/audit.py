"""Writing and verifying the append-only, hash-chained audit log."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from gridgov.core.audit_anchor import (
    Anchor,
    ChainHead,
    anchor_file_path,
    anchors_append,
    anchors_read,
)
from gridgov.core.models import AuditEntry

GENESIS_HASH = "0" * 64
# The rows written while the installation had one chain (core migration 0004 split it). They
# keep their sequence numbers and hashes and stay verifiable as they were; nothing appends to it.
INSTALLATION_CHAIN = "installation"
# The chain of rows that belong to no county.
GLOBAL_CHAIN = "global"
# The first key of every chain's advisory lock on PostgreSQL (any constant will do).
_CHAIN_LOCK_CLASS = 61032400


def chain_for(county_code: str) -> str:
    """The chain a row is appended to: its county's, so counties never wait for each other."""
    return county_code or GLOBAL_CHAIN


def chain_lock_key(chain: str) -> tuple[int, int]:
    """The two 32-bit keys of the chain's PostgreSQL advisory lock: a county code is six digits
    and is its own key, so no two counties ever share a lock."""
    if chain.isdigit() and int(chain) < 2**31:
        return _CHAIN_LOCK_CLASS, int(chain)
    # "global" (and any other name): a negative key, apart from every county code.
    return _CHAIN_LOCK_CLASS, -1 - zlib.crc32(chain.encode()) % 2**31


def entry_digest(
    *,
    chain: str,
    sequence: int,
    created_at: datetime,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    outcome: str,
    client_address: str | None,
    region_code: str,
    detail: dict[str, Any],
    previous_hash: str,
) -> str:
    """HMAC-SHA256, keyed with settings.AUDIT_KEY, over a canonical JSON of the row's content and
    the previous row's hash. The key lives outside the database, so someone who can write to the
    table cannot recompute a valid chain after editing it.

    A county's row covers its chain's name too; the installation chain's rows were hashed before
    chains had names, and keep the hash they were written with."""
    content: list[Any] = [
        sequence,
        created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        actor_id,
        actor_username,
        action,
        object_type,
        object_id,
        outcome,
        client_address,
        region_code,
        detail,
        previous_hash,
    ]
    if chain != INSTALLATION_CHAIN:
        content.append(chain)
    payload = json.dumps(
        content,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hmac.new(settings.AUDIT_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()


def _digest_of(entry: AuditEntry) -> str:
    return entry_digest(
        chain=entry.chain,
        sequence=entry.sequence,
        created_at=entry.created_at,
        actor_id=entry.actor_id,
        actor_username=entry.actor_username,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        outcome=entry.outcome,
        client_address=entry.client_address,
        region_code=entry.region_code,
        detail=entry.detail,
        previous_hash=entry.previous_hash,
    )


def _lock_chain(chain: str) -> None:
    # SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs an explicit lock so
    # two appends to one chain never read the same tail. One lock per chain: writers of different
    # counties go on in parallel. Held until the transaction ends.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", list(chain_lock_key(chain)))


# Refused attempts written while a `refusals_outlive_rollback()` block is open, so they can be
# written again once the transaction that held them has rolled back.
_refusals_noted: ContextVar[list[dict[str, Any]] | None] = ContextVar(
    "audit_refusals_noted", default=None
)


@contextmanager
def refusals_outlive_rollback() -> Iterator[None]:
    """Keep the refused attempts recorded inside the block even when the block's transaction
    rolls back: a wrapper that runs a view in a transaction of its own (an Idempotency-Key's)
    rolls the refusal back with everything else, yet the refusal must stay in the log.

    Use it outside the transaction: on an exception out of the block, the refusal rows written
    in it are written again (with the time and place they now get in the chain).
    """
    noted: list[dict[str, Any]] = []
    token = _refusals_noted.set(noted)
    try:
        yield
    except BaseException:
        _refusals_noted.reset(token)
        for fields in noted:
            audit_record(**fields)
        raise
    else:
        _refusals_noted.reset(token)


def audit_record(
    *,
    actor: Any,
    action: str,
    outcome: str = AuditEntry.Outcome.SUCCESS,
    object_type: str = "",
    object_id: str | int = "",
    region_code: str | None = None,
    client_address: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row. Runs inside the caller's transaction, so a rolled-back write leaves no row
    (see `refusals_outlive_rollback` for the exception)."""
    noted = _refusals_noted.get()
    if noted is not None and outcome == AuditEntry.Outcome.DENIED:
        noted.append(
            {
                "actor": actor,
                "action": action,
                "outcome": outcome,
                "object_type": object_type,
                "object_id": object_id,
                "region_code": region_code,
                "client_address": client_address,
                "detail": detail,
            }
        )
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    username = getattr(actor, "username", "") or "" if actor_id else ""
    entry = AuditEntry(
        actor_id=actor_id,
        actor_username=username,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        outcome=outcome,
        client_address=client_address or None,
        detail=detail or {},
    )
    entry.set_region_code(region_code or settings.GRIDGOV_COUNTY_CODE)
    entry.chain = chain_for(entry.county_code)
    with transaction.atomic():
        _lock_chain(entry.chain)
        tail = (
            AuditEntry.objects.filter(chain=entry.chain)
            .order_by("-sequence")
            .values("sequence", "entry_hash")
            .first()
        )
        entry.sequence = tail["sequence"] + 1 if tail else 1
        entry.previous_hash = tail["entry_hash"] if tail else GENESIS_HASH
        entry.created_at = timezone.now()
        entry.entry_hash = _digest_of(entry)
        entry.save()
    if anchor_file_path() is not None:
        # robust: the caller's work is committed by then; a full disk must not turn it into a 500.
        transaction.on_commit(_anchor_after_commit, robust=True)
    return entry


# When this process last anchored (time.monotonic()).
_last_anchored = {"at": float("-inf")}
_anchor_throttle = threading.Lock()


def _anchor_after_commit() -> None:
    """Anchor the heads at most once per AUDIT_ANCHOR_INTERVAL_SECONDS in this process; the
    periodic task covers the rows of the last interval."""
    now = time.monotonic()
    with _anchor_throttle:
        if now - _last_anchored["at"] < settings.AUDIT_ANCHOR_INTERVAL_SECONDS:
            return
        _last_anchored["at"] = now
    audit_anchor_heads()


def _chains() -> Iterator[str]:
    """Every chain that has rows, one index seek each on (chain, sequence) instead of a scan of
    the table (a GROUP BY reads every row, and this runs every few seconds)."""
    chain = AuditEntry.objects.order_by("chain").values_list("chain", flat=True).first()
    while chain is not None:
        yield chain
        chain = (
            AuditEntry.objects.filter(chain__gt=chain)
            .order_by("chain")
            .values_list("chain", flat=True)
            .first()
        )


def chain_heads() -> dict[str, ChainHead]:
    """The newest row of each chain in the database (a chain without rows has no head)."""
    heads: dict[str, ChainHead] = {}
    for chain in _chains():
        tail = (
            AuditEntry.objects.filter(chain=chain)
            .order_by("-sequence")
            .values_list("sequence", "entry_hash")
            .first()
        )
        if tail is not None:
            heads[chain] = ChainHead(chain, *tail)
    return heads


def audit_anchor_heads() -> int:
    """Append the database's chain heads, signed, to the anchor file; answers how many."""
    return anchors_append(list(chain_heads().values()), anchored_at=timezone.now())


def audit_out_of_jurisdiction(
    *, actor: Any, object_type: str, object_id: str, region_code: str
) -> AuditEntry:
    """Record a read of an object that exists but lies outside the actor's jurisdiction (it
    answered 404, like a missing one: the log is where the probe shows)."""
    return audit_record(
        actor=actor,
        action=f"{object_type}.view",
        outcome=AuditEntry.Outcome.DENIED,
        object_type=object_type,
        object_id=object_id,
        region_code=region_code,
        detail={"reason": "outside jurisdiction"},
    )


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    # "edited", "inserted", "deleted": a row breaks the chain; "cut": the database ends before
    # the anchored head; "replaced": the anchored row is not the one anchored; "anchor_tampered":
    # a line of the anchor file does not carry a valid signature (`sequence` is its line number).
    kind: str
    message: str
    chain: str


@dataclass(frozen=True)
class HeadComparison:
    chain: str
    database: ChainHead | None
    anchored: Anchor | None


def head_comparisons() -> list[HeadComparison]:
    """Each chain's head in the database beside its furthest anchored head."""
    database = chain_heads()
    anchored = anchors_read().furthest
    return [
        HeadComparison(chain, database.get(chain), anchored.get(chain))
        for chain in sorted(set(database) | set(anchored))
    ]


def verify_chain(batch_size: int = 5000) -> Iterator[ChainProblem]:
    """Every problem of the audit log: the rows that break the chain, then the chain's end
    against the anchors written outside the database."""
    yield from _verify_rows(batch_size)
    yield from _verify_anchors()


def _verify_anchors() -> Iterator[ChainProblem]:
    anchors = anchors_read()
    for line in anchors.tampered_lines:
        yield ChainProblem(
            line,
            "anchor_tampered",
            gettext("anchor line %(line)d: its signature does not match (the file was edited)")
            % {"line": line},
            chain="",
        )
    database = chain_heads()
    for chain, anchor in sorted(anchors.furthest.items()):
        anchored = anchor.head
        head = database.get(chain)
        if head is None or head.sequence < anchored.sequence:
            yield ChainProblem(
                anchored.sequence,
                "cut",
                gettext(
                    "chain %(chain)s ends at row %(database)d but row %(anchored)d was anchored "
                    "at %(at)s: rows were cut or an older database was restored"
                )
                % {
                    "chain": chain,
                    "database": head.sequence if head else 0,
                    "anchored": anchored.sequence,
                    "at": anchor.anchored_at,
                },
                chain=chain,
            )
            continue
        row_hash = (
            AuditEntry.objects.filter(chain=chain, sequence=anchored.sequence)
            .values_list("entry_hash", flat=True)
            .first()
        )
        # A missing anchored row is a gap, which the walk over the rows already names.
        if row_hash is not None and row_hash != anchored.entry_hash:
            yield ChainProblem(
                anchored.sequence,
                "replaced",
                gettext(
                    "chain %(chain)s: row %(sequence)d is not the row anchored at %(at)s "
                    "(the chain was rewritten or another database was restored)"
                )
                % {"chain": chain, "sequence": anchored.sequence, "at": anchor.anchored_at},
                chain=chain,
            )


def _verify_rows(batch_size: int) -> Iterator[ChainProblem]:
    """Walk each chain in order and report every row that breaks it."""
    chain = None
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    queryset = AuditEntry.objects.order_by("chain", "sequence")
    for entry in queryset.iterator(chunk_size=batch_size):
        if entry.chain != chain:
            chain, expected_sequence, previous_hash = entry.chain, 1, GENESIS_HASH
        rows_missing = entry.sequence > expected_sequence
        if rows_missing:
            yield ChainProblem(
                entry.sequence,
                "deleted",
                f"rows {expected_sequence}..{entry.sequence - 1} are missing (deleted)",
                chain=entry.chain,
            )
        recomputed = _digest_of(entry)
        if recomputed != entry.entry_hash:
            yield ChainProblem(
                entry.sequence,
                "edited",
                f"row {entry.sequence}: content does not match its hash",
                chain=entry.chain,
            )
        # After missing rows the link cannot match; the deletion is the finding, not an insertion.
        elif not rows_missing and entry.previous_hash != previous_hash:
            yield ChainProblem(
                entry.sequence,
                "inserted",
                f"row {entry.sequence}: does not follow row {entry.sequence - 1} "
                f"(one of the two was inserted or replaced)",
                chain=entry.chain,
            )
        previous_hash = entry.entry_hash
        expected_sequence = entry.sequence + 1
