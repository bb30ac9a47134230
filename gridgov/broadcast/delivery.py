"""Sending an approved message to its terminals and recording their answers.

A message goes out in two steps. First, in one transaction, a delivery row per terminal of the
target (resolved from the region tree now) with its signed payload, and the message moves to
dispatched. Then the pending rows are published over MQTT at QoS 1 in batches, each marked sent
once the broker took it. A dispatcher killed between the two leaves rows pending, which the
retry sends later; one killed inside a batch leaves rows pending that may have gone out already,
and their resend carries the same bytes and nonce, so the terminal acknowledges again without
playing twice. Nothing is skipped and nothing is played twice.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import Case, F, Field, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from gridgov.broadcast.models import (
    DELIVERY_OPEN,
    Broadcast,
    Delivery,
    DeliveryStatus,
    Terminal,
    TerminalStatus,
)
from gridgov.broadcast.mqtt import BrokerUnavailable, Publisher
from gridgov.broadcast.signing import audio_reference, new_nonce, signed_cancel, signed_delivery
from gridgov.broadcast.states import Action, State
from gridgov.broadcast.terminal_protocol import (
    CLOCK_SKEW_SECONDS,
    DELIVERY_TOPIC,
    AckRefusal,
    AckStatus,
)
from gridgov.broadcast.timeline import move
from gridgov.core.codes import minimal_cover
from gridgov.core.scoping import jurisdiction_q

logger = logging.getLogger(__name__)

PUBLISH_BATCH = 1_000
WRITE_BATCH = 500
# A delivery sent this long ago and not yet answered is sent again (the same bytes).
RETRY_AFTER = timedelta(seconds=60)
EXPIRED_DETAIL = "expired"
# How long a refused acknowledgement is remembered, so that it is counted once.
SEEN_FOR = 24 * 3600
# A terminal offline when the message goes out counts as failed at once (whoever follows the
# delivery sees at a glance which loudspeakers will not sound), yet it is sent to all the same and
# until expiry: should it come back and answer, the answer counts.
OFFLINE_DETAIL = "offline"
FAILED_OFFLINE = Q(status=DeliveryStatus.FAILED, detail=OFFLINE_DETAIL)
# Deliveries still waiting for their terminal's answer.
UNANSWERED = Q(status__in=DELIVERY_OPEN) | FAILED_OFFLINE
# How far each answer goes: an answer never moves a delivery back.
RANK = {
    DeliveryStatus.PENDING: 0,
    DeliveryStatus.SENT: 1,
    DeliveryStatus.RECEIVED: 2,
    DeliveryStatus.PLAYED: 3,
    DeliveryStatus.FAILED: 3,
    DeliveryStatus.CANCELLED: 3,
}
# Deliveries a withdrawal stops: the terminal has not played it (nor failed to) yet.
STOPPED_BY_CANCEL = Q(status__in=DELIVERY_OPEN) | FAILED_OFFLINE


@dataclass(frozen=True)
class Ack:
    """One acknowledgement as a terminal sent it (its signature checked already): the message it
    names and when the terminal says it answered are checked against the delivery."""

    terminal: str
    nonce: str
    status: str
    detail: str = ""
    message_id: str = ""
    at: float | None = None
    # The acknowledgement's own digest (the same bytes heard by two listeners share it).
    key: str = ""


def broadcast_dispatch(*, broadcast_id: int, now: datetime | None = None) -> int:
    """Send an approved message whose time has come; returns how many terminals the broker took.
    Safe to run again (and after a crash): only what is still pending goes out."""
    now = now or timezone.now()
    deliveries_write(broadcast_id=broadcast_id, now=now)
    return deliveries_publish(broadcast_id=broadcast_id, now=now, resend_after=None)


def deliveries_write(*, broadcast_id: int, now: datetime | None = None) -> int:
    """Write a delivery for every terminal of the message's target and move it to dispatched,
    in one transaction; nothing when it is not approved or not due. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        broadcast = Broadcast.objects.select_for_update().filter(pk=broadcast_id).first()
        if broadcast is None or broadcast.state != State.APPROVED:
            return 0
        if broadcast.scheduled_at is not None and broadcast.scheduled_at > now:
            return 0
        cover = minimal_cover(broadcast.target_codes)
        terminals = (
            Terminal.objects.filter(jurisdiction_q(cover))
            .order_by("id")
            .values_list("id", "code", "village_code", "region_code", "status")
        )
        audio = audio_reference(broadcast)
        rows = [
            _delivery(
                broadcast, pk, code, village or region, now, audio, status == TerminalStatus.OFFLINE
            )
            for pk, code, village, region, status in terminals
        ]
        _insert_deliveries(rows)
        move(broadcast=broadcast, actor=None, action=Action.DISPATCH, now=now)
    return len(rows)


