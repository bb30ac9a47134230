"""Parsing GeoReport v2 parameters: w3c date-times, comma lists, the date window of GET requests,
and the fields of POST requests. Bad input raises `Open311Error(400, ...)`.

"Optional" in the specification means an empty parameter is the same as an absent one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.core.timebounds import is_plausible
from gridgov.open311.formats import Open311Error

STATUS_OPEN = "open"
STATUS_CLOSED = "closed"
STATUSES = (STATUS_OPEN, STATUS_CLOSED)
# "Default query limit is a span of 90 days or first 1000 requests returned, whichever is smallest."
MAX_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
MAX_DESCRIPTION = 4000
MAX_NAME = 64
MAX_MEDIA_URL = 500

# A year or a year-month: the coarse forms of the w3c note that fromisoformat does not read.
_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
# A "+08:00" sent unencoded in a query string arrives as " 08:00".
_SPACED_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


def optional(params: QueryDict, name: str) -> str:
    return (params.get(name) or "").strip()


def comma_list(params: QueryDict, name: str) -> list[str]:
    """A parameter that may be comma-delimited and may be declared several times."""
    values: list[str] = []
    for raw in params.getlist(name):
        values += [part.strip() for part in raw.split(",") if part.strip()]
    return list(dict.fromkeys(values))


def parse_w3c_datetime(raw: str, name: str) -> datetime:
    """A date-time in the w3c profile of ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD, or a date and time
    with Z or an offset). Without an offset the server's time zone is assumed."""
    value = _SPACED_OFFSET.sub(r"+\1", raw.strip())
    coarse = _YEAR_MONTH.match(value)
    try:
        if coarse:
            parsed = datetime(int(coarse.group(1)), int(coarse.group(2) or 1), 1)
        else:
            parsed = datetime.fromisoformat(value.replace("z", "Z"))
        if not is_plausible(parsed):
            raise ValueError(f"{parsed.year} is out of range")
    except ValueError as error:
        raise Open311Error(
            400,
            _("%(name)s is not a w3c date-time (for example 2010-01-01T00:00:00Z).")
            % {"name": name},
        ) from error
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@dataclass(frozen=True)
class RequestQuery:
    """The filters of GET requests. `ids`, when given, overrides every other filter."""

    ids: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None


def parse_request_query(params: QueryDict, *, now: datetime) -> RequestQuery:
    ids = comma_list(params, "service_request_id")
    if ids:
        return RequestQuery(ids=ids[:MAX_RESULTS])
    statuses = [status.lower() for status in comma_list(params, "status")]
    unknown = [status for status in statuses if status not in STATUSES]
    if unknown:
        raise Open311Error(
            400,
            _("status must be open or closed, not %(value)s.") % {"value": ", ".join(unknown)},
        )
    start_raw, end_raw = optional(params, "start_date"), optional(params, "end_date")
    start = parse_w3c_datetime(start_raw, "start_date") if start_raw else None
    end = parse_w3c_datetime(end_raw, "end_date") if end_raw else None
    if start is not None and end is not None:
        if end < start:
            raise Open311Error(400, _("end_date is earlier than start_date."))
        if end - start > MAX_SPAN:
            raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    elif start is not None:
        end = start + MAX_SPAN
    elif end is not None:
        start = end - MAX_SPAN
    else:
        start = now - MAX_SPAN
    return RequestQuery(
        service_codes=comma_list(params, "service_code"),
        statuses=statuses,
        start=start,
        end=end,
    )


@dataclass(frozen=True)
class NewRequest:
    """The fields of POST requests that gridgov keeps. email and device_id are personal data
    gridgov has no use for, so they are not read at all; account_id is only echoed back."""

    service_code: str
    latitude: float | None
    longitude: float | None
    address_string: str
    address_id: str
    description: str
    media_url: str
    reporter_name: str
    phone: str
    account_id: str
    media: list[UploadedFile] = field(default_factory=list)
    # gridgov's extension: the reporter agreed that the request may be published (redacted, at
    # grid level) in GET requests. Absent means no.
    publication_consent: bool = False


CONSENT_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _coordinate(raw: str, name: str, limit: float) -> float:
    try:
        value = float(raw)
    except ValueError as error:
        raise Open311Error(400, _("%(name)s is not a number.") % {"name": name}) from error
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise Open311Error(
            400,
            _("%(name)s must be between -%(limit)s and %(limit)s.")
            % {"name": name, "limit": limit},
        )
    return value


def _full_name(first: str, last: str) -> str:
    # Chinese names are written family name first, without a space.
    if any(ord(char) > 0x2E7F for char in first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


def parse_new_request(params: QueryDict, files: list[UploadedFile]) -> NewRequest:
    errors: list[str] = []
    service_code = optional(params, "service_code")
    if not service_code:
        errors.append(_("service_code was not provided."))
    lat_raw, long_raw = optional(params, "lat"), optional(params, "long")
    address_string = optional(params, "address_string")
    address_id = optional(params, "address_id")
    latitude = longitude = None
    if bool(lat_raw) != bool(long_raw):
        errors.append(_("lat and long must be sent together."))
    elif lat_raw:
        try:
            latitude = _coordinate(lat_raw, "lat", 90)
            longitude = _coordinate(long_raw, "long", 180)
        except Open311Error as error:
            errors += error.descriptions
    elif not address_string and not address_id:
        errors.append(_("A location is required: lat and long, address_string or address_id."))
    description = optional(params, "description")
    if len(description) > MAX_DESCRIPTION:
        errors.append(
            _("description is limited to %(limit)s characters.") % {"limit": MAX_DESCRIPTION}
        )
    media_url = optional(params, "media_url")
    if media_url:
        try:
            if len(media_url) > MAX_MEDIA_URL:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors.append(_("media_url is not an http(s) URL of at most 500 characters."))
    reporter_name = _full_name(optional(params, "first_name"), optional(params, "last_name"))
    if len(reporter_name) > MAX_NAME:
        errors.append(
            _("first_name and last_name are limited to %(limit)s characters.") % {"limit": MAX_NAME}
        )
    consent = CONSENT_WORDS.get(optional(params, "publication_consent").lower() or "false")
    if consent is None:
        errors.append(_("publication_consent must be true or false."))
    if errors:
        raise Open311Error(400, *errors)
    return NewRequest(
        service_code=service_code,
        latitude=latitude,
        longitude=longitude,
        address_string=address_string,
        address_id=address_id,
        description=description,
        media_url=media_url,
        reporter_name=reporter_name,
        phone=optional(params, "phone"),
        account_id=optional(params, "account_id"),
        media=files,
        publication_consent=bool(consent),
    )
