"""Every read of broadcast messages and terminals, scoped to the actor."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from gridgov.broadcast import errors
from gridgov.broadcast.models import (
    Broadcast,
    BroadcastEvent,
    Delivery,
    DeliveryStatus,
    Terminal,
    TerminalStatus,
)
from gridgov.broadcast.states import State
from gridgov.core.access import Perm
from gridgov.core.audit import audit_out_of_jurisdiction
from gridgov.core.codes import minimal_cover
from gridgov.core.errors import NotFound
from gridgov.core.scoping import Actor, jurisdiction_q, scope_queryset
from gridgov.regions.models import Level, Region
from gridgov.regions.selectors import public_names


def broadcast_queryset(*, actor: Actor) -> QuerySet[Broadcast]:
    return scope_queryset(Broadcast.objects.all(), actor=actor, permission=Perm.BROADCAST_VIEW)


def broadcast_list(*, actor: Actor, state: str | None = None) -> QuerySet[Broadcast]:
    """The messages of the actor's jurisdiction, newest first."""
    messages = broadcast_queryset(actor=actor).select_related("composer", "approved_by")
    if state:
        messages = messages.filter(state=state)
    return messages.order_by("-created_at", "-id")


def broadcast_get(*, actor: Actor, broadcast_id: int | str) -> Broadcast:
    """The message, or NotFound when it is missing or outside the actor's jurisdiction (a miss on
    one that exists is audited as a refused attempt)."""
    key = str(broadcast_id)
    found = (
        broadcast_queryset(actor=actor)
        .select_related("composer", "approved_by", "supersedes")
        .filter(pk=int(key))
        .first()
        if key.isdigit() and len(key) < 18
        else None
    )
    if found is None:
        existing = (
            Broadcast.objects.filter(pk=int(key)).values_list("region_code", flat=True).first()
            if key.isdigit() and len(key) < 18
            else None
        )
        if existing is not None:
            audit_out_of_jurisdiction(
                actor=actor, object_type="broadcast", object_id=key, region_code=existing
            )
        raise NotFound(errors.BROADCAST_NOT_FOUND)
    return found


def broadcast_timeline(*, broadcast: Broadcast) -> list[BroadcastEvent]:
    """The timeline of a message the caller already read through `broadcast_get`."""
    return list(broadcast.events.select_related("actor").order_by("created_at", "id"))


def target_names(*, codes: Iterable[str]) -> dict[str, str]:
    """The names of a message's target regions (public geography)."""
    return public_names(region_codes=set(codes))


@dataclass(frozen=True)
class ReachRow:
    """The terminals a target reaches in one village (or at one town or county station)."""

    code: str
    name: str
    total: int
    online: int


def target_reach(*, targets: list[str]) -> list[ReachRow]:
    """The terminals a message to `targets` would reach now, per village (stations above the
    villages per region), for the compose page's preview. The caller checked the targets."""
    cover = minimal_cover(targets)
    if not cover:
        return []
    terminals = Terminal.objects.filter(jurisdiction_q(cover))
    rows = (
        terminals.values("village_code", "region_code")
        .annotate(
            total=Count("id"),
            online=Count("id", filter=Q(status=TerminalStatus.ONLINE)),
        )
        .order_by("village_code", "region_code")
    )
    totals: dict[str, list[int]] = {}
    for row in rows:
        place = row["village_code"] or row["region_code"]
        counts = totals.setdefault(place, [0, 0])
        counts[0] += row["total"]
        counts[1] += row["online"]
    names = public_names(region_codes=set(totals))
    return [
        ReachRow(code=code, name=names.get(code, ""), total=total, online=online)
        for code, (total, online) in sorted(totals.items())
    ]


def compose_regions(*, actor: Actor) -> list[tuple[str, str]]:
    """The county, towns and villages the actor may send a message to (the compose form's
    choices); groups and grids are reached through the API by their codes."""
    regions = scope_queryset(
        Region.objects.all(), actor=actor, permission=Perm.BROADCAST_COMPOSE
    ).filter(level__in=[Level.COUNTY, Level.TOWN, Level.VILLAGE])
    return list(regions.order_by("region_code").values_list("region_code", "name")[:2000])


# Deliveries of a message the caller already read through `broadcast_get` (so in scope)