def _delivery(
    broadcast: Broadcast,
    terminal_id: int,
    code: str,
    place: str,
    now: datetime,
    audio: dict[str, object] | None,
    offline: bool,
) -> dict[str, object]:
    """One delivery's fields (attribute names; the others take their default)."""
    nonce = new_nonce()
    payload = signed_delivery(
        broadcast=broadcast, terminal_code=code, nonce=nonce, issued_at=now, audio=audio
    )
    return {
        "broadcast_id": broadcast.pk,
        "terminal_id": terminal_id,
        "place_code": place,
        "nonce": nonce,
        "payload": payload.decode("utf-8"),
        "created_at": now,
        "status": DeliveryStatus.FAILED.value if offline else DeliveryStatus.PENDING.value,
        "failed_at": now if offline else None,
        "detail": OFFLINE_DETAIL if offline else "",
    }


def _insert_deliveries(rows: list[dict[str, object]]) -> None:
    """Insert delivery rows with one executemany. bulk_create prepared each of a delivery's 18
    fields of each row through the ORM, which was most of the write's time for ten thousand
    terminals; here each distinct value is prepared once (the dispatch's few timestamps, the
    defaults) and the strings and numbers go as they are."""
    connection = connections[router.db_for_write(Delivery)]
    fields = [field for field in Delivery._meta.concrete_fields if not field.primary_key]
    defaults = {field.attname: field.get_default() for field in fields}
    prepared: dict[tuple[str, object], Any] = {}

    def value(field: Field[Any, Any], given: object) -> Any:
        if given is None or isinstance(given, str | int):
            return given
        key = (field.attname, given)
        if key not in prepared:
            prepared[key] = field.get_db_prep_save(given, connection)
        return prepared[key]

    quote = connection.ops.quote_name
    # Names from the model, values as parameters.
    sql = (
        f"INSERT INTO {quote(Delivery._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(str(field.column)) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), WRITE_BATCH):
            cursor.executemany(
                sql,
                [
                    [
                        value(field, row.get(field.attname, defaults[field.attname]))
                        for field in fields
                    ]
                    for row in rows[start : start + WRITE_BATCH]
                ],
            )


def deliveries_publish(
    *, broadcast_id: int, now: datetime | None = None, resend_after: timedelta | None = RETRY_AFTER
) -> int:
    """Publish the message's pending deliveries, all of them (a first dispatch, or one resumed
    after a crash) or, with `resend_after`, those last tried that long ago, and the sent ones
    nobody answered since. Each batch is claimed (attempt counted) before it goes out and
    marked sent once the broker took it. Returns how many the broker took."""
    now = now or timezone.now()
    broadcast = (
        Broadcast.objects.filter(pk=broadcast_id, state=State.DISPATCHED, expires_at__gt=now)
        .only("pk")
        .first()
    )
    if broadcast is None:
        return 0
    due = Q(status=DeliveryStatus.PENDING) | (FAILED_OFFLINE & Q(attempts=0))
    if resend_after is not None:
        stale = Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=now - resend_after)
        due = (
            Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.SENT) | FAILED_OFFLINE
        ) & (stale)
    candidates = Delivery.objects.filter(due, broadcast_id=broadcast_id)
    if not candidates.exists():
        # Nothing due: the minute's retry does not even connect to the broker.
        return 0
    taken_total = 0
    client_id = f"gridgov-dispatch-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        publisher = Publisher(settings.MQTT_URL, client_id=client_id)
    except BrokerUnavailable as error:
        logger.warning("broadcast %s waits for the broker: %s", broadcast_id, error)
        return 0
    with publisher:
        last_id = 0
        while True:
            batch = list(
                candidates.filter(id__gt=last_id)
                .order_by("id")
                .values_list("id", "terminal__code", "payload")[:PUBLISH_BATCH]
            )
            if not batch:
                break
            last_id = batch[-1][0]
            ids = [pk for pk, _code, _payload in batch]
            attempt_at = timezone.now()
            Delivery.objects.filter(pk__in=ids).update(
                attempts=F("attempts") + 1, last_attempt_at=attempt_at
            )
            taken = publisher.publish(
                [
                    (DELIVERY_TOPIC.format(code=code), payload.encode("utf-8"))
                    for _pk, code, payload in batch
                ]
            )
            sent = [pk for pk, ok in zip(ids, taken, strict=True) if ok]
            # One statement: pending ones are sent now; any not stamped sent yet (one answered
            # before this mark, or offline) is stamped.
            Delivery.objects.filter(pk__in=sent).update(
                status=Case(
                    When(status=DeliveryStatus.PENDING, then=Value(DeliveryStatus.SENT.value)),
                    default=F("status"),
                ),
                sent_at=Coalesce("sent_at", Value(attempt_at)),
            )
            taken_total += len(sent)
    return taken_total


