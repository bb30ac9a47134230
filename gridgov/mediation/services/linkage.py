"""The three-mediation linkage (三调联动): a dispute referred from people's mediation to a
government department (administrative) or the court's litigation-mediation desk (judicial), and
back. Each referral is a record with its reason and receiving unit, and a step on the case's
timeline through the cases app (transfer, take back)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gridgov.cases.services import case_transition
from gridgov.core.audit import audit_record
from gridgov.core.errors import Conflict, Problem, ValidationFailed
from gridgov.mediation import errors
from gridgov.mediation.models import MediationFile, Referral, Track
from gridgov.mediation.services.common import require_work_at

# The directions a referral may take, with the case's step for each.
TRANSFER_KIND = {Track.ADMINISTRATIVE: "department", Track.JUDICIAL: "court"}
REASON_MAX_LENGTH = 2000


def file_refer(
    *, actor: Any, file: MediationFile, to_track: str, unit: str, reason: str
) -> Referral:
    """Refer the dispute: from people's mediation out to a department or the court (the case is
    transferred there), or back to people's mediation (the case is taken back). The cases app
    decides who may move the case (the routing official of its level) and when."""
    require_work_at(actor, file.region_code, errors.FILE_NOT_FOUND, number=file.number)
    problems: dict[str, list[Problem]] = {}
    if to_track not in Track.values:
        problems["to_track"] = [errors.BAD_TRACK.bind()]
    if not unit.strip():
        problems["unit"] = [errors.UNIT_REQUIRED.bind()]
    if not reason.strip():
        problems["reason"] = [errors.NOTE_REQUIRED.bind()]
    elif len(reason) > REASON_MAX_LENGTH:
        problems["reason"] = [errors.REASON_TOO_LONG.bind(limit=REASON_MAX_LENGTH)]
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        file = MediationFile.objects.select_for_update().select_related("case").get(pk=file.pk)
        if not file.is_open:
            raise Conflict(errors.FILE_CLOSED)
        from_track = file.track
        if to_track == from_track or Track.PEOPLE not in (from_track, to_track):
            raise Conflict(errors.BAD_DIRECTION, from_track=from_track, to_track=to_track)
        if to_track == Track.PEOPLE:
            case_transition(actor=actor, case=file.case, action="take_back", note=reason.strip())
        else:
            case_transition(
                actor=actor,
                case=file.case,
                action="transfer",
                note=reason.strip(),
                transfer_kind=TRANSFER_KIND[Track(to_track)],
                transfer_to=unit.strip(),
            )
        now = timezone.now()
        referral = Referral(
            file=file,
            from_track=from_track,
            to_track=to_track,
            unit=unit.strip()[:120],
            reason=reason.strip(),
            actor=actor,
            created_at=now,
        )
        referral.set_region_code(file.region_code)
        referral.save()
        file.track = to_track
        file.updated_at = now
        file.save(update_fields=["track", "updated_at"])
        audit_record(
            actor=actor,
            action="mediation.refer",
            object_type="mediation_file",
            object_id=file.number,
            region_code=file.region_code,
            detail={"from": from_track, "to": to_track, "unit": referral.unit},
        )
    return referral
