"""Every read of the broadcast terminals, scoped to the actor."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from gridgov.broadcast.models import Broadcast, Delivery, Terminal, TerminalStatus
from gridgov.core.access import Perm
from gridgov.core.codes import is_valid_code, is_within
from gridgov.core.scoping import Actor, jurisdiction_q, scope_queryset
from gridgov.regions.selectors import public_names

KEY_BATCH = 2_000
MAX_CODE = 32


@dataclass(frozen=True)
class TerminalFilters:
    status: str = ""
    # A region of the actor's jurisdiction: only its terminals (outside it, none).
    region_code: str = ""


def terminal_queryset(*, actor: Actor) -> QuerySet[Terminal]:
    return scope_queryset(Terminal.objects.all(), actor=actor, permission=Perm.TERMINALS_VIEW)


def terminal_list(*, actor: Actor, filters: TerminalFilters | None = None) -> QuerySet[Terminal]:
    """The terminals of the actor's jurisdiction, by place and code."""
    filters = filters or TerminalFilters()
    terminals = terminal_queryset(actor=actor)
    if filters.status:
        terminals = terminals.filter(status=filters.status)
    if filters.region_code:
        if not is_valid_code(filters.region_code):
            return terminals.none()
        terminals = terminals.filter(jurisdiction_q([filters.region_code]))
    return terminals.order_by("region_code", "code")


def terminal_status_counts(
    *, actor: Actor, filters: TerminalFilters | None = None
) -> dict[str, int]:
    """How many terminals of the jurisdiction are in each status (every status listed)."""
    filters = filters or TerminalFilters()
    rows = (
        terminal_list(actor=actor, filters=TerminalFilters(region_code=filters.region_code))
        .order_by()
        .values("status")
        .annotate(count=Count("id"))
    )
    counts = {status: 0 for status in TerminalStatus.values}
    counts.update({row["status"]: row["count"] for row in rows})
    return counts


def terminal_place_names(*, terminals: list[Terminal]) -> dict[str, str]:
    """The names of the terminals' regions (public geography)."""
    return public_names(region_codes={terminal.region_code for terminal in terminals})


def region_name(*, actor: Actor, code: str) -> str:
    """The name of a region the list is narrowed to, when it lies in the actor's jurisdiction."""
    if not code or not is_valid_code(code):
        return ""
    if not any(is_within(code, top) for top in actor.jurisdiction_codes(Perm.TERMINALS_VIEW)):
        return ""
    return public_names(region_codes={code}).get(code, "")


def terminal_public_keys(*, codes: Iterable[str]) -> dict[str, str]:
    """The registered public keys of these terminals (a system read, for checking their
    acknowledgements): codes without a key are left out."""
    wanted = sorted(set(codes))
    keys: dict[str, str] = {}
    for start in range(0, len(wanted), KEY_BATCH):
        rows = (
            Terminal.objects.filter(code__in=wanted[start : start + KEY_BATCH])
            .exclude(public_key="")
            .values_list("code", "public_key")
        )
        keys.update(rows)
    return keys


@dataclass(frozen=True)
class TerminalAudio:
    """What a terminal may fetch: the recording of a message it was sent, and its key."""

    public_key: str
    broadcast: Broadcast


def terminal_audio(*, code: str, identifier: str) -> TerminalAudio | None:
    """The message's recording for the terminal `code`, when the message was sent to it (it
    has a delivery of it) and has one, with the terminal's registered key to check the request;
    None otherwise (a system read: the terminal proves who it is with its signature)."""
    if not code or len(code) > MAX_CODE:
        return None
    terminal = Terminal.objects.filter(code=code).exclude(public_key="").only("id", "public_key")
    row = terminal.first()
    if row is None:
        return None
    delivery = (
        Delivery.objects.filter(terminal=row, broadcast__identifier=identifier)
        .exclude(broadcast__audio="")
        .select_related("broadcast")
        .first()
    )
    if delivery is None:
        return None
    return TerminalAudio(public_key=row.public_key, broadcast=delivery.broadcast)
