"""Every write to the register, and the one way to read an ID number or phone in full.

Each service checks the actor's permission over the record's region (outside it the record does
not exist for them: 404), validates, writes atomically and audits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.codes import GRID_LEN, is_valid_code
from gridgov.core.errors import (
    TOO_LONG,
    NotFound,
    PermissionDenied,
    Problem,
    RefusalTarget,
    ValidationFailed,
)
from gridgov.core.scoping import require_permission
from gridgov.people import errors
from gridgov.people.checks import ResidentInput, check_credit_code, check_resident
from gridgov.people.models import (
    Building,
    FocusMembership,
    HomeVisit,
    Household,
    Organisation,
    Resident,
)
from gridgov.people.policy import FOCUS_PERMS, holds_anywhere, holds_at, visible_focus_kinds

REASON_MAX_LENGTH = 500
REVEALABLE = ("id_number", "phone")
VISIT_TEXT_MAX_LENGTH = 2000
# How far back a visit may be entered: a round recorded at the end of the week, not last year's.
VISIT_BACKDATE_DAYS = 31


def _require_at(actor: Any, permission: str, region_code: str, not_found: Any) -> None:
    """PermissionDenied (403) without any role for `permission`; NotFound (404) when the region
    lies outside the actor's jurisdiction for it, exactly as for a missing record."""
    require_permission(actor, permission)
    if not holds_at(actor, permission, region_code):
        raise NotFound(not_found)


def _grid_region(region_code: str) -> str:
    if not is_valid_code(region_code) or len(region_code) < GRID_LEN:
        raise ValidationFailed.on("region_code", errors.UNKNOWN_GRID, grid=region_code)
    return region_code


@transaction.atomic
def building_create(
    *,
    actor: Any,
    region_code: str,
    address: str,
    name: str = "",
    kind: str = Building.Kind.BLOCK,
    use: str = Building.Use.RESIDENTIAL,
    floors: int = 1,
) -> Building:
    _require_at(actor, Perm.PEOPLE_MANAGE, _grid_region(region_code), errors.UNKNOWN_GRID)
    building = Building(
        region_code=region_code, address=address, name=name, kind=kind, use=use, floors=floors
    )
    building.save()
    audit_record(
        actor=actor,
        action="building.create",
        object_type="building",
        object_id=building.pk,
        region_code=region_code,
    )
    return building


@transaction.atomic
def household_create(
    *,
    actor: Any,
    region_code: str,
    number: str,
    address: str,
    registration: str = Household.Registration.REGISTERED,
    building: Building | None = None,
) -> Household:
    _require_at(actor, Perm.PEOPLE_MANAGE, _grid_region(region_code), errors.UNKNOWN_GRID)
    household = Household(
        region_code=region_code,
        number=number.strip(),
        address=address.strip(),
        registration=registration,
        building=building,
    )
    household.save()
    audit_record(
        actor=actor,
        action="household.create",
        object_type="household",
        object_id=household.pk,
        region_code=region_code,
    )
    return household


@transaction.atomic
def resident_create(*, actor: Any, household: Household, data: ResidentInput) -> Resident:
    """A resident of `household`: ValidationFailed (400) with every problem, column by column."""
    _require_at(actor, Perm.PEOPLE_MANAGE, household.region_code, errors.HOUSEHOLD_NOT_FOUND)
    checked = check_resident(data)
    if checked.problems:
        raise ValidationFailed(checked.problems)
    if Resident.objects.filter(id_hash=checked.fields["id_hash"]).exists():
        raise ValidationFailed.on("id_number", errors.ID_DUPLICATE)
    resident = Resident(
        household=household,
        region_code=household.region_code,
        address=household.address,
        **checked.fields,
    )
    resident.save()
    audit_record(
        actor=actor,
        action="resident.create",
        object_type="resident",
        object_id=resident.pk,
        region_code=resident.region_code,
    )
    return resident


@transaction.atomic
def focus_add(
    *, actor: Any, resident: Resident, kind: str, visit_every_days: int = 30, note: str = ""
) -> FocusMembership:
    """Put a resident in a focus group: only who may see that kind there (else 403, audited)."""
    permission = FOCUS_PERMS.get(kind)
    if permission is None:
        raise ValidationFailed.on("kind", errors.UNKNOWN_CHOICE, value=kind)
    _require_at(actor, Perm.PEOPLE_MANAGE, resident.region_code, errors.RESIDENT_NOT_FOUND)
    if not holds_at(actor, permission, resident.region_code):
        raise PermissionDenied(
            errors.FOCUS_REFUSED,
            target=RefusalTarget(
                object_type="resident",
                object_id=str(resident.pk),
                operation="focus_add",
                region_code=resident.region_code,
                detail={"kind": kind},
            ),
        )
    membership, _created = FocusMembership.objects.get_or_create(
        resident=resident,
        kind=kind,
        defaults={
            "region_code": resident.region_code,
            "visit_every_days": visit_every_days,
            "note": note,
        },
    )
    audit_record(
        actor=actor,
        action="resident.focus_add",
        object_type="resident",
        object_id=resident.pk,
        region_code=resident.region_code,
        detail={"kind": kind},
    )
    return membership


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    region_code: str,
    name: str,
    kind: str,
    credit_code: str = "",
    address: str = "",
) -> Organisation:
    _require_at(actor, Perm.PEOPLE_MANAGE, _grid_region(region_code), errors.UNKNOWN_GRID)
    code = ""
    if credit_code.strip():
        checked = check_credit_code(credit_code)
        if not isinstance(checked, str):
            raise ValidationFailed.on("credit_code", checked)
        code = checked
    elif kind in (Organisation.Kind.ENTERPRISE, Organisation.Kind.SOCIAL):
        raise ValidationFailed.on("credit_code", errors.CREDIT_CODE_REQUIRED)
    if code and Organisation.objects.filter(credit_code=code).exists():
        raise ValidationFailed.on("credit_code", errors.CREDIT_CODE_DUPLICATE)
    organisation = Organisation(
        region_code=region_code, name=name.strip(), kind=kind, credit_code=code, address=address
    )
    organisation.save()
    audit_record(
        actor=actor,
        action="organisation.create",
        object_type="organisation",
        object_id=organisation.pk,
        region_code=region_code,
    )
    return organisation