def delivery_list(
    *, broadcast: Broadcast, status: str = "", place_code: str = ""
) -> QuerySet[Delivery]:
    """The message's deliveries, by place then terminal."""
    rows = Delivery.objects.filter(broadcast=broadcast).select_related("terminal")
    if status:
        rows = rows.filter(status=status)
    if place_code:
        rows = rows.filter(place_code__startswith=place_code)
    return rows.order_by("place_code", "id")


@dataclass(frozen=True)
class PlaceProgress:
    """How far a message got in one village (or at one station's town or county)."""

    code: str
    name: str
    total: int
    delivered: int
    failed: int

    @property
    def waiting(self) -> int:
        return self.total - self.delivered - self.failed


@dataclass(frozen=True)
class DeliveryProgress:
    total: int
    counts: dict[str, int]
    places: list[PlaceProgress]
    # Once the message was withdrawn after it went out: terminals sent the cancel, and those
    # that confirmed it.
    cancels: int = 0
    cancels_confirmed: int = 0

    @property
    def delivered(self) -> int:
        """Terminals that have the message (received it, or played it already)."""
        return self.counts.get(DeliveryStatus.RECEIVED, 0) + self.counts.get(
            DeliveryStatus.PLAYED, 0
        )

    @property
    def failed(self) -> int:
        return self.counts.get(DeliveryStatus.FAILED, 0)

    @property
    def percent_delivered(self) -> int:
        return round(100 * self.delivered / self.total) if self.total else 0

    @property
    def places_with_failures(self) -> list[PlaceProgress]:
        return [place for place in self.places if place.failed]

    @property
    def places_outstanding(self) -> list[PlaceProgress]:
        """Places where a terminal failed or has not answered yet: what an official acts on."""
        return [place for place in self.places if place.failed or place.waiting]

    @property
    def places_complete(self) -> list[PlaceProgress]:
        """Places where every terminal has the message."""
        return [place for place in self.places if not (place.failed or place.waiting)]


def delivery_progress(*, broadcast: Broadcast) -> DeliveryProgress:
    """The message's deliveries counted by status, and by place (villages with failures first,
    then those still waiting on a terminal)."""
    delivered = [DeliveryStatus.RECEIVED, DeliveryStatus.PLAYED]
    rows = (
        Delivery.objects.filter(broadcast=broadcast)
        .values("place_code")
        .annotate(
            total=Count("id"),
            delivered=Count("id", filter=Q(status__in=delivered)),
            failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
        )
        .order_by("place_code")
    )
    counts = dict(
        Delivery.objects.filter(broadcast=broadcast)
        .values("status")
        .annotate(count=Count("id"))
        .values_list("status", "count")
    )
    names = public_names(region_codes={row["place_code"] for row in rows})
    places = [
        PlaceProgress(
            code=row["place_code"],
            name=names.get(row["place_code"], ""),
            total=row["total"],
            delivered=row["delivered"],
            failed=row["failed"],
        )
        for row in rows
    ]
    places.sort(key=lambda place: (-place.failed, -place.waiting, place.code))
    cancels = Delivery.objects.filter(broadcast=broadcast, cancel_nonce__isnull=False).aggregate(
        sent=Count("id"), confirmed=Count("id", filter=Q(cancel_confirmed_at__isnull=False))
    )
    return DeliveryProgress(
        total=sum(counts.values()),
        counts=counts,
        places=places,
        cancels=cancels["sent"],
        cancels_confirmed=cancels["confirmed"],
    )


def place_names(*, codes: Iterable[str]) -> dict[str, str]:
    return public_names(region_codes=set(codes))


# The public feed (no login): sent messages of one county, nothing about who wrote or approved them

PUBLIC_STATES = (State.APPROVED, State.DISPATCHED, State.COMPLETED)
PUBLIC_ALERTS_SHOWN = 50


def public_alert_list(*, county_code: str, limit: int = PUBLIC_ALERTS_SHOWN) -> list[Broadcast]:
    """The county's newest approved or sent messages, for the public alerts page and feed.
    Drafts, messages waiting for approval, rejected and withdrawn ones are never listed."""
    return list(
        Broadcast.objects.filter(county_code=county_code, state__in=PUBLIC_STATES).order_by(
            "-created_at", "-id"
        )[:limit]
    )
