"""The community business card (治理名片): what the public card shows (counts computed from the
register, the fields staff keep, the contacts they chose to publish, partner units and
co-construction projects), and the staff's writes to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.codes import VILLAGE_LEN, is_valid_code, is_within
from gridgov.core.errors import NotFound, ValidationFailed
from gridgov.core.pii import normalize_phone
from gridgov.core.scoping import jurisdiction_q, require_permission
from gridgov.people import errors
from gridgov.people.models import (
    CommunityCard,
    GridWorkerContact,
    Household,
    PartnerUnit,
    Project,
    Resident,
)
from gridgov.people.policy import holds_at
from gridgov.regions.models import Level, Region


@dataclass
class PublicCard:
    region_code: str
    name: str
    households: int
    residents: int
    card: CommunityCard | None
    grid_workers: list[GridWorkerContact] = field(default_factory=list)
    partners: list[PartnerUnit] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    # The grids' names, so a resident finds the worker of their own grid.
    grid_names: dict[str, str] = field(default_factory=dict)

    @property
    def grid_workers_by_grid(self) -> list[tuple[str, GridWorkerContact]]:
        return [
            (self.grid_names.get(contact.region_code, ""), contact) for contact in self.grid_workers
        ]

    @property
    def services(self) -> list[str]:
        text = self.card.public_services if self.card else ""
        return [line.strip() for line in text.splitlines() if line.strip()]


def _community(region_code: str) -> Region:
    """A village or community of the installation's county, else NotFound."""
    region = None
    if is_valid_code(region_code) and len(region_code) == VILLAGE_LEN:
        region = Region.objects.filter(region_code=region_code, level=Level.VILLAGE).first()
    if region is None or not is_within(region_code, str(settings.GRIDGOV_COUNTY_CODE)):
        raise NotFound(errors.CARD_NOT_FOUND)
    return region


def card_public(*, region_code: str) -> PublicCard:
    """Everything the public card shows; nothing personal beyond the names and work phones staff
    published."""
    region = _community(region_code)
    card = CommunityCard.objects.filter(region_code=region_code).first()
    public = PublicCard(
        region_code=region_code,
        name=region.name,
        households=Household.objects.filter(village_code=region_code).count(),
        residents=Resident.objects.filter(village_code=region_code).count(),
        card=card,
        partners=list(PartnerUnit.objects.filter(village_code=region_code).order_by("name")),
        projects=list(
            Project.objects.filter(village_code=region_code)
            .select_related("partner")
            .order_by("-starts_on", "id")
        ),
    )
    if card is not None and card.publish_grid_workers:
        public.grid_workers = list(
            GridWorkerContact.objects.filter(village_code=region_code, published=True).order_by(
                "region_code", "name"
            )
        )
        public.grid_names = dict(
            Region.objects.filter(
                region_code__in={contact.region_code for contact in public.grid_workers}
            ).values_list("region_code", "name")
        )
    return public


def card_communities(*, actor: Any) -> QuerySet[Region]:
    """The villages and communities whose cards the actor keeps."""
    codes = require_permission(actor, Perm.PEOPLE_MANAGE)
    return Region.objects.filter(jurisdiction_q(codes), level=Level.VILLAGE).order_by("region_code")


def card_for_staff(*, actor: Any, region_code: str) -> PublicCard:
    require_permission(actor, Perm.PEOPLE_MANAGE)
    if not holds_at(actor, Perm.PEOPLE_MANAGE, region_code):
        raise NotFound(errors.CARD_NOT_FOUND)
    public = card_public(region_code=region_code)
    # Staff see every contact, published or not.
    public.grid_workers = list(
        GridWorkerContact.objects.filter(village_code=region_code).order_by("region_code", "name")
    )
    return public


def _check_phone(name: str, raw: str) -> str:
    raw = (raw or "").strip()
    if raw and normalize_phone(raw) is None:
        raise ValidationFailed.on(name, errors.PHONE_INVALID)
    return raw


