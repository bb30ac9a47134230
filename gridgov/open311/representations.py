"""What a public Open311 reader sees of services and cases, as plain dicts for `formats.render`.

A GET is public (no login, no key), so it shows what a public status page would and no personal
data: never the reporter's name, phone, email or account. Phone and ID numbers typed into a
description or address are masked. Cases of sensitive categories (disputes, petitions and
stability risks: `Category.is_dispute`) show neither description, point nor media, and their
place only down to the village, so a family dispute cannot be traced to a house.
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

from gridgov.cases.models import Case, Category
from gridgov.cases.sla import Sla, expected_datetime, sla_for
from gridgov.cases.states import TERMINAL_STATES, State
from gridgov.core import codes
from gridgov.core.pii import redact_text
from gridgov.open311.models import Open311Request
from gridgov.open311.params import MAX_DESCRIPTION, STATUS_CLOSED, STATUS_OPEN
from gridgov.regions.models import Region

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


def is_restricted(case: Case) -> bool:
    return case.category.is_dispute


def public_description(case: Case) -> str:
    """The description as a third party may read it: personal data masked (numbers, names, the
    reporter's own name wherever it occurs)."""
    own_name = case.reporter_name.reveal()
    return redact_text(case.description, names=[own_name] if own_name else [])[:MAX_DESCRIPTION]


class RequestPresenter:
    """Turns cases into public request payloads, with the region names and SLAs they need read
    once for the whole list."""

    def __init__(self, cases: list[Case]) -> None:
        wanted: set[str] = set()
        for case in cases:
            wanted.update(self._place_codes(case))
            wanted.add(case.handling_code)
        self.region_names: dict[str, str] = dict(
            Region.objects.filter(region_code__in=wanted).values_list("region_code", "name")
        )
        self._slas: dict[tuple[int, str], Sla] = {}

    @staticmethod
    def _public_region_code(case: Case) -> str:
        if is_restricted(case):
            return case.region_code[: codes.VILLAGE_LEN]
        return case.region_code

    def _place_codes(self, case: Case) -> list[str]:
        """The public place of the case and its ancestors, most specific first."""
        code = self._public_region_code(case)
        return [code[:length] for length in reversed(codes.CODE_LENGTHS) if length <= len(code)]

    def _address(self, case: Case) -> str | None:
        parts = [
            self.region_names[code] for code in self._place_codes(case) if code in self.region_names
        ]
        if case.address and not is_restricted(case):
            parts.insert(0, redact_text(case.address))
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
        if case.state == State.MERGED and case.merged_into is not None:
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
        restricted = is_restricted(case)
        updated = (
            case.closed_at if case.state == State.CLOSED and case.closed_at else case.updated_at
        )
        submission: Open311Request | None = getattr(case, "open311_request", None)
        media_url = submission.media_url if submission is not None and not restricted else ""
        description = None if restricted else public_description(case)
        return {
            "service_request_id": case.number,
            "status": status_of(case),
            "status_notes": self.status_notes(case),
            "service_name": category_name(case.category),
            "service_code": case.category.code,
            "description": description,
            "agency_responsible": self.agency_responsible(case),
            "service_notice": self.service_notice(case),
            "requested_datetime": w3c(case.created_at),
            "updated_datetime": w3c(updated),
            "expected_datetime": w3c(expected_datetime(case)),
            "address": self._address(case),
            "address_id": self._public_region_code(case),
            "zipcode": None,
            "lat": None if restricted else case.latitude,
            "long": None if restricted else case.longitude,
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
