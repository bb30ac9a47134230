"""What a public Open311 reader sees of services and cases, as plain dicts for `formats.render`.

A GET is public (no login; a key changes nothing), and the selectors hand it only the cases that
may be published (`selectors.published_requests`). Of those it shows no personal data: never the
reporter's name, phone, email or account; the description with personal data masked
(`gridgov.core.pii.redact_text`); as the place, the centroid of the case's grid instead of its
point, and the names of its village and town instead of its address, so no report can be traced
to a house.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from gridgov.cases.models import PUBLIC_CHANNELS, Case, Category
from gridgov.cases.sla import Sla, expected_datetime, sla_for
from gridgov.cases.states import TERMINAL_STATES, State
from gridgov.core import codes
from gridgov.core.pii import redact_text
from gridgov.open311.models import Open311Request
from gridgov.open311.params import MAX_DESCRIPTION, STATUS_CLOSED, STATUS_OPEN
from gridgov.regions.public import grid_centroids, region_names_public

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Sortable; change it when the services or their definitions change, so clients refresh caches.
CHANGESET = "2026-11-29 00:00"
MIME_TYPES = ["text/xml", "application/json"]

STATUS_NOTES = {
    State.REPORTED: gettext_lazy("Received, waiting to be accepted."),
    State.ACCEPTED: gettext_lazy("Accepted, waiting to be assigned."),
    State.NOT_ACCEPTED: gettext_lazy("Not accepted."),
    State.DISPATCHED: gettext_lazy("Assigned to a handler."),
    State.IN_PROGRESS: gettext_lazy("Being handled."),
    State.RETURNED: gettext_lazy("Being handled again after a check."),
    State.RESOLVED: gettext_lazy("Resolved, waiting to be verified."),
    State.VERIFIED: gettext_lazy("Resolved and verified."),
    State.CLOSED: gettext_lazy("Closed."),
    State.TRANSFERRED: gettext_lazy("Transferred to a competent department."),
    State.SUSPENDED: gettext_lazy("On hold."),
    State.MERGED: gettext_lazy("Duplicate request."),
}


def w3c(moment: datetime | None) -> str | None:
    """A w3c date-time with the server's offset, e.g. 2026-11-28T09:30:00+08:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _english() -> bool:
    return (get_language() or "").lower().startswith("en")


def category_name(category: Category) -> str:
    return category.name_en if _english() and category.name_en else category.name


def service_payload(category: Category) -> dict[str, Any]:
    group = category.parent or category
    keywords = dict.fromkeys(
        word for word in (category.name, category.name_en, group.name, group.name_en) if word
    )
    return {
        "service_code": category.code,
        "service_name": category_name(category),
        "description": category.description or None,
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(keywords),
        "group": category_name(group),
    }


def service_definition_payload(category: Category) -> dict[str, Any]:
    # No service defines attributes (metadata is false), so the list is empty.
    return {"service_code": category.code, "attributes": []}


def status_of(case: Case) -> str:
    return STATUS_CLOSED if case.state in TERMINAL_STATES else STATUS_OPEN


def is_published(case: Case) -> bool:
    """Whether a case may be published (the rule of `selectors.published_requests`, for a case
    already read, such as the one a duplicate was merged into)."""
    return case.channel in PUBLIC_CHANNELS and case.category.public and case.publication_consent


def public_region_code(case: Case) -> str:
    """The place of a case as published: its village (or the town or county it was placed in)."""
    return case.region_code[: codes.VILLAGE_LEN]


def public_place_codes(case: Case) -> list[str]:
    """The published place and the town above it, most specific first."""
    code = public_region_code(case)
    return [code[:length] for length in (codes.VILLAGE_LEN, codes.TOWN_LEN) if length <= len(code)]


def public_description(case: Case) -> str:
    """The description as a third party may read it: personal data masked (numbers, names, the
    reporter's own name wherever it occurs)."""
    own_name = case.reporter_name.reveal()
    return redact_text(case.description, names=[own_name] if own_name else [])[:MAX_DESCRIPTION]


