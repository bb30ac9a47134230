"""Writes of the Open311 module: API clients, and service requests posted by them (each becomes
a case through the one-stop intake, `gridgov.cases.services.case_report`)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gridgov.cases.models import Case, Category, Channel
from gridgov.cases.services import CaseInput, case_report
from gridgov.core import codes
from gridgov.core.audit import audit_record
from gridgov.core.errors import TOO_LONG, ValidationFailed
from gridgov.core.pii import search_hash
from gridgov.open311 import errors
from gridgov.open311.models import Open311Client, Open311Request
from gridgov.open311.params import NewRequest
from gridgov.regions.locator import PointOutsideGrids, locate_point
from gridgov.regions.models import Level, Region


def open311_client_set_key(*, name: str, raw_key: str, actor: Any = None) -> Open311Client:
    """Create or re-key (and activate) the client `name` so that `raw_key` opens it. For a key
    chosen elsewhere, such as the demo's fixed one; a no-op when nothing changes."""
    key_hash = search_hash(raw_key)
    client = Open311Client.objects.filter(name=name).first()
    if client is not None and client.key_hash == key_hash and client.is_active:
        return client
    with transaction.atomic():
        client, created = Open311Client.objects.update_or_create(
            name=name, defaults={"key_hash": key_hash, "is_active": True}
        )
        audit_record(
            actor=actor,
            action="open311.client_create" if created else "open311.client_rekey",
            object_type="open311_client",
            object_id=client.pk,
            detail={"name": name},
        )
    return client


def open311_client_create(*, name: str, actor: Any = None) -> tuple[Open311Client, str]:
    """A new client with a fresh key. Returns the client and the raw key, which is not stored:
    show it once."""
    name = name.strip()
    if not name:
        raise ValidationFailed.on("name", errors.CLIENT_NAME_REQUIRED)
    if len(name) > 100:
        raise ValidationFailed.on("name", TOO_LONG, limit=100)
    if Open311Client.objects.filter(name=name).exists():
        raise ValidationFailed.on("name", errors.CLIENT_NAME_TAKEN)
    raw_key = secrets.token_urlsafe(32)
    with transaction.atomic():
        client = Open311Client.objects.create(name=name, key_hash=search_hash(raw_key))
        audit_record(
            actor=actor,
            action="open311.client_create",
            object_type="open311_client",
            object_id=client.pk,
            detail={"name": name},
        )
    return client, raw_key


@dataclass(frozen=True)
class Placement:
    """Where a request goes: the region for the case (when there is no point) and its address."""

    region_code: str
    address: str


def _region_named_in(address: str, county_code: str) -> str:
    """The village (or else town) whose name the address mentions, when exactly one does; else
    the county, whose operators route the case."""
    rows = Region.objects.filter(
        county_code=county_code, level__in=[Level.TOWN, Level.VILLAGE]
    ).values_list("region_code", "level", "name")
    named = [(code, level) for code, level, name in rows if name and name in address]
    villages = [code for code, level in named if level == Level.VILLAGE]
    towns = [code for code, level in named if level == Level.TOWN]
    if len(villages) == 1 and all(villages[0].startswith(town) for town in towns):
        return villages[0]
    if len(towns) == 1:
        return towns[0]
    return county_code


def _place(data: NewRequest, county_code: str) -> Placement:
    """Check the location against the jurisdiction and choose the region for a report without a
    point. Errors name the Open311 parameter at fault."""
    if data.latitude is not None and data.longitude is not None:
        try:
            located = locate_point(lng=data.longitude, lat=data.latitude).region_code
        except PointOutsideGrids as error:
            raise ValidationFailed.on("location", errors.POINT_OUTSIDE_GRIDS) from error
        if not codes.is_within(located, county_code):
            raise ValidationFailed.on("location", errors.POINT_OUTSIDE_JURISDICTION)
        return Placement(region_code="", address=data.address_string)
    if data.address_id:
        region = Region.objects.filter(region_code=data.address_id).first()
        if region is None or not codes.is_within(region.region_code, county_code):
            raise ValidationFailed.on("region_code", errors.NOT_A_REGION)
        return Placement(region_code=region.region_code, address=data.address_string or region.name)
    return Placement(
        region_code=_region_named_in(data.address_string, county_code),
        address=data.address_string,
    )


def open311_request_create(
    *,
    client: Open311Client,
    category: Category,
    data: NewRequest,
    county_code: str,
    client_address: str | None = None,
) -> Case:
    """Enter a POSTed service request as a case (channel open311). The reporter's name and phone
    are encrypted by the intake; email and device_id are not kept."""
    placement = _place(data, county_code)
    case_input = CaseInput(
        category_code=category.code,
        # The description is optional in Open311 but not for a case: the service names it.
        description=data.description or category.name,
        channel=Channel.OPEN311,
        latitude=data.latitude,
        longitude=data.longitude,
        region_code=placement.region_code,
        address=placement.address[:200],
        reporter_name=data.reporter_name,
        reporter_phone=data.phone,
        photos=data.media,
        publication_consent=data.publication_consent,
    )
    with transaction.atomic():
        case = case_report(actor=None, data=case_input, client_address=client_address)
        Open311Request.objects.create(case=case, client=client, media_url=data.media_url)
        audit_record(
            actor=None,
            action="open311.request_create",
            object_type="case",
            object_id=case.number,
            region_code=case.region_code,
            client_address=client_address,
            detail={"client": client.name},
        )
    return case
