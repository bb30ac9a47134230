"""The terminals' life: a heartbeat keeps one online; the periodic sweep marks those that missed
theirs offline and tells the people of the place, once per outage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gridgov.accounts.selectors import role_holder_ids
from gridgov.broadcast import errors, notices
from gridgov.broadcast.keys import normalise_public_key
from gridgov.broadcast.models import Terminal, TerminalStatus
from gridgov.core.access import Role
from gridgov.core.codes import COUNTY_LEN, TOWN_LEN, VILLAGE_LEN
from gridgov.core.errors import NotFound
from gridgov.notifications.services import notify
from gridgov.regions.selectors import public_names

# A heartbeat may be late by this much (a slow network) before its terminal counts as offline.
OFFLINE_GRACE = timedelta(seconds=30)
# How many terminals a notice names; the count says how many there are.
NAMES_IN_NOTICE = 5
BATCH = 2_000

# Who answers for the terminals of a place: the village's secretary, the town's officials, the
# county's operators.
RESPONSIBLE_ROLE = {
    VILLAGE_LEN: Role.VILLAGE_SECRETARY,
    TOWN_LEN: Role.TOWN_OFFICIAL,
    COUNTY_LEN: Role.COUNTY_OPERATOR,
}


def terminal_heartbeat(*, code: str, at: datetime | None = None, faulty: bool = False) -> Terminal:
    """A terminal said it is alive (and whether it can play): online, or faulty. A terminal back
    from an outage is online again, so its next outage is told again."""
    at = at or timezone.now()
    status = TerminalStatus.FAULTY if faulty else TerminalStatus.ONLINE
    with transaction.atomic():
        terminal = Terminal.objects.select_for_update().filter(code=code).first()
        if terminal is None:
            raise NotFound(errors.TERMINAL_NOT_FOUND)
        if terminal.last_heartbeat_at is None or at > terminal.last_heartbeat_at:
            terminal.last_heartbeat_at = at
        if terminal.status != status:
            terminal.status, terminal.status_changed_at = status, at
        terminal.save(update_fields=["last_heartbeat_at", "status", "status_changed_at"])
    return terminal


def terminal_heartbeats(
    *, online: Iterable[str], faulty: Iterable[str] = (), at: datetime | None = None
) -> int:
    """Heartbeats of many terminals at once (as the MQTT listener gathers them): each is online,
    or faulty when it says it cannot play. Unknown codes are ignored. Returns how many matched."""
    at = at or timezone.now()
    faulty_codes = set(faulty)
    matched = 0
    for codes, status in (
        (sorted(set(online) - faulty_codes), TerminalStatus.ONLINE),
        (sorted(faulty_codes), TerminalStatus.FAULTY),
    ):
        for start in range(0, len(codes), BATCH):
            chunk = codes[start : start + BATCH]
            with transaction.atomic():
                Terminal.objects.filter(code__in=chunk).exclude(status=status).update(
                    status=status, status_changed_at=at
                )
                matched += Terminal.objects.filter(code__in=chunk).update(last_heartbeat_at=at)
    return matched


def terminal_keys_register(*, keys: dict[str, str]) -> int:
    """Register terminals' public keys (code to key, as keys.normalise_public_key reads them),
    as the installer of a terminal does: its acknowledgements verify with it from then on.
    Unknown codes are ignored; InvalidPublicKey for a key that is none. Returns how many."""
    normalised = {code: normalise_public_key(key) for code, key in keys.items()}
    with transaction.atomic():
        existing = dict(
            Terminal.objects.filter(code__in=list(normalised)).values_list("code", "public_key")
        )
        changed = [code for code, key in existing.items() if key != normalised[code]]
        for start in range(0, len(changed), BATCH):
            rows = list(Terminal.objects.filter(code__in=changed[start : start + BATCH]))
            for row in rows:
                row.public_key = normalised[row.code]
            Terminal.objects.bulk_update(rows, ["public_key"], batch_size=BATCH)
    return len(existing)


def _place(county_code: str, town_code: str, village_code: str) -> str:
    """The place whose people answer for a terminal: its village, else its town, else county."""
    return village_code or town_code or county_code


def mark_silent_terminals_offline(*, now: datetime | None = None) -> int:
    """Mark offline every online terminal whose last heartbeat is older than its interval (and
    the grace); tell each place's responsible people once, naming its terminals. Terminals
    already offline are left alone, so an outage is told once, however often this runs.
    Returns how many went offline."""
    now = now or timezone.now()
    silent: list[tuple[int, str, str]] = []  # (id, place, name)
    with transaction.atomic():
        intervals = sorted(
            set(
                Terminal.objects.filter(status=TerminalStatus.ONLINE).values_list(
                    "heartbeat_interval_seconds", flat=True
                )
            )
        )
        for interval in intervals:
            deadline = now - timedelta(seconds=interval) - OFFLINE_GRACE
            rows = (
                Terminal.objects.select_for_update()
                .filter(status=TerminalStatus.ONLINE, heartbeat_interval_seconds=interval)
                .filter(Q(last_heartbeat_at__lt=deadline) | Q(last_heartbeat_at__isnull=True))
                .values_list("id", "county_code", "town_code", "village_code", "name")
            )
            silent += [
                (pk, _place(county, town, village), name)
                for pk, county, town, village, name in rows
            ]
        ids = [pk for pk, _place_code, _name in silent]
        for start in range(0, len(ids), BATCH):
            Terminal.objects.filter(pk__in=ids[start : start + BATCH]).update(
                status=TerminalStatus.OFFLINE, status_changed_at=now
            )
        _tell_places(silent)
    return len(silent)


def _tell_places(silent: list[tuple[int, str, str]]) -> None:
    by_place: dict[str, list[str]] = defaultdict(list)
    for _pk, place, name in silent:
        by_place[place].append(name)
    if not by_place:
        return
    holders: dict[str, set[int]] = {}
    for length, role in RESPONSIBLE_ROLE.items():
        places = {place for place in by_place if len(place) == length}
        if places:
            holders.update(role_holder_ids(roles=[role], region_codes=places))
    # A village without a secretary on the system: its town's officials hear of it instead.
    orphans = {
        place[:TOWN_LEN] for place in by_place if len(place) == VILLAGE_LEN and place not in holders
    }
    towns = role_holder_ids(roles=[Role.TOWN_OFFICIAL], region_codes=orphans) if orphans else {}
    names = public_names(region_codes=set(by_place))
    for place, terminal_names in sorted(by_place.items()):
        recipients = holders.get(place) or towns.get(place[:TOWN_LEN], set())
        shown = sorted(terminal_names)[:NAMES_IN_NOTICE]
        listed = "、".join(shown) + ("……" if len(terminal_names) > len(shown) else "")
        notify(
            recipient_ids=recipients,
            key=notices.TERMINALS_OFFLINE.key,
            params={
                "count": len(terminal_names),
                "place": names.get(place, place),
                "names": listed,
            },
            object_type=notices.TERMINAL_LIST,
            object_id=place,
        )
