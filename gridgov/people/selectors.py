"""Every read of the register, scoped to the actor: search (name, pinyin initials, the tail a
masked ID shows, a whole ID or phone through their keyed hash, address, household number),
keyset-paged; one record at a time (404 outside the jurisdiction, as for a missing one); the
focus groups the actor may see; a grid worker's round."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, Q, QuerySet

from gridgov.core.access import Perm
from gridgov.core.codes import is_valid_code
from gridgov.core.errors import BAD_CURSOR, NotFound, PermissionDenied, ValidationFailed
from gridgov.core.keyset import decode_cursor, encode_cursor
from gridgov.core.pii import normalize_phone, search_hash
from gridgov.core.scoping import jurisdiction_q, require_permission, scope_queryset
from gridgov.people import errors
from gridgov.people.idnumbers import is_valid_shape, normalize
from gridgov.people.models import (
    Building,
    FocusMembership,
    HomeVisit,
    Household,
    Organisation,
    Resident,
)
from gridgov.people.policy import FOCUS_PERMS, focus_codes

PAGE_SIZE = 50
# Longer than this, a text is more likely an address than the start of a Chinese name.
NAME_MAX_CHARACTERS = 4
_TAIL = re.compile(r"[0-9]{3}[0-9X]")
_INITIALS = re.compile(r"[a-z]{1,10}")
_MOBILE = re.compile(r"\+?[0-9 \-]{11,16}")
# Household numbers and house numbers have digits; addresses name roads, villages, groups,
# buildings. A name has neither, so a text without them is searched as a name only.
_DIGIT = re.compile(r"[0-9０-９]")
_PLACE_WORD = re.compile(r"[路街巷道村组队号楼栋单元室院区镇乡里苑园]")

RowT = TypeVar("RowT", Resident, Household, Building, Organisation)


@dataclass(frozen=True)
class ResidentFilters:
    q: str = ""
    region_code: str = ""
    household_id: int | None = None
    focus: str = ""


def search_condition(q: str) -> Q:
    """What `q` is taken to mean: a whole ID number or mobile number (exact, through the keyed
    hash), the four characters a masked ID shows, pinyin initials; else, with a digit, a
    household number or words of the address; else the start of a name, and words of the
    address too when the text names a place (路, 村, 组, 号...) or is longer than a name."""
    q = q.strip()
    number = normalize(q)
    if len(number) == 18 and is_valid_shape(number):
        return Q(id_hash=search_hash(number))
    if _TAIL.fullmatch(number):
        return Q(id_tail=number)
    if _MOBILE.fullmatch(q):
        phone = normalize_phone(q)
        return Q(phone_hash=search_hash(phone)) if phone else Q(pk__in=[])
    if _INITIALS.fullmatch(q.lower()):
        return Q(name_initials__startswith=q.lower())
    # A name is searched by its start, which the (scope, name, id) indexes answer; an address
    # by any words in it, which no index answers (a scan of the actor's part of the register).
    # Asking both for every text made every name search a scan: 542 ms at 200,000 residents.
    if _DIGIT.search(q):
        return Q(household__number=q) | Q(address__contains=q)
    if _PLACE_WORD.search(q) or len(q) > NAME_MAX_CHARACTERS:
        return Q(name__prefix=q) | Q(address__contains=q)
    return Q(name__prefix=q)


def resident_list(
    *, actor: Any, filters: ResidentFilters, scope: str = Perm.PEOPLE_VIEW
) -> QuerySet[Resident]:
    """The residents of a search where the actor holds `scope` (reading, by default)."""
    queryset = scope_queryset(Resident.objects.all(), actor=actor, permission=scope)
    if filters.q.strip():
        queryset = queryset.filter(search_condition(filters.q))
    if filters.region_code:
        if not is_valid_code(filters.region_code):
            return queryset.none()
        queryset = queryset.filter(jurisdiction_q([filters.region_code]))
    if filters.household_id is not None:
        queryset = queryset.filter(household_id=filters.household_id)
    if filters.focus:
        permission = FOCUS_PERMS.get(filters.focus)
        if permission is None:
            raise ValidationFailed.on("focus", errors.UNKNOWN_CHOICE, value=filters.focus)
        codes = require_permission(actor, permission)
        queryset = queryset.filter(
            focus__kind=filters.focus,
            focus__in=FocusMembership.objects.filter(jurisdiction_q(codes)),
        )
    return queryset.select_related("household")


def keyset_page(
    queryset: QuerySet[RowT], *, key: str, cursor: str | None, size: int = PAGE_SIZE
) -> tuple[list[RowT], str | None]:
    """A page ordered by (`key`, id) after `cursor`; the next page's cursor or None."""
    if cursor:
        last = decode_cursor(cursor)
        value = last.get(key)
        if not isinstance(value, str):
            raise ValidationFailed.on("cursor", BAD_CURSOR)
        queryset = queryset.filter(
            Q(**{f"{key}__gt": value}) | Q(**{key: value, "id__gt": last["id"]}),
            **{f"{key}__gte": value},
        )
    rows = list(queryset.order_by(key, "id")[: size + 1])
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    return rows, encode_cursor({key: getattr(rows[-1], key), "id": rows[-1].pk})