def deliveries_retry(*, now: datetime | None = None, resend_after: timedelta = RETRY_AFTER) -> int:
    """Every minute: send what is due (scheduled messages whose time came), resend what no
    terminal answered, and close messages past their expiry. Returns how many went out."""
    now = now or timezone.now()
    published = 0
    due = Broadcast.objects.filter(state=State.APPROVED, expires_at__gt=now).filter(
        Q(scheduled_at__isnull=True) | Q(scheduled_at__lte=now)
    )
    for broadcast_id in due.values_list("pk", flat=True):
        deliveries_write(broadcast_id=broadcast_id, now=now)
    sending = Broadcast.objects.filter(state=State.DISPATCHED, expires_at__gt=now)
    for broadcast_id in sending.values_list("pk", flat=True):
        published += deliveries_publish(
            broadcast_id=broadcast_id, now=now, resend_after=resend_after
        )
    withdrawn = Broadcast.objects.filter(
        state=State.CANCELLED, cancel_identifier__isnull=False, expires_at__gt=now
    )
    for broadcast_id in withdrawn.values_list("pk", flat=True):
        published += cancels_publish(broadcast_id=broadcast_id, now=now, resend_after=resend_after)
    deliveries_expire(now=now)
    return published


def deliveries_expire(*, now: datetime | None = None) -> int:
    """Messages past their expiry: the terminals that never answered failed, and the message is
    complete. Returns how many deliveries failed so."""
    now = now or timezone.now()
    failed = 0
    expired = Broadcast.objects.filter(state=State.DISPATCHED, expires_at__lte=now)
    for broadcast_id in expired.values_list("pk", flat=True):
        failed += Delivery.objects.filter(
            broadcast_id=broadcast_id, status__in=DELIVERY_OPEN
        ).update(status=DeliveryStatus.FAILED, failed_at=now, detail=EXPIRED_DETAIL)
        failed += Delivery.objects.filter(FAILED_OFFLINE, broadcast_id=broadcast_id).update(
            detail=EXPIRED_DETAIL
        )
        _complete(broadcast_id, now)
    return failed


def deliveries_record_acks(
    acks: Iterable[Ack], *, now: datetime | None = None, refused: Iterable[Refused] = ()
) -> int:
    """deliveries_record_answers, returning how many deliveries moved."""
    return deliveries_record_answers(acks, now=now, refused=refused).moved


@dataclass(frozen=True)
class Answers:
    moved: int
    # Every acknowledgement refused: those refused before (given) and here.
    refused: list[Refused]


