"""Centres: one per county, town/street and village/community."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gridgov.core import codes
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import Conflict, ValidationFailed
from gridgov.core.scoping import require_permission
from gridgov.mediation import errors
from gridgov.mediation.models import Centre, CentreLevel

LEVEL_BY_LENGTH = {
    codes.COUNTY_LEN: CentreLevel.COUNTY,
    codes.TOWN_LEN: CentreLevel.TOWN,
    codes.VILLAGE_LEN: CentreLevel.VILLAGE,
}


def centre_create(
    *, actor: Any, region_code: str, name: str, address: str = "", phone: str = ""
) -> Centre:
    """Open the centre of a county, town/street or village/community (the county's operator,
    or anyone working mediation above the region)."""
    allowed = require_permission(actor, Perm.MEDIATION_WORK)
    level = LEVEL_BY_LENGTH.get(len(region_code))
    if level is None or not codes.is_valid_code(region_code):
        raise ValidationFailed.on("region_code", errors.CENTRE_LEVEL)
    if not any(codes.is_within(region_code, code) for code in allowed):
        raise ValidationFailed.on("region_code", errors.PLACE_OUTSIDE_CENTRE)
    with transaction.atomic():
        if Centre.objects.filter(region_code=region_code).exists():
            raise Conflict(errors.CENTRE_EXISTS)
        centre = Centre(name=name.strip()[:120], level=level, address=address, phone=phone)
        centre.set_region_code(region_code)
        centre.save()
        audit_record(
            actor=actor,
            action="mediation.centre_create",
            object_type="centre",
            object_id=centre.pk,
            region_code=region_code,
        )
    return centre