class RequestPresenter:
    """Turns cases into public request payloads, with the region names, grid centroids and SLAs
    they need read once for the whole list."""

    def __init__(self, cases: list[Case]) -> None:
        wanted: set[str] = set()
        for case in cases:
            wanted.update(public_place_codes(case))
            wanted.add(case.handling_code)
        self.region_names = region_names_public(region_codes=wanted)
        self.centroids = grid_centroids(grid_codes={case.grid_code for case in cases})
        self._slas: dict[tuple[int, str], Sla] = {}

    def _address(self, case: Case) -> str | None:
        parts = [
            self.region_names[code]
            for code in public_place_codes(case)
            if code in self.region_names
        ]
        return ", ".join(parts) or None

    def _sla(self, case: Case) -> Sla:
        key = (case.category_id, case.level)
        if key not in self._slas:
            self._slas[key] = sla_for(case.category, case.level)
        return self._slas[key]

    def service_notice(self, case: Case) -> str | None:
        """What the handling unit commits to, from the SLA of the case's category and level."""
        if case.state in TERMINAL_STATES:
            return None
        sla = self._sla(case)
        hours = int(sla.accept_within(case.urgency).total_seconds() // 3600)
        return _(
            "The report is accepted within %(hours)s hours and resolved within %(days)s days."
        ) % {"hours": hours, "days": sla.resolve_days}

    def status_notes(self, case: Case) -> str:
        if (
            case.state == State.MERGED
            and case.merged_into is not None
            and is_published(case.merged_into)
        ):
            return _("Duplicate request, merged into %(number)s.") % {
                "number": case.merged_into.number
            }
        return str(STATUS_NOTES[State(case.state)])

    def agency_responsible(self, case: Case) -> str | None:
        if case.state == State.TRANSFERRED and case.transferred_to:
            # Stored as "<kind>:<department or court desk>"; the public sees the name.
            return case.transferred_to.split(":", 1)[-1]
        return self.region_names.get(case.handling_code)

    def payload(self, case: Case) -> dict[str, Any]:
        updated = (
            case.closed_at if case.state == State.CLOSED and case.closed_at else case.updated_at
        )
        submission: Open311Request | None = getattr(case, "open311_request", None)
        media_url = submission.media_url if submission is not None else ""
        centroid = self.centroids.get(case.grid_code)
        return {
            "service_request_id": case.number,
            "status": status_of(case),
            "status_notes": self.status_notes(case),
            "service_name": category_name(case.category),
            "service_code": case.category.code,
            "description": public_description(case),
            "agency_responsible": self.agency_responsible(case),
            "service_notice": self.service_notice(case),
            "requested_datetime": w3c(case.created_at),
            "updated_datetime": w3c(updated),
            "expected_datetime": w3c(expected_datetime(case)),
            "address": self._address(case),
            "address_id": public_region_code(case),
            "zipcode": None,
            "lat": centroid[0] if centroid else None,
            "long": centroid[1] if centroid else None,
            "media_url": media_url or None,
        }


def created_payload(case: Case, *, account_id: str) -> list[dict[str, Any]]:
    """The answer to POST requests: the case number as service_request_id (type realtime, so no
    token), what will happen next, and the client's account_id echoed back."""
    return [
        {
            "service_request_id": case.number,
            "service_notice": RequestPresenter([]).service_notice(case),
            "account_id": account_id or None,
        }
    ]


def request_payloads(cases: list[Case]) -> list[dict[str, Any]]:
    presenter = RequestPresenter(cases)
    return [presenter.payload(case) for case in cases]


def discovery_payload(request: HttpRequest) -> dict[str, Any]:
    base_url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": "xml"}))
    return {
        "changeset": CHANGESET,
        "contact": getattr(settings, "GRIDGOV_OPEN311_CONTACT", "")
        or _("Contact the county's comprehensive governance centre."),
        "key_service": getattr(settings, "GRIDGOV_OPEN311_KEY_SERVICE", "")
        or _("API keys are issued by the county's system administrators."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url.rsplit("/", 1)[0],
                "changeset": CHANGESET,
                "type": "test" if settings.DEBUG else "production",
                "formats": MIME_TYPES,
            }
        ],
    }