def deliveries_record_answers(
    acks: Iterable[Ack], *, now: datetime | None = None, refused: Iterable[Refused] = ()
) -> Answers:
    """Record terminals' acknowledgements (received, played, failed), each matched to its
    delivery by nonce and terminal; an answer never moves a delivery back, and a repeated one
    changes nothing. An acknowledgement for another terminal's delivery, naming another message
    than its delivery's, or dated before its delivery was made is refused and counted on the
    message (with those in `refused`, refused before: a bad signature). A message whose every
    terminal answered is complete."""
    now = now or timezone.now()
    given = [ack for ack in acks if ack.status in AckStatus._value2member_map_]
    refusals: list[Refused] = list(refused)
    rows_of: dict[str, tuple[int, str, str, str, int, str, datetime]] = {}
    nonces = sorted({ack.nonce for ack in given})
    for start in range(0, len(nonces), WRITE_BATCH):
        rows = Delivery.objects.filter(nonce__in=nonces[start : start + WRITE_BATCH]).values_list(
            "nonce",
            "id",
            "status",
            "detail",
            "terminal__code",
            "broadcast_id",
            "broadcast__identifier",
            "created_at",
        )
        for nonce, pk, status, detail, code, broadcast_id, identifier, created in rows:
            rows_of[nonce] = (pk, status, detail, code, broadcast_id, str(identifier), created)
    confirmed = _confirm_cancels([ack for ack in given if ack.nonce not in rows_of], now, refusals)
    given = [ack for ack in given if ack.nonce not in confirmed]
    latest: dict[str, Ack] = {}
    for ack in given:
        row = rows_of.get(ack.nonce)
        refusal = _ack_refusal(ack, row)
        if refusal is not None:
            refusals.append(Refused(nonce=ack.nonce, reason=refusal, key=ack.key))
            continue
        known = latest.get(ack.nonce)
        if known is None or RANK[DeliveryStatus(ack.status)] > RANK[DeliveryStatus(known.status)]:
            latest[ack.nonce] = ack
    if refusals:
        deliveries_count_refused(refusals)
    moves: dict[tuple[str, str], list[int]] = defaultdict(list)
    touched: set[int] = set()
    for nonce, ack in latest.items():
        pk, status, detail, _code, broadcast_id, _identifier, _created = rows_of[nonce]
        if status == DeliveryStatus.FAILED and detail == OFFLINE_DETAIL:
            status = DeliveryStatus.SENT
        if (
            RANK[DeliveryStatus(ack.status)] > RANK[DeliveryStatus(status)]
            and RANK[DeliveryStatus(status)] < 3
        ):
            moves[(ack.status, ack.detail[:100])].append(pk)
            touched.add(broadcast_id)
    moved = 0
    with transaction.atomic():
        for (status, detail), ids in moves.items():
            for start in range(0, len(ids), WRITE_BATCH):
                moved += _move_deliveries(ids[start : start + WRITE_BATCH], status, detail, now)
    for broadcast_id in sorted(touched):
        if not Delivery.objects.filter(UNANSWERED, broadcast_id=broadcast_id).exists():
            _complete(broadcast_id, now)
    return Answers(moved=moved, refused=refusals)


@dataclass(frozen=True)
class Refused:
    """An acknowledgement the server refused: the nonce it named, and why."""

    nonce: str
    reason: AckRefusal
    # The refused bytes' digest: a refusal two listeners heard is counted once.
    key: str = ""


def _confirm_cancels(acks: list[Ack], now: datetime, refusals: list[Refused]) -> set[str]:
    """Terminals confirming a withdrawal (an answer naming a cancel's nonce): recorded once.
    Returns the nonces that were cancels' (refused ones appended to `refusals`)."""
    nonces = sorted({ack.nonce for ack in acks})
    rows_of: dict[str, tuple[int, str, str, datetime]] = {}
    for start in range(0, len(nonces), WRITE_BATCH):
        rows = Delivery.objects.filter(
            cancel_nonce__in=nonces[start : start + WRITE_BATCH]
        ).values_list("cancel_nonce", "id", "terminal__code", "broadcast__identifier", "created_at")
        for nonce, pk, code, identifier, created in rows:
            rows_of[str(nonce)] = (pk, code, str(identifier), created)
    ids: list[int] = []
    for ack in acks:
        if ack.nonce not in rows_of:
            continue
        pk, code, message, created = rows_of[ack.nonce]
        refusal = _ack_refusal(ack, (pk, "", "", code, 0, message, created))
        if refusal is not None:
            refusals.append(Refused(nonce=ack.nonce, reason=refusal, key=ack.key))
        else:
            ids.append(pk)
    for start in range(0, len(ids), WRITE_BATCH):
        Delivery.objects.filter(
            pk__in=ids[start : start + WRITE_BATCH], cancel_confirmed_at__isnull=True
        ).update(cancel_confirmed_at=now)
    return set(rows_of)


