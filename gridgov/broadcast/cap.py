"""A broadcast message as an OASIS CAP 1.2 alert: what other warning systems (and the public feed)
read of it. Built with the standard library's ElementTree; the suite validates every kind of
message against the OASIS schema.

A message that was never sent is a CAP Draft; one that updates an earlier message is an Update
referencing it; one withdrawn after it went out answers with its Cancel, referencing the original.
"""

from __future__ import annotations

import hashlib
import mimetypes
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from gridgov.broadcast.models import Broadcast, MessageKind
from gridgov.broadcast.states import State
from gridgov.core.codes import COUNTY_LEN
from gridgov.regions.geometry import to_shape
from gridgov.regions.selectors import public_boundaries, public_names

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_CONTENT_TYPE = "application/cap+xml"
CAP_LANGUAGE = "zh-CN"
# Past this many points a boundary is simplified (about 50 m): a receiver needs the area, not
# every surveyed vertex, and the county's outline alone would otherwise be thousands of pairs.
MAX_POLYGON_POINTS = 500
SIMPLIFY_DEGREES = 0.0005

CATEGORY_BY_KIND = {
    MessageKind.FLOOD: "Met",
    MessageKind.FIRE: "Fire",
    MessageKind.EARTHQUAKE: "Geo",
    MessageKind.EPIDEMIC: "Health",
    MessageKind.PUBLIC_SECURITY: "Security",
    MessageKind.NOTICE: "Other",
    MessageKind.POLICY: "Other",
}

# Never sent to anyone: a draft for CAP, whatever else it is for us.
UNSENT_STATES = frozenset({State.DRAFT, State.SUBMITTED, State.REJECTED})


@dataclass(frozen=True)
class CapReference:
    """The three parts CAP names an earlier message by."""

    sender: str
    identifier: str
    sent: str

    def __str__(self) -> str:
        return f"{self.sender},{self.identifier},{self.sent}"


def cap_time(value: datetime) -> str:
    """CAP's date-time: local time with its offset, whole seconds, never "Z"."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def cap_sender(broadcast: Broadcast) -> str:
    """The sender's id: the county's broadcast system (no spaces, commas or '<&', as CAP asks)."""
    return f"broadcast.{broadcast.county_code or broadcast.region_code[:COUNTY_LEN]}.gridgov"


def was_sent(broadcast: Broadcast) -> bool:
    """Whether the message went out (or was approved to): an Actual alert, not a Draft."""
    if broadcast.state == State.CANCELLED:
        return broadcast.cancel_identifier is not None
    return broadcast.state not in UNSENT_STATES


def sent_at(broadcast: Broadcast) -> datetime:
    """When the alert was issued: dispatched, else approved, else last written."""
    return broadcast.dispatched_at or broadcast.approved_at or broadcast.updated_at


def cap_reference(broadcast: Broadcast) -> CapReference:
    return CapReference(
        sender=cap_sender(broadcast),
        identifier=str(broadcast.identifier),
        sent=cap_time(sent_at(broadcast)),
    )


def is_cancel(broadcast: Broadcast) -> bool:
    return broadcast.state == State.CANCELLED and broadcast.cancel_identifier is not None


def message_type(broadcast: Broadcast) -> str:
    if is_cancel(broadcast):
        return "Cancel"
    return "Update" if broadcast.supersedes_id else "Alert"


def _polygon_rings(geometry: BaseGeometry) -> list[str]:
    """Each part's outer ring as CAP writes a polygon: "lat,lon" pairs, the first repeated last."""
    if isinstance(geometry, Polygon):
        parts = [geometry]
    elif isinstance(geometry, MultiPolygon):
        parts = list(geometry.geoms)
    else:
        return []
    rings = []
    for part in parts:
        if part.is_empty:
            continue
        if len(part.exterior.coords) > MAX_POLYGON_POINTS:
            simplified = part.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
            part = simplified if isinstance(simplified, Polygon) else part
        coords = list(part.exterior.coords)
        if len(coords) < 4:
            continue
        if coords[0] != coords[-1]:
            coords.append(coords[0])
        rings.append(" ".join(f"{lat:.6f},{lon:.6f}" for lon, lat, *_ in coords))
    return rings


