"""Package responsibility (包抓): whoever assigns it names an official of their jurisdiction who
answers for a place, a case or a risk there; the official is told and sees all of it on their
package page. Ending it keeps the row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gridgov.accounts.selectors import active_user_named
from gridgov.assessment import errors, notices
from gridgov.assessment.models import PackageKind, Responsibility
from gridgov.cases.selectors import case_queryset
from gridgov.core import codes
from gridgov.core.access import Perm, role_grants
from gridgov.core.audit import audit_record
from gridgov.core.errors import Conflict, Problem, ValidationFailed
from gridgov.core.scoping import require_permission
from gridgov.mediation.selectors import risk_in_jurisdiction
from gridgov.notifications.services import notify
from gridgov.regions.selectors import region_queryset

NOTE_MAX = 200


@dataclass
class PackageInput:
    official: str  # username
    kind: str
    region_code: str = ""
    case_number: str = ""
    risk_id: int | None = None
    note: str = ""


def _within(code: str, allowed: list[str]) -> bool:
    return any(codes.is_within(code, top) for top in allowed)


def _official(username: str, allowed: list[str]) -> Any:
    """An active account that sees scores somewhere within the jurisdiction: an official."""
    user = active_user_named(username=username.strip()) if username.strip() else None
    if user is None:
        return None
    for assignment in user.active_assignments():
        if role_grants(assignment.role, Perm.ASSESSMENT_VIEW) and _within(
            assignment.region_code, allowed
        ):
            return user
    return None


def _target(actor: Any, data: PackageInput, allowed: list[str]) -> tuple[str, str, str, int | None]:
    """(region code, label, case number, risk id) of what the official will answer for."""
    if data.kind == PackageKind.REGION:
        code = data.region_code.strip()
        region = (
            region_queryset(actor=actor).filter(region_code=code).first()
            if codes.is_valid_code(code) and _within(code, allowed)
            else None
        )
        if region is None:
            raise ValidationFailed.on("region_code", errors.PLACE_NOT_FOUND)
        return code, region.name, "", None
    if data.kind == PackageKind.CASE:
        number = data.case_number.strip()
        case = case_queryset(actor=actor).filter(number=number).first() if number else None
        if case is None or not _within(case.region_code, allowed):
            raise ValidationFailed.on("case_number", errors.CASE_NOT_FOUND, number=number)
        return case.region_code, f"{case.number} {case.title}"[:160], case.number, None
    risk = risk_in_jurisdiction(actor=actor, risk_id=data.risk_id) if data.risk_id else None
    if risk is None:
        raise ValidationFailed.on("risk_id", errors.RISK_NOT_FOUND, risk=data.risk_id or "")
    return risk.region_code, risk.title[:160], "", risk.pk


def package_assign(*, actor: Any, data: PackageInput) -> Responsibility:
    """Name an official who answers for a place, a case or a risk of the jurisdiction."""
    allowed = require_permission(actor, Perm.PACKAGE_ASSIGN)
    problems: dict[str, list[Problem]] = {}
    official = _official(data.official, allowed)
    if official is None:
        problems["official"] = [errors.OFFICIAL_NOT_FOUND.bind(username=data.official.strip())]
    target: tuple[str, str, str, int | None] | None = None
    try:
        target = _target(actor, data, allowed)
    except ValidationFailed as error:
        problems.update(error.problems)
    if len(data.note) > NOTE_MAX:
        problems["note"] = [errors.TEXT_REQUIRED.bind()]
    if problems or target is None:
        raise ValidationFailed(problems)
    region_code, label, case_number, risk_id = target
    with transaction.atomic():
        same = Responsibility.objects.select_for_update().filter(
            official=official, kind=data.kind, ended_at__isnull=True
        )
        if data.kind == PackageKind.REGION:
            same = same.filter(region_code=region_code)
        elif data.kind == PackageKind.CASE:
            same = same.filter(case_number=case_number)
        else:
            same = same.filter(risk_id=risk_id)
        if same.exists():
            raise Conflict(errors.ALREADY_ANSWERS, name=official.display_name or official.username)
        row = Responsibility(
            official=official,
            kind=data.kind,
            case_number=case_number,
            risk_id=risk_id,
            label=label,
            note=data.note.strip(),
            assigned_by=actor,
            assigned_at=timezone.now(),
        )
        row.set_region_code(region_code)
        row.save()
        audit_record(
            actor=actor,
            action="assessment.package_assign",
            object_type="package",
            object_id=row.pk,
            region_code=region_code,
            detail={"official": official.pk, "kind": data.kind},
        )
        notify(
            recipient_ids=[official.pk],
            key=notices.PACKAGE_ASSIGNED.key,
            params={"label": label},
            object_type="package",
            object_id=str(row.pk),
        )
    return row


def package_end(*, actor: Any, package: Responsibility) -> Responsibility:
    """End a package responsibility (the row stays, with when it ended)."""
    allowed = require_permission(actor, Perm.PACKAGE_ASSIGN)
    if not _within(package.region_code, allowed):
        raise ValidationFailed.on("package", errors.PACKAGE_NOT_FOUND)
    with transaction.atomic():
        package = Responsibility.objects.select_for_update().get(pk=package.pk)
        if package.ended_at is not None:
            raise Conflict(errors.ALREADY_ENDED)
        package.ended_at = timezone.now()
        package.save(update_fields=["ended_at"])
        audit_record(
            actor=actor,
            action="assessment.package_end",
            object_type="package",
            object_id=package.pk,
            region_code=package.region_code,
            detail={"official": package.official_id},
        )
    return package