def resident_reveal(
    *,
    actor: Any,
    resident: Resident,
    field: str,
    reason: str,
    client_address: str | None = None,
) -> str:
    """One resident's ID number or phone in full, for `reason`: 400 without a reason or for
    another field, 403 (audited as refused) without PEOPLE_REVEAL over the resident; otherwise
    an audit row names the field and the reason."""
    if field not in REVEALABLE:
        raise ValidationFailed.on("field", errors.REVEAL_FIELD)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", errors.REVEAL_REASON_REQUIRED)
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationFailed.on("reason", TOO_LONG, limit=REASON_MAX_LENGTH)
    if not holds_at(actor, Perm.PEOPLE_REVEAL, resident.region_code):
        raise PermissionDenied(
            errors.REVEAL_REFUSED,
            target=RefusalTarget(
                object_type="resident",
                object_id=str(resident.pk),
                operation="reveal",
                region_code=resident.region_code,
                detail={"field": field, "stated_reason": reason},
            ),
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="resident.reveal",
            object_type="resident",
            object_id=resident.pk,
            region_code=resident.region_code,
            client_address=client_address,
            detail={"field": field, "reason": reason},
        )
    value = resident.id_number if field == "id_number" else resident.phone
    return value.reveal()


def export_record(*, actor: Any, count: int, query: dict[str, str]) -> None:
    """Each export of the register is audited: who, how many rows, with what search."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="resident.export",
            object_type="resident",
            detail={"rows": count, "query": query},
        )


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    household: Household,
    visited_on: dt.date,
    found: str,
    need: str = "",
    resident: Resident | None = None,
    case_number: str = "",
) -> HomeVisit:
    """A visit to `household` (or to `resident`, a member of it) by whoever keeps the register
    there: 403 without the role, 404 outside the jurisdiction, 400 for a date ahead or more than
    a month back, nothing found or a person of another household. A focus-group member's visit
    moves on their next due date, in the groups the actor may see."""
    _require_at(actor, Perm.PEOPLE_MANAGE, household.region_code, errors.HOUSEHOLD_NOT_FOUND)
    found, need = found.strip(), need.strip()
    today = timezone.localdate()
    problems: dict[str, list[Problem]] = {}
    if visited_on > today:
        problems["visited_on"] = [Problem(errors.VISIT_IN_FUTURE)]
    elif visited_on < today - dt.timedelta(days=VISIT_BACKDATE_DAYS):
        problems["visited_on"] = [Problem(errors.VISIT_TOO_OLD, {"days": VISIT_BACKDATE_DAYS})]
    if not found:
        problems["found"] = [Problem(errors.REQUIRED)]
    for field, text in (("found", found), ("need", need)):
        if len(text) > VISIT_TEXT_MAX_LENGTH:
            problems[field] = [Problem(TOO_LONG, {"limit": VISIT_TEXT_MAX_LENGTH})]
    if resident is not None and resident.household_id != household.pk:
        problems["resident"] = [Problem(errors.VISIT_NOT_A_MEMBER)]
    if problems:
        raise ValidationFailed(problems)
    visit = HomeVisit(
        region_code=household.region_code,
        household=household,
        resident=resident,
        visited_on=visited_on,
        visited_by=actor,
        found=found,
        need=need,
        case_number=case_number,
    )
    visit.save()
    if resident is not None:
        kinds = visible_focus_kinds(actor, household.region_code)
        memberships = FocusMembership.objects.filter(resident=resident, kind__in=kinds)
        memberships.filter(
            models.Q(last_visited_on__isnull=True) | models.Q(last_visited_on__lt=visited_on)
        ).update(last_visited_on=visited_on)
    audit_record(
        actor=actor,
        action="household.visit",
        object_type="household",
        object_id=household.pk,
        region_code=household.region_code,
        detail={
            "visit": visit.pk,
            "resident": resident.pk if resident else None,
            "case": case_number,
        },
    )
    return visit


def export_unmasked_check(*, actor: Any, reason: str, query: dict[str, str]) -> str:
    """Before an unmasked export is read: the reason, stripped; 400 without one, 403 (audited as
    refused, with the reason stated) without PEOPLE_REVEAL anywhere."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", errors.REVEAL_REASON_REQUIRED)
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationFailed.on("reason", TOO_LONG, limit=REASON_MAX_LENGTH)
    if not holds_anywhere(actor, Perm.PEOPLE_REVEAL):
        raise PermissionDenied(
            errors.REVEAL_REFUSED,
            target=RefusalTarget(
                object_type="resident",
                object_id="",
                operation="export_unmasked",
                detail={"stated_reason": reason, "query": query},
            ),
        )
    return reason


def export_unmasked_record(
    *,
    actor: Any,
    reason: str,
    count: int,
    query: dict[str, str],
    client_address: str | None = None,
) -> None:
    """An unmasked export handed out (after `export_unmasked_check`): audited with the reason,
    the count of rows and the search."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="resident.export_unmasked",
            object_type="resident",
            client_address=client_address,
            detail={"rows": count, "reason": reason, "query": query},
        )
