"""A synthetic population register: households, residents with valid, checksummed ID numbers,
focus groups in plausible proportions, a building per few households, and each community's card.

Deterministic for a seed. One function writes it for any list of grids: a few households a grid
for the tests, about 150,000 households and 450,000 residents over Fufeng's 1,264 grids for the
county-scale demo (`manage.py load_register`). Rows are bulk-inserted, encrypted and hashed as
the services would write them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.utils import timezone

from gridgov.accounts.models import RoleAssignment
from gridgov.core.access import Role
from gridgov.core.codes import ancestor_codes
from gridgov.core.pii import search_hash
from gridgov.demo import names
from gridgov.people.checks import name_initials
from gridgov.people.idnumbers import Gender, id_tail, synthetic_id
from gridgov.people.models import (
    Building,
    CommunityCard,
    FocusKind,
    FocusMembership,
    GridWorkerContact,
    Household,
    Organisation,
    PartnerUnit,
    Project,
    Resident,
)

# Birth dates spread over 80 years; a resident's index picks the day and a sequence number, so
# every synthetic ID number is distinct (29,220 days x 500 sequences of each gender).
_FIRST_BIRTH = dt.date(1940, 1, 1)
_BIRTH_DAYS = 29_220
# One resident in `period` is in each group (elderly alone 2 %, disabled 1.5 %, ...).
FOCUS_PERIODS: dict[str, int] = {
    FocusKind.ELDERLY_ALONE: 50,
    FocusKind.DISABLED: 67,
    FocusKind.LEFT_BEHIND_CHILDREN: 100,
    FocusKind.LOW_INCOME: 45,
    FocusKind.COMMUNITY_CORRECTION: 1_000,
    FocusKind.RELEASED: 900,
    FocusKind.MENTAL_ILLNESS: 330,
    FocusKind.DRUG_REHABILITATION: 1_100,
}
_RELATIONS = [
    Resident.Relation.HEAD,
    Resident.Relation.SPOUSE,
    Resident.Relation.CHILD,
    Resident.Relation.CHILD,
    Resident.Relation.PARENT,
]
_OCCUPATIONS = ["农民", "务工", "个体经营", "教师", "退休", "学生", ""]
_STREETS = ["幸福路", "建设路", "东大街", "西大街", "南环路", "北环路", "育才路", "人民路"]
BATCH = 5_000
# The demo county's register as `load_demo` writes it: small enough to load in seconds. The
# county-scale one (about 150,000 households) is `manage.py load_register`.
DEMO_HOUSEHOLDS_PER_GRID = 2

if TYPE_CHECKING:
    from gridgov.demo.county import DemoBuild


@dataclass
class RegisterSummary:
    buildings: int = 0
    households: int = 0
    residents: int = 0
    focus: int = 0
    organisations: int = 0
    cards: int = 0
    seconds: float = 0.0


def resident_id_number(index: int) -> tuple[str, dt.date, Gender]:
    """The synthetic ID number of the `index`-th resident (any index below 14 million)."""
    gender = Gender.MALE if index % 2 == 0 else Gender.FEMALE
    birth = _FIRST_BIRTH + dt.timedelta(days=(index // 2) % _BIRTH_DAYS)
    sequence = 2 * ((index // 2) // _BIRTH_DAYS) + (1 if gender is Gender.MALE else 0)
    return (
        synthetic_id(place=names.COUNTY_CODE, birth_date=birth, sequence=sequence, gender=gender),
        birth,
        gender,
    )


def resident_phone(index: int) -> str:
    """A mobile number in E.164 for two residents in three (the others gave none)."""
    return "" if index % 3 == 2 else f"+86139{index:08d}"


def _household_sizes(rng: np.random.Generator, count: int) -> np.ndarray:
    # One to five people, three on average.
    return np.asarray(rng.choice([1, 2, 3, 4, 5], size=count, p=[0.12, 0.2, 0.3, 0.23, 0.15]))


def _batches(rows: Sequence[object], size: int = BATCH) -> Iterator[Sequence[object]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write_register(
    *,
    grid_codes: Sequence[str],
    households_per_grid: int,
    seed: int = 11,
    first_index: int = 0,
    progress: bool = False,
) -> RegisterSummary:
    """Write households, residents, buildings and focus groups for each grid (inside the caller's
    transaction). Household numbers and ID numbers start at `first_index`, so two calls with
    disjoint ranges never collide."""
    started = time.monotonic()
    rng = np.random.default_rng([seed, 11])
    summary = RegisterSummary()
    resident_index = first_index
    household_index = first_index
    for grid_number, grid in enumerate(grid_codes):
        ancestors = ancestor_codes(grid)
        buildings = [
            Building(
                name=f"{_STREETS[(grid_number + b) % len(_STREETS)]}{b + 1}号楼",
                address=f"{_STREETS[(grid_number + b) % len(_STREETS)]}{grid_number % 90 + b + 1}号",
                kind=Building.Kind.BLOCK if b % 3 else Building.Kind.HOUSE,
                floors=6 if b % 3 else 2,
                **ancestors,
            )
            for b in range(max(1, households_per_grid // 12))
        ]
        Building.objects.bulk_create(buildings)
        summary.buildings += len(buildings)
        households = []
        for h in range(households_per_grid):
            building = buildings[h % len(buildings)]
            households.append(
                Household(
                    number=f"H{household_index:09d}",
                    building=building,
                    address=f"{building.address}{h // len(buildings) + 1}室",
                    registration=(
                        Household.Registration.LIVING
                        if h % 9 == 8
                        else Household.Registration.REGISTERED
                    ),
                    **ancestors,
                )
            )
            household_index += 1
        Household.objects.bulk_create(households)
        summary.households += len(households)
        residents: list[Resident] = []
        focus_of: list[tuple[int, str]] = []
        sizes = _household_sizes(rng, len(households))
        surnames = rng.choice(names.SURNAMES, size=len(households))
        for household, size, surname in zip(households, sizes, surnames, strict=True):
            for member in range(int(size)):
                number, birth, gender = resident_id_number(resident_index)
                phone = resident_phone(resident_index)
                name = f"{surname}{names.GIVEN_NAMES[(resident_index * 7 + member) % len(names.GIVEN_NAMES)]}"
                residents.append(
                    Resident(
                        household=household,
                        name=name,
                        name_initials=name_initials(name),
                        id_number=number,
                        id_hash=search_hash(number),
                        id_tail=id_tail(number),
                        gender=str(gender),
                        birth_date=birth,
                        phone=phone,
                        phone_hash=search_hash(phone) if phone else "",
                        relation=_RELATIONS[member % len(_RELATIONS)],
                        residence=(
                            Resident.Residence.FLOATING
                            if household.registration == Household.Registration.LIVING
                            else Resident.Residence.AWAY
                            if resident_index % 17 == 5
                            else Resident.Residence.REGISTERED
                        ),
                        occupation=_OCCUPATIONS[resident_index % len(_OCCUPATIONS)],
                        address=household.address,
                        **ancestors,
                    )
                )
                for kind, period in FOCUS_PERIODS.items():
                    if resident_index % period == period // 2:
                        focus_of.append((len(residents) - 1, kind))
                resident_index += 1
        for batch in _batches(residents):
            Resident.objects.bulk_create(batch)  # type: ignore[arg-type]
        summary.residents += len(residents)
        memberships = [
            FocusMembership(
                resident=residents[position],
                kind=kind,
                visit_every_days=7 if kind in _SUPERVISED else 30,
                **ancestors,
            )
            for position, kind in focus_of
        ]
        FocusMembership.objects.bulk_create(memberships)
        summary.focus += len(memberships)
        if progress and grid_number % 100 == 99:
            print(f"  {grid_number + 1:,} grids, {summary.residents:,} residents")  # noqa: T201
    summary.seconds = time.monotonic() - started
    return summary


_SUPERVISED = {
    FocusKind.COMMUNITY_CORRECTION,
    FocusKind.RELEASED,
    FocusKind.MENTAL_ILLNESS,
    FocusKind.DRUG_REHABILITATION,
}


def write_organisations(*, grid_codes: Sequence[str]) -> int:
    """A school and an enterprise in the first grid of each village (deterministic)."""
    villages: dict[str, str] = {}
    for grid in grid_codes:
        villages.setdefault(grid[:12], grid)
    rows = []
    for number, (_village, grid) in enumerate(sorted(villages.items())):
        ancestors = ancestor_codes(grid)
        rows.append(
            Organisation(name=f"第{number + 1}小学", kind=Organisation.Kind.SCHOOL, **ancestors)
        )
    Organisation.objects.bulk_create(rows)
    return len(rows)


def write_cards(*, village_codes: Sequence[str]) -> int:
    """A card for each community: a head, a property manager, the public services column."""
    cards = [
        CommunityCard(
            community_head=f"{names.SURNAMES[n % len(names.SURNAMES)]}书记",
            community_head_phone=f"0917-52{n % 100000:05d}",
            property_managers="扶风县安居物业服务有限公司",
            publish_grid_workers=True,
            public_services="水电维修 · 0917-5211234\n家电维修 · 0917-5215678\n汽车维修 · 0917-5219012",
            **ancestor_codes(code),
        )
        for n, code in enumerate(village_codes)
    ]
    CommunityCard.objects.bulk_create(cards, ignore_conflicts=True)
    return len(cards)


# The county's units that pair with communities (共建单位) and what they build together there.
PARTNER_UNITS = (
    "县人民法院",
    "县公安局",
    "县司法局",
    "国网扶风县供电公司",
    "县卫生健康局",
    "县教育局",
    "县农业农村局",
    "县市场监督管理局",
    "县税务局",
    "中国移动扶风分公司",
    "县自来水公司",
    "扶风农商银行",
)
PROJECTS = (
    ("法律明白人培训", "培训法律明白人12名，开展普法讲座6场"),
    ("背街小巷路灯亮化", "新装路灯48盏，夜间照明全覆盖"),
    ("老年助餐点", "每日为80余名老人提供午餐"),
    ("电动车集中充电棚", "建成充电棚2处、充电口60个，消除楼道充电隐患"),
    ("反诈宣传进万家", "入户宣传1,200户，发放资料3,000份"),
    ("留守儿童暑期课堂", "开设课堂20期，服务儿童150人次"),
    ("农产品直播带货", "培训主播10人，帮助销售苹果30吨"),
    ("智慧安防小区", "安装人脸识别门禁4处、高清探头36个"),
)


def write_card_contacts(
    *, village_codes: Sequence[str], today: dt.date, rng: np.random.Generator
) -> int:
    """What a community's card names besides its head: each grid's worker (their work phone, as
    the card publishes it), a partner unit with its instructor, and the co-construction projects
    they run together (one finished, one under way, every third village one planned)."""
    workers = dict(
        RoleAssignment.objects.filter(role=Role.GRID_WORKER, is_active=True).values_list(
            "region_code", "user__display_name"
        )
    )
    villages = set(village_codes)
    contacts = [
        GridWorkerContact(
            name=name, work_phone=f"0917-53{index:05d}", published=True, **ancestor_codes(grid)
        )
        for index, (grid, name) in enumerate(sorted(workers.items()))
        if grid[:12] in villages
    ]
    GridWorkerContact.objects.bulk_create(contacts, batch_size=500)
    partners = []
    for n, village in enumerate(village_codes):
        partners.append(
            PartnerUnit(
                name=PARTNER_UNITS[n % len(PARTNER_UNITS)],
                instructor=names.person_name(rng),
                instructor_phone=f"0917-54{n:05d}",
                since=today.replace(year=today.year - 1 - n % 3, month=3, day=1),
                **ancestor_codes(village),
            )
        )
    PartnerUnit.objects.bulk_create(partners)
    projects = []
    for n, partner in enumerate(PartnerUnit.objects.filter(region_code__in=village_codes)):
        plans = [
            (Project.Status.DONE, today.replace(year=today.year - 1, month=4, day=1), 180),
            (Project.Status.RUNNING, today.replace(month=1, day=1), 365),
        ]
        if n % 3 == 0:
            plans.append((Project.Status.PLANNED, today + dt.timedelta(days=30), 90))
        for k, (status, starts_on, days) in enumerate(plans):
            title, outcomes = PROJECTS[(n + k * 3) % len(PROJECTS)]
            projects.append(
                Project(
                    title=title,
                    partner=partner,
                    instructor=partner.instructor,
                    starts_on=starts_on,
                    ends_on=starts_on + dt.timedelta(days=days),
                    status=status,
                    outcomes=outcomes if status == Project.Status.DONE else "",
                    **ancestor_codes(partner.region_code),
                )
            )
    Project.objects.bulk_create(projects)
    return len(contacts)


def create_register(build: DemoBuild) -> None:
    """The loader's step: a small register in every grid, an organisation and a card for every
    village and community."""
    grids = sorted(code for code in build.regions if len(code) == 15)
    villages = sorted(code for code in build.regions if len(code) == 12)
    summary = write_register(
        grid_codes=grids, households_per_grid=DEMO_HOUSEHOLDS_PER_GRID, seed=build.seed
    )
    write_organisations(grid_codes=grids)
    write_cards(village_codes=villages)
    write_card_contacts(village_codes=villages, today=timezone.localdate(), rng=build.rng)
    build.summary.register_residents = summary.residents
