"""The one-stop desk: a walk-in or telephone dispute becomes a case (through the cases app's
intake) and its mediation file, in one transaction; or a dispute case already reported gets its
file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from gridgov.cases.models import Channel
from gridgov.cases.selectors import case_get, category_list
from gridgov.cases.services import CaseInput, case_accept_at_desk, case_report
from gridgov.core import codes
from gridgov.core.audit import audit_record
from gridgov.core.errors import TOO_LONG, Conflict, NotFound, Problem, ValidationFailed
from gridgov.core.pii import EncryptedValue, normalize_phone, search_hash
from gridgov.mediation import errors
from gridgov.mediation.models import (
    DUE_DAYS,
    Centre,
    MediationFile,
    Party,
    PartyKind,
    PeopleBand,
    Side,
)
from gridgov.mediation.selectors import centre_get, mediators_named

MAX_PARTIES = 20
FACTS_MAX_LENGTH = 5000
DESK_CHANNELS = frozenset({Channel.WALK_IN, Channel.HOTLINE})


@dataclass
class PartyInput:
    side: str
    name: str = ""  # a natural person's name, or the organisation's
    kind: str = PartyKind.PERSON
    id_number: str = ""
    phone: str = ""
    credit_code: str = ""
    agent_name: str = ""
    agent_phone: str = ""


@dataclass
class DisputeInput:
    centre_id: int
    category_code: str = ""
    facts: str = ""
    title: str = ""
    channel: str = Channel.WALK_IN
    # Where the dispute arose (a region within the centre's; the centre's own by default).
    region_code: str = ""
    address: str = ""
    amount_involved: str = ""
    people_band: str = PeopleBand.UNDER_10
    parties: list[PartyInput] = field(default_factory=list)
    mediator_usernames: list[str] = field(default_factory=list)
    # A dispute case already reported elsewhere: its file is opened instead of a new case.
    case_number: str = ""


@dataclass
class _CheckedParty:
    party: PartyInput
    id_number: str
    phone: str
    agent_phone: str


def _check_party(index: int, party: PartyInput) -> tuple[_CheckedParty | None, list[Problem]]:
    problems: list[Problem] = []
    if party.side not in Side.values:
        problems.append(errors.BAD_SIDE.bind(index=index))
    if party.kind not in PartyKind.values:
        problems.append(errors.BAD_PARTY_KIND.bind(index=index))
    if not party.name.strip():
        problems.append(errors.PARTY_NAME_REQUIRED.bind(index=index))
    id_number = party.id_number.strip().upper()
    if id_number and (party.kind != PartyKind.PERSON or not ric.is_valid(id_number)):
        problems.append(errors.BAD_ID_NUMBER.bind(index=index))
    credit_code = party.credit_code.strip().upper()
    if party.kind == PartyKind.ORGANISATION and credit_code and not uscc.is_valid(credit_code):
        problems.append(errors.BAD_CREDIT_CODE.bind(index=index))
    phones = []
    for raw in (party.phone, party.agent_phone):
        phone = normalize_phone(raw) if raw.strip() else ""
        if phone is None:
            problems.append(errors.BAD_PARTY_PHONE.bind(index=index))
        phones.append(phone or "")
    if problems:
        return None, problems
    party.credit_code = credit_code
    return _CheckedParty(party, id_number, phones[0], phones[1]), []


def _check(data: DisputeInput, centre: Centre) -> tuple[list[_CheckedParty], Decimal | None]:
    problems: dict[str, list[Problem]] = {}
    if not data.case_number:
        category = category_list().filter(code=data.category_code).first()
        if category is None or not category.is_dispute:
            problems["category"] = [errors.NOT_A_DISPUTE.bind()]
        if data.channel not in DESK_CHANNELS:
            problems["channel"] = [errors.BAD_CHANNEL.bind()]
        place = data.region_code or centre.region_code
        if not codes.is_valid_code(place) or not codes.is_within(place, centre.region_code):
            problems["region_code"] = [errors.PLACE_OUTSIDE_CENTRE.bind()]
    if not data.facts.strip():
        problems["facts"] = [errors.FACTS_REQUIRED.bind()]
    elif len(data.facts) > FACTS_MAX_LENGTH:
        problems["facts"] = [TOO_LONG.bind(limit=FACTS_MAX_LENGTH)]
    amount: Decimal | None = None
    if str(data.amount_involved).strip():
        try:
            amount = Decimal(str(data.amount_involved).strip())
        except InvalidOperation:
            amount = None
            problems["amount_involved"] = [errors.BAD_AMOUNT.bind()]
        else:
            if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
                problems["amount_involved"] = [errors.BAD_AMOUNT.bind()]
    if data.people_band not in PeopleBand.values:
        problems["people_band"] = [errors.BAD_PEOPLE_BAND.bind()]
    checked: list[_CheckedParty] = []
    party_problems: list[Problem] = []
    if len(data.parties) > MAX_PARTIES:
        party_problems.append(errors.TOO_MANY_PARTIES.bind(limit=MAX_PARTIES))
    for index, party in enumerate(data.parties[:MAX_PARTIES], start=1):
        ok, found = _check_party(index, party)
        party_problems += found
        if ok is not None:
            checked.append(ok)
    sides = {party.side for party in data.parties}
    if not {Side.APPLICANT, Side.RESPONDENT} <= sides:
        party_problems.insert(0, errors.PARTIES_REQUIRED.bind())
    if party_problems:
        problems["parties"] = party_problems
    if problems:
        raise ValidationFailed(problems)
    return checked, amount


def _next_number(centre: Centre, year: int) -> str:
    # The centre's row is locked by the caller, so two desks never take the same number.
    count = MediationFile.objects.filter(centre=centre, created_at__year=year).count()
    number = f"{centre.region_code}-{year}-{count + 1:04d}"
    while MediationFile.objects.filter(number=number).exists():
        count += 1
        number = f"{centre.region_code}-{year}-{count + 1:04d}"
    return number


def _applicant(checked: list[_CheckedParty]) -> _CheckedParty:
    return next(c for c in checked if c.party.side == Side.APPLICANT)


def dispute_register(
    *, actor: Any, data: DisputeInput, client_address: str | None = None
) -> MediationFile:
    """Register a dispute at a centre's desk and open its file. A new dispute is reported as a
    case handled at the centre's level (a town centre's walk-in is the town's); one already
    reported (`case_number`) keeps its case. Mediation is due within 30 days."""
    centre = centre_get(actor=actor, centre_id=data.centre_id, work=True)
    checked, amount = _check(data, centre)
    mediators = mediators_named(usernames=data.mediator_usernames, centre=centre, actor=actor)
    existing = None
    if data.case_number:
        try:
            existing = case_get(actor=actor, number=data.case_number)
        except NotFound as error:
            raise ValidationFailed.on(
                "case", errors.CASE_NOT_FOUND, number=data.case_number
            ) from error
        if not existing.category.is_dispute:
            raise ValidationFailed.on("case", errors.NOT_A_DISPUTE)
        if not codes.is_within(existing.region_code, centre.region_code):
            raise ValidationFailed.on("case", errors.CASE_OUTSIDE_CENTRE)
    now = timezone.now()
    with transaction.atomic():
        Centre.objects.select_for_update().filter(pk=centre.pk).first()
        if existing is None:
            applicant = _applicant(checked)
            case = case_report(
                actor=actor,
                data=CaseInput(
                    category_code=data.category_code,
                    description=data.facts.strip(),
                    channel=data.channel,
                    title=data.title.strip(),
                    region_code=data.region_code or centre.region_code,
                    address=data.address.strip() or centre.address or centre.name,
                    reporter_name=applicant.party.name.strip(),
                    reporter_phone=applicant.phone or applicant.agent_phone,
                    handling_code=(
                        centre.region_code if len(centre.region_code) < codes.VILLAGE_LEN else ""
                    ),
                ),
                client_address=client_address,
            )
            if any(user.pk == actor.pk for user in mediators):
                # One-stop acceptance: the mediator at the desk takes the dispute there and then.
                case = case_accept_at_desk(actor=actor, case=case)
        else:
            case = existing
            if MediationFile.objects.filter(case=case).exists():
                raise Conflict(errors.CASE_HAS_FILE, number=case.number)
        file = MediationFile(
            number=_next_number(centre, timezone.localdate(now).year),
            centre=centre,
            case=case,
            dispute_kind=case.category.code,
            facts=data.facts.strip(),
            amount_involved=amount,
            people_band=data.people_band,
            registered_by=actor,
            created_at=now,
            updated_at=now,
            due_at=now + timedelta(days=DUE_DAYS),
        )
        file.set_region_code(case.region_code)
        file.save()
        file.mediators.set(mediators)
        Party.objects.bulk_create(
            [_party_row(file, position, item) for position, item in enumerate(checked)]
        )
        audit_record(
            actor=actor,
            action="mediation.file_open",
            object_type="mediation_file",
            object_id=file.number,
            region_code=file.region_code,
            client_address=client_address,
            detail={"case": case.number, "centre": centre.region_code, "parties": len(checked)},
        )
    return file


def _party_row(file: MediationFile, position: int, item: _CheckedParty) -> Party:
    party = item.party
    person = party.kind == PartyKind.PERSON
    return Party(
        file=file,
        side=party.side,
        kind=party.kind,
        position=position,
        name=EncryptedValue(party.name.strip() if person else "", "name"),
        organisation_name="" if person else party.name.strip()[:120],
        credit_code="" if person else party.credit_code,
        id_number=EncryptedValue(item.id_number, "id_number"),
        id_number_hash=search_hash(item.id_number) if item.id_number else "",
        phone=EncryptedValue(item.phone, "phone"),
        phone_hash=search_hash(item.phone) if item.phone else "",
        agent_name=EncryptedValue(party.agent_name.strip(), "name"),
        agent_phone=EncryptedValue(item.agent_phone, "phone"),
    )
