"""One-stop acceptance: whatever the channel, a report becomes one Case with its first timeline row."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gridgov.cases import errors, notices, notifications
from gridgov.cases.models import (
    Case,
    CaseEvent,
    CasePhoto,
    CaseSequence,
    Category,
    Channel,
    HandlingLevel,
    Urgency,
)
from gridgov.cases.sla import set_deadlines
from gridgov.cases.states import OPEN_STATES, State
from gridgov.cases.tracking import new_tracking_code
from gridgov.core import codes
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import (
    NO_ROLE_GRANTS,
    TOO_LONG,
    PermissionDenied,
    Problem,
    ValidationFailed,
)
from gridgov.core.pii import EncryptedValue, normalize_phone, search_hash
from gridgov.regions.errors import OUTSIDE_GRIDS
from gridgov.regions.locator import PointOutsideGrids, locate_point
from gridgov.regions.models import Region

DUPLICATE_RADIUS_M = 200
DUPLICATE_WINDOW = timedelta(hours=48)
MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024
DESCRIPTION_MAX_LENGTH = 5000
# Magic numbers, not the client's word: what the file really is.
PHOTO_SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


@dataclass
class CaseInput:
    """What a report carries, whatever its channel."""

    category_code: str
    description: str
    channel: str
    title: str = ""
    urgency: str = Urgency.NORMAL
    latitude: float | None = None
    longitude: float | None = None
    region_code: str = ""
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    photos: list[UploadedFile] = field(default_factory=list)
    # The reporter agreed to publication (Open311); it takes a public channel too to publish.
    publication_consent: bool = False
    # A mediation centre's desk takes a dispute on at its own level (a town centre's walk-in is
    # handled by the town): the code of the town or county above the place; empty for the
    # village of the place, as usual.
    handling_code: str = ""


def _photo_type(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in PHOTO_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_photos(
    uploads: list[UploadedFile],
) -> tuple[list[tuple[UploadedFile, str]], list[Problem]]:
    """The uploads that are JPEG, PNG or WebP images within the size limit, each with its type,
    and a problem for each of the others (and for too many)."""
    photos: list[tuple[UploadedFile, str]] = []
    problems: list[Problem] = []
    if len(uploads) > MAX_PHOTOS:
        problems.append(errors.TOO_MANY_PHOTOS.bind(limit=MAX_PHOTOS))
    for upload in uploads[:MAX_PHOTOS]:
        content_type = _photo_type(upload)
        if content_type is None:
            problems.append(errors.PHOTO_TYPE.bind(name=upload.name))
        elif (upload.size or 0) > MAX_PHOTO_BYTES:
            problems.append(
                errors.PHOTO_TOO_LARGE.bind(name=upload.name, limit_mb=MAX_PHOTO_BYTES >> 20)
            )
        else:
            photos.append((upload, content_type))
    return photos, problems


def save_photos(*, case: Case, event: CaseEvent, photos: list[tuple[UploadedFile, str]]) -> None:
    """Store checked photos, attached to the timeline row they came with."""
    for upload, content_type in photos:
        CasePhoto.objects.create(
            case=case, event=event, image=upload, content_type=content_type, size=upload.size or 0
        )


def _validate(data: CaseInput) -> tuple[Category, str, list[tuple[UploadedFile, str]]]:
    problems: dict[str, list[Problem]] = {}
    category = Category.objects.filter(code=data.category_code, is_active=True).first()
    if category is None:
        problems["category"] = [errors.UNKNOWN_CATEGORY.bind()]
    elif category.children.filter(is_active=True).exists():
        problems["category"] = [errors.CHOOSE_SUBCATEGORY.bind()]
    if not data.description.strip():
        problems["description"] = [errors.DESCRIPTION_REQUIRED.bind()]
    elif len(data.description) > DESCRIPTION_MAX_LENGTH:
        problems["description"] = [TOO_LONG.bind(limit=DESCRIPTION_MAX_LENGTH)]
    if data.channel not in Channel.values:
        problems["channel"] = [errors.UNKNOWN_CHANNEL.bind(channel=data.channel)]
    if data.urgency not in Urgency.values:
        problems["urgency"] = [errors.UNKNOWN_URGENCY.bind(urgency=data.urgency)]
    phone = ""
    if data.reporter_phone.strip():
        phone = normalize_phone(data.reporter_phone) or ""
        if not phone:
            problems["reporter_phone"] = [errors.BAD_PHONE.bind()]
    has_point = data.latitude is not None and data.longitude is not None
    if (data.latitude is None) != (data.longitude is None):
        problems["location"] = [errors.HALF_POINT.bind()]
    elif has_point:
        assert data.latitude is not None
        assert data.longitude is not None
        if not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180):
            problems["location"] = [errors.POINT_OUT_OF_RANGE.bind()]
    elif not data.region_code:
        problems["location"] = [errors.NO_PLACE.bind()]
    elif (
        not codes.is_valid_code(data.region_code)
        or not Region.objects.filter(region_code=data.region_code).exists()
    ):
        problems["region_code"] = [errors.UNKNOWN_REGION.bind()]
    elif not data.address.strip():
        problems["address"] = [errors.ADDRESS_REQUIRED.bind()]
    photos, photo_problems = check_photos(data.photos)
    if photo_problems:
        problems["photos"] = photo_problems
    if problems:
        raise ValidationFailed(problems)
    assert category is not None
    return category, phone, photos


def _locate(data: CaseInput) -> str:
    if data.latitude is not None and data.longitude is not None:
        try:
            return locate_point(lng=data.longitude, lat=data.latitude).region_code
        except PointOutsideGrids as error:
            raise ValidationFailed.on("location", OUTSIDE_GRIDS) from error
    return data.region_code


def _next_number(county_code: str, now: datetime) -> str:
    day = timezone.localdate(now)
    updated = CaseSequence.objects.filter(county_code=county_code, day=day).update(
        last=F("last") + 1
    )
    if not updated:
        CaseSequence.objects.get_or_create(county_code=county_code, day=day, defaults={"last": 0})
        CaseSequence.objects.filter(county_code=county_code, day=day).update(last=F("last") + 1)
    last = CaseSequence.objects.get(county_code=county_code, day=day).last
    return f"{county_code}-{day:%Y%m%d}-{last:06d}"


def handling_unit_for(region_code: str) -> tuple[str, str]:
    """Small matters stay in the village: a case starts at its village (or the region given)."""
    if len(region_code) >= codes.VILLAGE_LEN:
        return HandlingLevel.VILLAGE, region_code[: codes.VILLAGE_LEN]
    if len(region_code) >= codes.TOWN_LEN:
        return HandlingLevel.TOWN, region_code[: codes.TOWN_LEN]
    return HandlingLevel.COUNTY, region_code[: codes.COUNTY_LEN]


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    earth_radius_m = 6_371_000
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = math.radians(lat2 - lat1), math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * earth_radius_m * math.asin(math.sqrt(a))


def find_duplicate(
    *, category: Category, latitude: float | None, longitude: float | None, now: datetime
) -> Case | None:
    """The nearest open case of the same category within 200 m reported in the last 48 hours."""
    if latitude is None or longitude is None:
        return None
    lat_delta = DUPLICATE_RADIUS_M / 111_000
    lng_delta = DUPLICATE_RADIUS_M / (111_000 * max(math.cos(math.radians(latitude)), 0.01))
    candidates = Case.objects.filter(
        category=category,
        state__in=[s.value for s in OPEN_STATES],
        created_at__gte=now - DUPLICATE_WINDOW,
        latitude__range=(latitude - lat_delta, latitude + lat_delta),
        longitude__range=(longitude - lng_delta, longitude + lng_delta),
    ).only("id", "latitude", "longitude", "number")
    best: tuple[float, Case] | None = None
    for candidate in candidates:
        assert candidate.latitude is not None
        assert candidate.longitude is not None
        distance = distance_m(latitude, longitude, candidate.latitude, candidate.longitude)
        if distance <= DUPLICATE_RADIUS_M and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None


def case_report(*, actor: Any, data: CaseInput, client_address: str | None = None) -> Case:
    """Enter a report as a case at the lowest level able to handle it.

    `actor` is a staff member (who must hold cases.report where the case lies) or None for a
    resident's public report and Open311 clients (the channel says which).
    """
    category, phone, photos = _validate(data)
    region_code = _locate(data)
    if actor is not None:
        allowed = actor.jurisdiction_codes(Perm.CASES_REPORT)
        if not allowed:
            raise PermissionDenied(NO_ROLE_GRANTS, permission=Perm.CASES_REPORT)
        if not any(codes.is_within(region_code, top) for top in allowed):
            raise ValidationFailed.on("location", errors.PLACE_OUTSIDE_JURISDICTION)
    now = timezone.now()
    level, handling_code = handling_unit_for(region_code)
    if data.handling_code and data.handling_code != handling_code:
        if len(data.handling_code) not in (codes.TOWN_LEN, codes.COUNTY_LEN) or not codes.is_within(
            region_code, data.handling_code
        ):
            raise ValidationFailed.on("handling_code", errors.UNKNOWN_REGION)
        level, handling_code = handling_unit_for(data.handling_code)
    with transaction.atomic():
        case = Case(
            number=_next_number(region_code[: codes.COUNTY_LEN], now),
            channel=data.channel,
            category=category,
            urgency=data.urgency,
            state=State.REPORTED,
            level=level,
            handling_code=handling_code,
            title=(data.title.strip() or data.description.strip().splitlines()[0])[:120],
            description=data.description.strip(),
            latitude=data.latitude,
            longitude=data.longitude,
            address=data.address.strip(),
            reporter=actor,
            reporter_name=EncryptedValue(data.reporter_name.strip(), "name"),
            reporter_phone=EncryptedValue(phone, "phone"),
            reporter_phone_hash=search_hash(phone) if phone else "",
            publication_consent=data.publication_consent,
            tracking_token=secrets.token_urlsafe(16)[:22],
            tracking_code=new_tracking_code(),
            possible_duplicate_of=find_duplicate(
                category=category, latitude=data.latitude, longitude=data.longitude, now=now
            ),
            created_at=now,
            updated_at=now,
        )
        case.set_region_code(region_code)
        set_deadlines(case, now=now)
        case.save()
        event = CaseEvent.objects.create(
            case=case,
            created_at=now,
            actor=actor,
            action="report",
            to_state=State.REPORTED,
            level_after=level,
            handling_code_after=handling_code,
            data={"channel": data.channel},
        )
        save_photos(case=case, event=event, photos=photos)
        audit_record(
            actor=actor,
            action="case.report",
            object_type="case",
            object_id=case.number,
            region_code=region_code,
            client_address=client_address,
            detail={"channel": data.channel, "category": category.code},
        )
        notifications.notify_unit_on_commit(case, notice=notices.NEW_CASE)
    return case