def _require_card(actor: Any, region_code: str) -> None:
    require_permission(actor, Perm.PEOPLE_MANAGE)
    if not holds_at(actor, Perm.PEOPLE_MANAGE, region_code):
        raise NotFound(errors.CARD_NOT_FOUND)
    _community(region_code)


@transaction.atomic
def card_update(*, actor: Any, region_code: str, fields: dict[str, Any]) -> CommunityCard:
    """The staff-kept fields of a community's card."""
    _require_card(actor, region_code)
    fields = dict(fields)
    fields["community_head_phone"] = _check_phone(
        "community_head_phone", fields.get("community_head_phone", "")
    )
    card = CommunityCard.objects.filter(region_code=region_code).first() or CommunityCard(
        region_code=region_code
    )
    for name in (
        "community_head",
        "community_head_phone",
        "property_managers",
        "publish_grid_workers",
        "public_services",
        "introduction",
    ):
        if name in fields:
            setattr(card, name, fields[name])
    card.save()
    audit_record(
        actor=actor,
        action="card.update",
        object_type="card",
        object_id=region_code,
        region_code=region_code,
    )
    return card


@transaction.atomic
def grid_contact_add(
    *, actor: Any, grid_code: str, name: str, work_phone: str, published: bool
) -> GridWorkerContact:
    """A grid worker's name and work phone for the card of the grid's community."""
    if not is_valid_code(grid_code) or len(grid_code) <= VILLAGE_LEN:
        raise ValidationFailed.on("grid", errors.UNKNOWN_GRID, grid=grid_code)
    _require_card(actor, grid_code[:VILLAGE_LEN])
    if not holds_at(actor, Perm.PEOPLE_MANAGE, grid_code):
        raise ValidationFailed.on("grid", errors.UNKNOWN_GRID, grid=grid_code)
    contact = GridWorkerContact(
        name=name.strip(),
        work_phone=_check_phone("work_phone", work_phone),
        published=published,
        region_code=grid_code,
    )
    contact.save()
    audit_record(
        actor=actor,
        action="card.contact_add",
        object_type="card",
        object_id=grid_code[:VILLAGE_LEN],
        region_code=grid_code,
    )
    return contact


@transaction.atomic
def partner_add(
    *, actor: Any, region_code: str, name: str, instructor: str, instructor_phone: str
) -> PartnerUnit:
    _require_card(actor, region_code)
    partner = PartnerUnit(
        name=name.strip(),
        instructor=instructor.strip(),
        instructor_phone=_check_phone("instructor_phone", instructor_phone),
        region_code=region_code,
    )
    partner.save()
    audit_record(
        actor=actor,
        action="card.partner_add",
        object_type="card",
        object_id=region_code,
        region_code=region_code,
    )
    return partner


@transaction.atomic
def project_add(
    *,
    actor: Any,
    region_code: str,
    title: str,
    partner_id: int | None,
    instructor: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    status: str,
    outcomes: str,
) -> Project:
    """A co-construction project of the community with one of its partner units."""
    _require_card(actor, region_code)
    partner = None
    if partner_id is not None:
        partner = PartnerUnit.objects.filter(pk=partner_id, village_code=region_code).first()
        if partner is None:
            raise ValidationFailed.on("partner", errors.UNKNOWN_CHOICE, value=partner_id)
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationFailed.on("ends_on", errors.PROJECT_ENDS_BEFORE_START)
    project = Project(
        title=title.strip(),
        partner=partner,
        instructor=instructor.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        outcomes=outcomes.strip(),
        region_code=region_code,
    )
    project.save()
    audit_record(
        actor=actor,
        action="card.project_add",
        object_type="card",
        object_id=region_code,
        region_code=region_code,
    )
    return project


def card_grids(*, actor: Any, region_code: str) -> list[tuple[str, str]]:
    """The grids of a community the actor keeps, as (code, name) choices."""
    codes = require_permission(actor, Perm.PEOPLE_MANAGE)
    rows = Region.objects.filter(
        jurisdiction_q(codes), level=Level.GRID, region_code__startswith=region_code
    ).order_by("region_code")
    return [(region.region_code, region.name) for region in rows]