def _ack_refusal(
    ack: Ack, row: tuple[int, str, str, str, int, str, datetime] | None
) -> AckRefusal | None:
    if row is None:
        return AckRefusal.UNKNOWN_DELIVERY
    _pk, _status, _detail, code, _broadcast_id, identifier, created = row
    # An acknowledgement speaks for its own terminal only.
    if ack.terminal != code:
        return AckRefusal.UNKNOWN_DELIVERY
    if ack.message_id and ack.message_id != identifier:
        return AckRefusal.WRONG_MESSAGE
    if ack.at is not None and ack.at < created.timestamp() - CLOCK_SKEW_SECONDS:
        return AckRefusal.REPLAYED
    return None


def deliveries_count_refused(refusals: Iterable[Refused]) -> int:
    """Count refused acknowledgements on the messages whose deliveries they name (one naming no
    delivery is only logged). Returns how many were counted on a message."""
    # Every listener may hear the same refused bytes: the first to claim them counts them.
    refusals = [
        refusal
        for refusal in refusals
        if not refusal.key or cache.add(f"broadcast:refused-ack:{refusal.key}", 1, SEEN_FOR)
    ]
    by_nonce: dict[str, list[AckRefusal]] = defaultdict(list)
    for refusal in refusals:
        by_nonce[refusal.nonce].append(refusal.reason)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    nonces = sorted(by_nonce)
    for start in range(0, len(nonces), WRITE_BATCH):
        rows = Delivery.objects.filter(nonce__in=nonces[start : start + WRITE_BATCH]).values_list(
            "nonce", "broadcast_id"
        )
        for nonce, broadcast_id in rows:
            counts[broadcast_id].update(str(reason) for reason in by_nonce.pop(nonce))
    for nonce, broadcast_id in _cancel_owners(sorted(by_nonce)):
        counts[broadcast_id].update(str(reason) for reason in by_nonce.pop(nonce))
    if by_nonce:
        logger.warning(
            "refused %d acknowledgements naming no delivery: %s",
            sum(len(reasons) for reasons in by_nonce.values()),
            dict(Counter(str(reason) for reasons in by_nonce.values() for reason in reasons)),
        )
    counted = 0
    for broadcast_id, reasons in sorted(counts.items()):
        with transaction.atomic():
            broadcast = (
                Broadcast.objects.select_for_update()
                .filter(pk=broadcast_id)
                .only("pk", "refused_acks")
                .first()
            )
            if broadcast is None:
                continue
            total = Counter(broadcast.refused_acks or {})
            total.update(reasons)
            broadcast.refused_acks = dict(sorted(total.items()))
            broadcast.save(update_fields=["refused_acks"])
            counted += sum(reasons.values())
    return counted


def _cancel_owners(nonces: list[str]) -> list[tuple[str, int]]:
    """(cancel nonce, message) for those of `nonces` that are withdrawals' nonces."""
    found: list[tuple[str, int]] = []
    for start in range(0, len(nonces), WRITE_BATCH):
        found += [
            (str(nonce), broadcast_id)
            for nonce, broadcast_id in Delivery.objects.filter(
                cancel_nonce__in=nonces[start : start + WRITE_BATCH]
            ).values_list("cancel_nonce", "broadcast_id")
        ]
    return found