def target_polygons(codes: list[str]) -> list[str]:
    """The CAP polygons of the target regions, from their boundaries (none for a region without
    a valid boundary: the area's description still names it)."""
    rings: list[str] = []
    boundaries = dict(public_boundaries(region_codes=set(codes)))
    for code in codes:
        boundary = boundaries.get(code)
        if not boundary:
            continue
        try:
            geometry = to_shape(boundary)
        except ValueError:
            continue
        rings.extend(_polygon_rings(geometry))
    return rings


def _add(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{CAP_NAMESPACE}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _audio_resource(info: ET.Element, broadcast: Broadcast) -> None:
    audio: Any = broadcast.audio
    if not audio:
        return
    digest = hashlib.sha1(usedforsecurity=False)  # CAP 1.2 names SHA-1 for <digest>
    size = 0
    with audio.open("rb") as stream:
        for chunk in iter(lambda: stream.read(65536), b""):
            digest.update(chunk)
            size += len(chunk)
    mime_type = mimetypes.guess_type(audio.name)[0] or "application/octet-stream"
    resource = _add(info, "resource")
    _add(resource, "resourceDesc", gettext("Audio of the message"))
    _add(resource, "mimeType", mime_type)
    _add(resource, "size", str(size))
    _add(resource, "digest", digest.hexdigest())


def cap_alert(broadcast: Broadcast) -> bytes:
    """The message as a CAP 1.2 alert document (UTF-8), in Chinese whatever the reader's
    language: CAP's info block states its own language."""
    with translation.override("zh-hans"):
        return _cap_alert(broadcast)


def _cap_alert(broadcast: Broadcast) -> bytes:
    cancel = is_cancel(broadcast)
    names = public_names(
        region_codes={*broadcast.target_codes, broadcast.county_code or broadcast.region_code}
    )
    alert = ET.Element(f"{{{CAP_NAMESPACE}}}alert")
    if cancel:
        _add(alert, "identifier", str(broadcast.cancel_identifier))
    else:
        _add(alert, "identifier", str(broadcast.identifier))
    _add(alert, "sender", cap_sender(broadcast))
    sent = broadcast.cancelled_at if cancel and broadcast.cancelled_at else sent_at(broadcast)
    _add(alert, "sent", cap_time(sent))
    _add(alert, "status", "Actual" if was_sent(broadcast) else "Draft")
    _add(alert, "msgType", message_type(broadcast))
    # Read out on loudspeakers in the open: every message is public by its nature.
    _add(alert, "scope", "Public")
    references = []
    if cancel:
        references.append(cap_reference(broadcast))
    elif broadcast.supersedes is not None:
        references.append(cap_reference(broadcast.supersedes))
    if references:
        _add(alert, "references", " ".join(str(reference) for reference in references))

    info = _add(alert, "info")
    _add(info, "language", CAP_LANGUAGE)
    _add(info, "category", CATEGORY_BY_KIND.get(MessageKind(broadcast.kind), "Other"))
    _add(info, "event", str(MessageKind(broadcast.kind).label))
    if cancel:
        _add(info, "responseType", "AllClear")
    _add(info, "urgency", broadcast.urgency)
    _add(info, "severity", broadcast.severity)
    _add(info, "certainty", broadcast.certainty)
    if broadcast.scheduled_at:
        _add(info, "effective", cap_time(broadcast.scheduled_at))
    _add(info, "expires", cap_time(broadcast.expires_at))
    county_name = names.get(broadcast.county_code or broadcast.region_code, "")
    _add(info, "senderName", gettext("%(county)s emergency broadcast") % {"county": county_name})
    headline = broadcast.title
    if cancel:
        headline = gettext("Withdrawn: %(title)s") % {"title": broadcast.title}
    _add(info, "headline", headline)
    _add(info, "description", broadcast.text)
    _audio_resource(info, broadcast)
    area = _add(info, "area")
    _add(area, "areaDesc", "、".join(names.get(code, code) for code in broadcast.target_codes))
    for ring in target_polygons(broadcast.target_codes):
        _add(area, "polygon", ring)
    ET.indent(alert)
    return ET.tostring(
        alert, encoding="utf-8", xml_declaration=True, default_namespace=CAP_NAMESPACE
    )