def resident_export_rows(
    *, actor: Any, filters: ResidentFilters, limit: int, unmasked: bool = False
) -> list[Resident]:
    """The first `limit` residents of a search, by name, for a workbook; for an unmasked one
    only where the actor may unmask (PEOPLE_REVEAL: 403 without it anywhere)."""
    scope = Perm.PEOPLE_REVEAL if unmasked else Perm.PEOPLE_VIEW
    queryset = resident_list(actor=actor, filters=filters, scope=scope)
    return list(queryset.order_by("name", "id")[:limit])


def resident_get(*, actor: Any, resident_id: int) -> Resident:
    queryset = scope_queryset(Resident.objects.all(), actor=actor, permission=Perm.PEOPLE_VIEW)
    resident = queryset.select_related("household").filter(pk=resident_id).first()
    if resident is None:
        raise NotFound(errors.RESIDENT_NOT_FOUND)
    return resident


def resident_focus(*, actor: Any, resident: Resident) -> list[FocusMembership]:
    """The resident's focus groups that the actor may see, no others."""
    allowed = [
        kind
        for kind, codes in focus_codes(actor).items()
        if any(resident.region_code.startswith(code) for code in codes)
    ]
    return list(resident.focus.filter(kind__in=allowed).order_by("kind"))


def focus_of_residents(*, actor: Any, residents: list[Resident]) -> dict[int, list[str]]:
    """For a page of residents: each one's focus group kinds the actor may see there."""
    visible = focus_codes(actor)
    found: dict[int, list[str]] = {}
    if not visible or not residents:
        return found
    condition = Q(pk__in=[])
    for kind, codes in visible.items():
        condition |= Q(kind=kind) & jurisdiction_q(codes)
    rows = FocusMembership.objects.filter(condition, resident__in=residents).order_by("kind")
    for resident_id, kind in rows.values_list("resident_id", "kind"):
        found.setdefault(resident_id, []).append(kind)
    return found


def _scoped(model: type[RowT], actor: Any) -> QuerySet[RowT]:
    return scope_queryset(model.objects.all(), actor=actor, permission=Perm.PEOPLE_VIEW)


def household_list(*, actor: Any, q: str = "", region_code: str = "") -> QuerySet[Household]:
    queryset = _scoped(Household, actor).annotate(size=Count("members"))
    if q.strip():
        queryset = queryset.filter(Q(number=q.strip()) | Q(address__contains=q.strip()))
    if region_code:
        if not is_valid_code(region_code):
            return queryset.none()
        queryset = queryset.filter(jurisdiction_q([region_code]))
    return queryset


def household_get(*, actor: Any, household_id: int) -> Household:
    household = _scoped(Household, actor).filter(pk=household_id).first()
    if household is None:
        raise NotFound(errors.HOUSEHOLD_NOT_FOUND)
    return household


def household_by_number(*, actor: Any, number: str) -> Household | None:
    return _scoped(Household, actor).filter(number=number).first()


def household_members(*, household: Household) -> list[Resident]:
    """The members of a household the caller already fetched through a scoped selector."""
    return list(household.members.order_by("relation", "birth_date", "id"))


def building_list(*, actor: Any, q: str = "", region_code: str = "") -> QuerySet[Building]:
    queryset = _scoped(Building, actor).annotate(household_count=Count("households"))
    if q.strip():
        queryset = queryset.filter(Q(address__contains=q.strip()) | Q(name__contains=q.strip()))
    if region_code:
        if not is_valid_code(region_code):
            return queryset.none()
        queryset = queryset.filter(jurisdiction_q([region_code]))
    return queryset


def building_get(*, actor: Any, building_id: int) -> Building:
    building = _scoped(Building, actor).filter(pk=building_id).first()
    if building is None:
        raise NotFound(errors.BUILDING_NOT_FOUND)
    return building


def building_households(*, building: Building) -> list[Household]:
    return list(building.households.annotate(size=Count("members")).order_by("number"))


def organisation_list(
    *, actor: Any, q: str = "", kind: str = "", region_code: str = ""
) -> QuerySet[Organisation]:
    queryset = _scoped(Organisation, actor)
    if region_code:
        if not is_valid_code(region_code):
            return queryset.none()
        queryset = queryset.filter(jurisdiction_q([region_code]))
    if q.strip():
        queryset = queryset.filter(Q(name__contains=q.strip()) | Q(credit_code=q.strip().upper()))
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def organisation_get(*, actor: Any, organisation_id: int) -> Organisation:
    organisation = _scoped(Organisation, actor).filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound(errors.ORGANISATION_NOT_FOUND)
    return organisation


