"""The demo's mediation centres and files: a centre at the county, at each town/street and at each
village/community (with a mediator there), and a mediation file for every dispute case of the
demo year, consistent with the case's story: parties, sessions held before it was resolved, the
outcome (an agreement for a resolved case, a referral for a transferred one), follow-up visits
and some judicial confirmations."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from stdnum.cn import ric

from gridgov.accounts.models import RoleAssignment, User
from gridgov.cases.models import Case, CaseEvent
from gridgov.cases.states import Action, State
from gridgov.core.access import Role
from gridgov.core.pii import EncryptedValue, search_hash
from gridgov.demo import names
from gridgov.mediation.models import (
    DUE_DAYS,
    FOLLOW_UP_DAYS,
    Centre,
    CentreLevel,
    Judicial,
    MediationFile,
    MediationSession,
    Outcome,
    Party,
    PartyKind,
    PeopleBand,
    Referral,
    Side,
    Track,
)
from gridgov.regions.models import Region

if TYPE_CHECKING:
    from gridgov.demo.county import DemoBuild

# What the parties agree, by kind of dispute: {respondent}, {applicant}, {amount}, {deadline}.
TERMS: dict[str, str] = {
    "dispute-neighbour": "{respondent}于{deadline}前修复漏水管道，并赔偿{applicant}天花板修缮费人民币{amount}元。",
    "dispute-family": "双方同意继续共同生活，{respondent}每月按时支付家庭生活费人民币{amount}元，双方互谅互让。",
    "dispute-land": "双方以村委会2019年确权登记图为准重新确定地界，由村委会于{deadline}前埋设界桩，{respondent}补偿{applicant}青苗损失人民币{amount}元。",
    "dispute-labour": "{respondent}于{deadline}前一次性支付{applicant}拖欠工资人民币{amount}元。",
    "dispute-property": "{respondent}于{deadline}前完成电梯维修，{applicant}同日补缴物业费人民币{amount}元。",
    "dispute-consumer": "{respondent}于{deadline}前为{applicant}退货并退还货款人民币{amount}元。",
    "dispute-medical": "{respondent}于{deadline}前向{applicant}支付医疗费用补偿人民币{amount}元，{applicant}不再就此事提出其他主张。",
    "dispute-traffic": "{respondent}于{deadline}前赔偿{applicant}车辆维修费及误工费共计人民币{amount}元。",
}
DEFAULT_TERMS = (
    "{respondent}于{deadline}前向{applicant}支付人民币{amount}元，双方就此纠纷再无争议。"
)
RECORDS = (
    "调解员告知双方权利义务后，双方分别陈述事实。申请人要求赔偿，被申请人认为金额过高，双方同意再次协商。",
    "经调解员释法明理，双方各让一步，就赔偿金额和履行期限达成一致意见。",
    "双方到场，核对现场照片和票据，对事实无异议，争议在于赔偿金额。",
)
RESOLVED_STATES = {State.RESOLVED, State.VERIFIED, State.CLOSED}


def _id_number(rng: np.random.Generator, region_code: str) -> str:
    born = date(1950, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 50)))
    body = f"{region_code[:6]}{born:%Y%m%d}{int(rng.integers(0, 1000)):03d}"
    return body + ric.calc_check_digit(body)


def _phone(rng: np.random.Generator) -> str:
    return f"+86{int(rng.choice([138, 139, 150, 158, 187, 135]))}{int(rng.integers(0, 10**8)):08d}"


def create_centres(build: DemoBuild) -> None:
    """One centre per county, town/street and village/community, and a mediator at each village
    and community (the towns' and the county's come with the officials)."""
    regions = Region.objects.filter(
        county_code=names.COUNTY_CODE, level__in=["county", "town", "village"]
    ).order_by("region_code")
    centres = []
    for region in regions:
        if region.level == "county":
            name, level = f"{region.name}矛盾纠纷调处中心", CentreLevel.COUNTY
        elif region.level == "town":
            name, level = f"{region.name}矛盾纠纷调处中心", CentreLevel.TOWN
        else:
            name, level = f"{region.name}综治中心", CentreLevel.VILLAGE
        centre = Centre(name=name, level=level, address=f"{region.name}便民服务中心")
        centre.set_region_code(region.region_code)
        centres.append(centre)
    Centre.objects.bulk_create(centres, batch_size=500)
    villages = [c.region_code for c in centres if c.level == CentreLevel.VILLAGE]
    taken = set(
        RoleAssignment.objects.filter(role=Role.MEDIATOR, region_code__in=villages).values_list(
            "region_code", flat=True
        )
    )
    slots = [code for code in villages if code not in taken]
    unusable = make_password(None)
    users = [
        User(username=f"md{code}", display_name=names.person_name(build.rng), password=unusable)
        for code in slots
    ]
    User.objects.bulk_create(users, batch_size=500)
    assignments = []
    for user, code in zip(users, slots, strict=True):
        assignment = RoleAssignment(user=user, role=Role.MEDIATOR)
        assignment.set_region_code(code)
        assignments.append(assignment)
    RoleAssignment.objects.bulk_create(assignments, batch_size=500)
    build.summary.mediation_centres = len(centres)


def _mediators_by_region() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for code, user_id in RoleAssignment.objects.filter(
        role=Role.MEDIATOR, county_code=names.COUNTY_CODE, is_active=True
    ).values_list("region_code", "user_id"):
        found.setdefault(code, []).append(user_id)
    return found


def _outcome_for(case: Case, rng: np.random.Generator) -> str:
    if case.state in RESOLVED_STATES:
        return Outcome.PARTIAL if rng.random() < 0.12 else Outcome.AGREEMENT
    if case.state == State.TRANSFERRED:
        return Outcome.REFERRED
    return ""


def create_mediation_files(build: DemoBuild, *, now: datetime | None = None) -> None:
    """A file for every dispute case of the demo, at the centre handling it."""
    now = now or timezone.now()
    rng = np.random.default_rng([build.seed, 10])
    centres = {c.region_code: c for c in Centre.objects.filter(county_code=names.COUNTY_CODE)}
    mediators = _mediators_by_region()
    cases = list(
        Case.objects.filter(county_code=names.COUNTY_CODE, category__is_dispute=True)
        .exclude(state__in=[State.NOT_ACCEPTED, State.MERGED])
        .select_related("category")
        .order_by("created_at", "id")
    )
    # The county's mediator registers a file whose centre has no mediator of its own.
    registrar = User.objects.get(username=f"md{names.COUNTY_CODE}")
    files: list[MediationFile] = []
    per_centre_year: dict[tuple[str, int], int] = {}
    plans: list[tuple[Case, list[int], str]] = []
    for case in cases:
        centre = centres.get(case.handling_code) or centres[case.handling_code[:9]]
        year = timezone.localdate(case.created_at).year
        sequence = per_centre_year.get((centre.region_code, year), 0) + 1
        per_centre_year[(centre.region_code, year)] = sequence
        own = mediators.get(centre.region_code) or mediators.get(centre.region_code[:9], [])
        chosen = [case.assignee_id] if case.assignee_id in own else own[:1]
        outcome = _outcome_for(case, rng)
        amount = Decimal(int(rng.choice([0, 500, 1200, 3000, 8000, 20000, 65000])))
        concluded = case.resolved_at or (case.updated_at if outcome else None)
        file = MediationFile(
            number=f"{centre.region_code}-{year}-{sequence:04d}",
            centre=centre,
            case=case,
            dispute_kind=case.category.code,
            facts=case.description,
            amount_involved=amount or None,
            people_band=PeopleBand.UNDER_10 if rng.random() < 0.93 else PeopleBand.FROM_10,
            registered_by_id=chosen[0] if chosen else registrar.pk,
            created_at=case.created_at,
            updated_at=concluded or case.created_at,
            due_at=case.created_at + timedelta(days=DUE_DAYS),
            outcome=outcome,
            outcome_at=concluded if outcome else None,
        )
        file.set_region_code(case.region_code)
        files.append(file)
        plans.append((case, chosen, outcome))
    MediationFile.objects.bulk_create(files, batch_size=1000)
    parties: list[Party] = []
    sessions: list[MediationSession] = []
    through = MediationFile.mediators.through
    links = []
    for file, (case, chosen, outcome) in zip(files, plans, strict=True):
        links += [through(mediationfile_id=file.pk, user_id=user_id) for user_id in chosen]
        applicant = case.reporter_name.reveal() or names.person_name(rng)
        respondent = names.person_name(rng)
        for position, (side, name) in enumerate(
            [(Side.APPLICANT, applicant), (Side.RESPONDENT, respondent)]
        ):
            id_number, phone = _id_number(rng, case.region_code), _phone(rng)
            parties.append(
                Party(
                    file=file,
                    side=side,
                    kind=PartyKind.PERSON,
                    position=position,
                    name=EncryptedValue(name, "name"),
                    id_number=EncryptedValue(id_number, "id_number"),
                    id_number_hash=search_hash(id_number),
                    phone=EncryptedValue(phone, "phone"),
                    phone_hash=search_hash(phone),
                )
            )
        staff = file.registered_by_id
        if case.state in {State.IN_PROGRESS, *RESOLVED_STATES}:
            first = case.created_at + timedelta(hours=int(rng.integers(20, 72)))
            held = [first]
            if outcome and rng.random() < 0.5:
                held.append(first + timedelta(days=int(rng.integers(2, 6))))
            if file.outcome_at is not None:
                # Sessions of a concluded mediation were all held before it concluded.
                latest = file.outcome_at - timedelta(hours=2)
                held = sorted(min(at, latest) for at in held)
            for index, at in enumerate(held):
                done = outcome != "" or at <= now - timedelta(hours=1)
                sessions.append(
                    MediationSession(
                        file=file,
                        starts_at=at,
                        place=f"{file.centre.name}调解室",
                        participants=f"申请人{applicant}、被申请人{respondent}",
                        record=RECORDS[min(index + (1 if len(held) == 1 else 0), 2)]
                        if done
                        else "",
                        held_at=at if done else None,
                        created_by_id=staff,
                        created_at=case.created_at,
                    )
                )
        if outcome in (Outcome.AGREEMENT, Outcome.PARTIAL):
            assert file.outcome_at is not None
            deadline = timezone.localdate(file.outcome_at) + timedelta(
                days=int(rng.integers(7, 30))
            )
            file.agreed_terms = TERMS.get(file.dispute_kind, DEFAULT_TERMS).format(
                applicant=applicant,
                respondent=respondent,
                amount=int(file.amount_involved or 500),
                deadline=f"{deadline:%Y年%m月%d日}",
            )
            file.responsibilities = f"{respondent}对纠纷的发生负主要责任。"
            file.performance_method = "现金或银行转账"
            file.performance_place = f"{file.centre.name}"
            file.performance_deadline = deadline
            file.follow_up_due_on = deadline or timezone.localdate(file.outcome_at) + timedelta(
                days=FOLLOW_UP_DAYS
            )
            if timezone.localdate(now) > deadline and rng.random() < 0.9:
                file.followed_up_at = datetime.combine(
                    deadline + timedelta(days=2), datetime.min.time(), tzinfo=file.outcome_at.tzinfo
                )
                file.performed = bool(rng.random() < 0.93)
                file.follow_up_note = (
                    "电话回访双方，协议已按期履行，双方表示满意。"
                    if file.performed
                    else "回访得知被申请人尚未履行，已督促其尽快履行。"
                )
            if rng.random() < 0.1:
                file.judicial_status = Judicial.CONFIRMED
                file.judicial_court = "扶风县人民法院"
                file.judicial_applied_on = timezone.localdate(file.outcome_at) + timedelta(days=3)
                file.judicial_result_on = file.judicial_applied_on + timedelta(days=10)
        elif outcome == Outcome.REFERRED:
            file.outcome_note = f"调解不成，移交{case.transferred_to.split(':', 1)[-1]}处理。"
    MediationFile.objects.bulk_update(
        [f for f in files if f.outcome],
        [
            "agreed_terms",
            "responsibilities",
            "performance_method",
            "performance_place",
            "performance_deadline",
            "follow_up_due_on",
            "followed_up_at",
            "performed",
            "follow_up_note",
            "judicial_status",
            "judicial_court",
            "judicial_applied_on",
            "judicial_result_on",
            "outcome_note",
        ],
        batch_size=1000,
    )
    through.objects.bulk_create(links, batch_size=2000)
    Party.objects.bulk_create(parties, batch_size=2000)
    MediationSession.objects.bulk_create(sessions, batch_size=2000)
    build.summary.mediation_files = len(files)
    build.summary.mediation_sessions = len(sessions)


def create_referrals(build: DemoBuild) -> None:
    """The three-mediation linkage as the dispute cases' stories went: each transfer of a case
    to a department or the court is a referral out of people's mediation, each taking back a
    referral home, with the unit, the reason and the official as the timeline has them; a file
    whose case is still transferred ends on the track it was sent to."""
    files = {
        file.case_id: file
        for file in MediationFile.objects.filter(county_code=names.COUNTY_CODE).select_related(
            "centre"
        )
    }
    registrar = User.objects.get(username=f"md{names.COUNTY_CODE}")
    events = (
        CaseEvent.objects.filter(
            case__county_code=names.COUNTY_CODE,
            case__category__is_dispute=True,
            action__in=[Action.TRANSFER, Action.TAKE_BACK],
        )
        .order_by("case_id", "created_at", "id")
        .values_list("case_id", "action", "created_at", "actor_id", "note", "data")
    )
    referrals: list[Referral] = []
    moved: list[MediationFile] = []
    for case_id, action, at, actor_id, note, data in events:
        file = files.get(case_id)
        if file is None:
            continue
        if action == Action.TRANSFER:
            court = data.get("transfer_kind") == "court"
            to_track = Track.JUDICIAL if court else Track.ADMINISTRATIVE
            unit = data.get("transfer_to") or ""
        else:
            to_track, unit = Track.PEOPLE, file.centre.name
        referral = Referral(
            file=file,
            from_track=file.track,
            to_track=to_track,
            unit=unit[:120],
            reason=note or unit,
            actor_id=actor_id or registrar.pk,
            created_at=at,
        )
        referral.set_region_code(file.region_code)
        referrals.append(referral)
        file.track = to_track
        moved.append(file)
    Referral.objects.bulk_create(referrals, batch_size=2000)
    MediationFile.objects.bulk_update(
        [f for f in set(moved) if f.track != Track.PEOPLE], ["track"], batch_size=1000
    )
    build.summary.mediation_referrals = len(referrals)


def load(build: DemoBuild) -> None:
    """The demo step: centres, then the files of the year's dispute cases and their referrals."""
    create_centres(build)
    create_mediation_files(build)
    create_referrals(build)