def deliveries_cancel_write(*, broadcast: Broadcast, now: datetime) -> int:
    """The message was withdrawn after it went out (inside the withdrawal's transaction): every
    terminal it was sent to gets a signed cancel, written now and published after the commit,
    and the deliveries not played yet are withdrawn (sending them stops). Returns how many."""
    rows = list(
        Delivery.objects.filter(broadcast=broadcast, cancel_nonce__isnull=True)
        .select_related(None)
        .only("id", "terminal_id")
        .order_by("id")
    )
    codes = dict(
        Terminal.objects.filter(pk__in={row.terminal_id for row in rows}).values_list("id", "code")
    )
    for row in rows:
        row.cancel_nonce = new_nonce()
        row.cancel_payload = signed_cancel(
            broadcast=broadcast,
            terminal_code=codes[row.terminal_id],
            nonce=row.cancel_nonce,
            issued_at=now,
        ).decode("utf-8")
    Delivery.objects.bulk_update(rows, ["cancel_nonce", "cancel_payload"], batch_size=WRITE_BATCH)
    Delivery.objects.filter(STOPPED_BY_CANCEL, broadcast=broadcast).update(
        status=DeliveryStatus.CANCELLED, failed_at=None, detail=""
    )
    return len(rows)


def cancels_publish(
    *, broadcast_id: int, now: datetime | None = None, resend_after: timedelta | None = None
) -> int:
    """Publish a withdrawn message's cancels not confirmed yet (all of them, or with
    `resend_after` those last sent that long ago), until the message would have expired.
    Returns how many the broker took."""
    now = now or timezone.now()
    if not Broadcast.objects.filter(
        pk=broadcast_id, state=State.CANCELLED, expires_at__gt=now
    ).exists():
        return 0
    due = Delivery.objects.filter(
        broadcast_id=broadcast_id, cancel_nonce__isnull=False, cancel_confirmed_at__isnull=True
    )
    if resend_after is not None:
        due = due.filter(Q(cancel_sent_at__isnull=True) | Q(cancel_sent_at__lte=now - resend_after))
    if not due.exists():
        return 0
    try:
        publisher = Publisher(
            settings.MQTT_URL, client_id=f"gridgov-cancel-{os.getpid()}-{secrets.token_hex(4)}"
        )
    except BrokerUnavailable as error:
        logger.warning("the withdrawal of %s waits for the broker: %s", broadcast_id, error)
        return 0
    taken_total = 0
    with publisher:
        last_id = 0
        while True:
            batch = list(
                due.filter(id__gt=last_id)
                .order_by("id")
                .values_list("id", "terminal__code", "cancel_payload")[:PUBLISH_BATCH]
            )
            if not batch:
                break
            last_id = batch[-1][0]
            taken = publisher.publish(
                [
                    (DELIVERY_TOPIC.format(code=code), payload.encode("utf-8"))
                    for _pk, code, payload in batch
                ]
            )
            sent = [pk for (pk, _code, _payload), ok in zip(batch, taken, strict=True) if ok]
            Delivery.objects.filter(pk__in=sent).update(cancel_sent_at=timezone.now())
            taken_total += len(sent)
    return taken_total


def _move_deliveries(ids: Sequence[int], status: str, detail: str, now: datetime) -> int:
    rows = Delivery.objects.filter(pk__in=ids)
    # A terminal offline at dispatch that answers after all is no longer failed.
    back = {"failed_at": None, "detail": ""}
    if status == AckStatus.RECEIVED:
        return rows.filter(
            Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENT]) | FAILED_OFFLINE
        ).update(
            status=DeliveryStatus.RECEIVED,
            received_at=now,
            sent_at=Coalesce("sent_at", Value(now)),
            **back,
        )
    open_rows = rows.filter(UNANSWERED)
    if status == AckStatus.PLAYED:
        return open_rows.update(
            status=DeliveryStatus.PLAYED,
            played_at=now,
            received_at=Coalesce("received_at", Value(now)),
            sent_at=Coalesce("sent_at", Value(now)),
            **back,
        )
    return open_rows.update(
        status=DeliveryStatus.FAILED,
        failed_at=now,
        detail=detail,
        sent_at=Coalesce("sent_at", Value(now)),
    )


def _complete(broadcast_id: int, now: datetime) -> None:
    with transaction.atomic():
        broadcast = Broadcast.objects.select_for_update().filter(pk=broadcast_id).first()
        if broadcast is None or broadcast.state != State.DISPATCHED:
            return
        move(broadcast=broadcast, actor=None, action=Action.COMPLETE, now=now)