@dataclass
class Visit:
    membership: FocusMembership
    due_on: dt.date
    overdue: bool
    label: str = ""
    visited_this_month: bool = False


def visits_due(*, actor: Any, today: dt.date) -> list[Visit]:
    """For whoever keeps the register (PEOPLE_MANAGE): the focus-group members to visit, in the kinds they may see, soonest due
    first (never visited: due now)."""
    require_permission(actor, Perm.PEOPLE_MANAGE)
    visible = focus_codes(actor)
    if not visible:
        return []
    condition = Q(pk__in=[])
    for kind, codes in visible.items():
        condition |= Q(kind=kind) & jurisdiction_q(codes)
    rows = FocusMembership.objects.filter(condition).select_related(
        "resident", "resident__household"
    )
    visits = []
    for membership in rows[:500]:
        last = membership.last_visited_on
        due = last + dt.timedelta(days=membership.visit_every_days) if last else today
        visits.append(
            Visit(
                membership=membership,
                due_on=due,
                overdue=due < today,
                visited_this_month=last is not None and last >= today.replace(day=1),
            )
        )
    return sorted(visits, key=lambda visit: (visit.due_on, visit.membership.pk))


def households_visited_since(*, actor: Any, since: dt.date) -> set[int]:
    """The households of the actor's round (PEOPLE_MANAGE) visited on or after `since`."""
    codes = require_permission(actor, Perm.PEOPLE_MANAGE)
    visits = HomeVisit.objects.filter(jurisdiction_q(codes), visited_on__gte=since)
    return set(visits.values_list("household_id", flat=True))


def visit_household_get(*, actor: Any, household_id: int) -> Household:
    """A household to record a visit to: 403 without PEOPLE_MANAGE, 404 outside where the actor
    holds it, as for a missing one."""
    queryset = scope_queryset(Household.objects.all(), actor=actor, permission=Perm.PEOPLE_MANAGE)
    household = queryset.filter(pk=household_id).first()
    if household is None:
        raise NotFound(errors.HOUSEHOLD_NOT_FOUND)
    return household


def household_visits(*, household: Household, limit: int = 10) -> list[HomeVisit]:
    """The latest visits to a household the caller already fetched through a scoped selector."""
    rows = household.visits.select_related("resident", "visited_by")
    return list(rows.order_by("-visited_on", "-id")[:limit])


def editable_get(*, actor: Any, model: type[RowT], pk: int, not_found: Any) -> RowT:
    """A record to edit: 403 without PEOPLE_MANAGE, 404 outside where the actor holds it."""
    queryset = scope_queryset(model.objects.all(), actor=actor, permission=Perm.PEOPLE_MANAGE)
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(not_found)
    return found


def require_register(actor: Any) -> None:
    """PermissionDenied (403) for an actor with no role that reads the register."""
    if not actor or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()
    require_permission(actor, Perm.PEOPLE_VIEW)


# What the supervision-and-assessment scores count from the register, read for the system (no
# actor: a worker recomputes the scores).


def focus_households_by_grid(*, on: dt.date) -> dict[int, str]:
    """The households with a member in a focus group on `on` (joined by then, or since an
    unknown day): household id -> the grid it lies in."""
    rows = (
        FocusMembership.objects.filter(Q(since__isnull=True) | Q(since__lte=on))
        .exclude(resident__household__isnull=True)
        .values_list("resident__household_id", "resident__household__grid_code")
        .distinct()
    )
    return {household_id: grid_code for household_id, grid_code in rows}


@dataclass(frozen=True)
class VisitFact:
    household_id: int
    grid_code: str
    visited_by_id: int | None


def visit_facts(*, visited_from: dt.date, visited_until: dt.date) -> list[VisitFact]:
    """Every home visit made on a day in [visited_from, visited_until]."""
    rows = HomeVisit.objects.filter(
        visited_on__gte=visited_from, visited_on__lte=visited_until
    ).values_list("household_id", "grid_code", "visited_by_id")
    return [VisitFact(*row) for row in rows]


def visit_list(
    *,
    actor: Any,
    region_code: str,
    visited_from: dt.date,
    visited_until: dt.date,
    visited_by_id: int | None = None,
) -> QuerySet[HomeVisit]:
    """The home visits made in a place of the actor's register (PEOPLE_VIEW) in a period, by
    one account when given: the records behind a score's visits. Newest first."""
    visits = scope_queryset(HomeVisit.objects.all(), actor=actor, permission=Perm.PEOPLE_VIEW)
    if not is_valid_code(region_code):
        return visits.none()
    visits = visits.filter(
        jurisdiction_q([region_code]), visited_on__gte=visited_from, visited_on__lte=visited_until
    )
    if visited_by_id is not None:
        visits = visits.filter(visited_by_id=visited_by_id)
    return visits.select_related("household", "visited_by").order_by("-visited_on", "-id")
