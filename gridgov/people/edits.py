"""Edits of the register's records by whoever keeps the register there (PEOPLE_MANAGE): a
resident, a household, a building, an organisation. Each takes only the fields it is given,
checks them as on creation, writes atomically and audits which fields changed (not their values:
an ID number or phone must not reach the audit log in full)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import TOO_LONG, Problem, ValidationFailed
from gridgov.people import errors
from gridgov.people.checks import ResidentInput, check_credit_code, check_resident
from gridgov.people.models import Building, Household, Organisation, Resident
from gridgov.people.services import _require_at

RESIDENT_FIELDS = ("name", "id_number", "phone", "ethnicity", "relation", "residence", "occupation")
HOUSEHOLD_FIELDS = ("number", "address", "registration")
BUILDING_FIELDS = ("name", "address", "kind", "use", "floors")
ORGANISATION_FIELDS = ("name", "kind", "credit_code", "address")


def _unknown(given: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """Fields that may not be edited (gender and birth date follow the ID number) are refused."""
    extra = sorted(set(given) - set(allowed))
    if extra:
        raise ValidationFailed(
            {name: [Problem(errors.NOT_EDITABLE)] for name in extra},
        )


def _audit(actor: Any, kind: str, record: Any, changed: list[str]) -> None:
    audit_record(
        actor=actor,
        action=f"{kind}.update",
        object_type=kind,
        object_id=record.pk,
        region_code=record.region_code,
        detail={"fields": changed},
    )


def _text(problems: dict[str, list[Problem]], name: str, value: Any, limit: int) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        problems[name] = [Problem(TOO_LONG, {"limit": limit})]
    return text


@transaction.atomic
def resident_update(*, actor: Any, resident: Resident, changes: dict[str, Any]) -> Resident:
    """Change a resident's fields in `changes`. A new ID number is checked again (check character,
    birth date, place, not another's) and gender and birth date are derived from it anew; an empty
    ID number or phone keeps the stored one (neither is ever shown in full to be edited), and a
    phone of None removes it (the resident gave it up, or it was someone else's)."""
    _require_at(actor, Perm.PEOPLE_MANAGE, resident.region_code, errors.RESIDENT_NOT_FOUND)
    _unknown(changes, RESIDENT_FIELDS)
    given = {k: v for k, v in changes.items() if not (k in ("id_number", "phone") and v == "")}
    if given.get("id_number", "") is None:
        raise ValidationFailed.on("id_number", errors.REQUIRED)
    if "phone" in given and given["phone"] is None:
        given["phone"] = ""
    current = ResidentInput(
        name=resident.name,
        id_number=resident.id_number.reveal(),
        phone=resident.phone.reveal() if resident.phone else "",
        ethnicity=resident.ethnicity,
        relation=resident.relation,
        residence=resident.residence,
        occupation=resident.occupation,
    )
    for name, value in given.items():
        setattr(current, name, value if isinstance(value, str) else str(value))
    checked = check_resident(current)
    problems = dict(checked.problems)
    _text(problems, "occupation", current.occupation, 100)
    _text(problems, "name", current.name, 50)
    _text(problems, "ethnicity", current.ethnicity, 20)
    if problems:
        raise ValidationFailed(problems)
    fields = checked.fields
    if Resident.objects.filter(id_hash=fields["id_hash"]).exclude(pk=resident.pk).exists():
        raise ValidationFailed.on("id_number", errors.ID_DUPLICATE)
    changed = []
    for name in RESIDENT_FIELDS:
        before = getattr(resident, name)
        before = before.reveal() if hasattr(before, "reveal") else before
        if before != fields[name]:
            changed.append(name)
    if not changed:
        return resident
    for name, value in fields.items():
        setattr(resident, name, value)
    resident.save()
    _audit(actor, "resident", resident, changed)
    # The ID number and phone were set as plain text: read them back as values that print masked.
    resident.refresh_from_db()
    return resident


def _apply(record: Any, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    return changed


def _choice(problems: dict[str, list[Problem]], name: str, value: Any, choices: list[str]) -> str:
    if value not in choices:
        problems[name] = [Problem(errors.UNKNOWN_CHOICE, {"value": value})]
    return str(value)


@transaction.atomic
def household_update(*, actor: Any, household: Household, changes: dict[str, Any]) -> Household:
    _require_at(actor, Perm.PEOPLE_MANAGE, household.region_code, errors.HOUSEHOLD_NOT_FOUND)
    _unknown(changes, HOUSEHOLD_FIELDS)
    problems: dict[str, list[Problem]] = {}
    values: dict[str, Any] = {}
    if "number" in changes:
        values["number"] = _text(problems, "number", changes["number"], 32)
        if not values["number"]:
            problems["number"] = [Problem(errors.REQUIRED)]
        elif Household.objects.filter(number=values["number"]).exclude(pk=household.pk).exists():
            problems["number"] = [Problem(errors.HOUSEHOLD_NUMBER_TAKEN)]
    if "address" in changes:
        values["address"] = _text(problems, "address", changes["address"], 200)
        if not values["address"]:
            problems["address"] = [Problem(errors.REQUIRED)]
    if "registration" in changes:
        values["registration"] = _choice(
            problems, "registration", changes["registration"], Household.Registration.values
        )
    if problems:
        raise ValidationFailed(problems)
    changed = _apply(household, values)
    if changed:
        household.save()
        if "address" in changed:
            # The members' address is the household's (written with them on creation).
            household.members.update(address=household.address)
        _audit(actor, "household", household, changed)
    return household


@transaction.atomic
def building_update(*, actor: Any, building: Building, changes: dict[str, Any]) -> Building:
    _require_at(actor, Perm.PEOPLE_MANAGE, building.region_code, errors.BUILDING_NOT_FOUND)
    _unknown(changes, BUILDING_FIELDS)
    problems: dict[str, list[Problem]] = {}
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = _text(problems, "name", changes["name"], 100)
    if "address" in changes:
        values["address"] = _text(problems, "address", changes["address"], 200)
        if not values["address"]:
            problems["address"] = [Problem(errors.REQUIRED)]
    if "kind" in changes:
        values["kind"] = _choice(problems, "kind", changes["kind"], Building.Kind.values)
    if "use" in changes:
        values["use"] = _choice(problems, "use", changes["use"], Building.Use.values)
    if "floors" in changes:
        floors = changes["floors"]
        if isinstance(floors, bool) or not isinstance(floors, int) or not 1 <= floors <= 200:
            problems["floors"] = [Problem(errors.FLOORS_RANGE)]
        else:
            values["floors"] = floors
    if problems:
        raise ValidationFailed(problems)
    changed = _apply(building, values)
    if changed:
        building.save()
        _audit(actor, "building", building, changed)
    return building


@transaction.atomic
def organisation_update(
    *, actor: Any, organisation: Organisation, changes: dict[str, Any]
) -> Organisation:
    _require_at(actor, Perm.PEOPLE_MANAGE, organisation.region_code, errors.ORGANISATION_NOT_FOUND)
    _unknown(changes, ORGANISATION_FIELDS)
    problems: dict[str, list[Problem]] = {}
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = _text(problems, "name", changes["name"], 120)
        if not values["name"]:
            problems["name"] = [Problem(errors.REQUIRED)]
    if "address" in changes:
        values["address"] = _text(problems, "address", changes["address"], 200)
    kind = organisation.kind
    if "kind" in changes:
        kind = values["kind"] = _choice(problems, "kind", changes["kind"], Organisation.Kind.values)
    code = organisation.credit_code
    if "credit_code" in changes:
        raw = str(changes["credit_code"] or "").strip()
        code = ""
        if raw:
            checked = check_credit_code(raw)
            if isinstance(checked, str):
                code = checked
            else:
                problems["credit_code"] = [Problem(checked)]
        values["credit_code"] = code
    if "credit_code" not in problems:
        if not code and kind in (Organisation.Kind.ENTERPRISE, Organisation.Kind.SOCIAL):
            problems["credit_code"] = [Problem(errors.CREDIT_CODE_REQUIRED)]
        elif (
            code
            and Organisation.objects.filter(credit_code=code).exclude(pk=organisation.pk).exists()
        ):
            problems["credit_code"] = [Problem(errors.CREDIT_CODE_DUPLICATE)]
    if problems:
        raise ValidationFailed(problems)
    changed = _apply(organisation, values)
    if changed:
        organisation.save()
        _audit(actor, "organisation", organisation, changed)
    return organisation
