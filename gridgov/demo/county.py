"""Loading the demo county into the database: regions, staff and demo logins, in one transaction.

`load_demo` runs `STEPS` in order; a later step (for example a year of cases) is one more entry.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.models import RoleAssignment, User
from gridgov.core.access import Role
from gridgov.core.audit import audit_record
from gridgov.core.errors import Conflict
from gridgov.dashboards.services import rollups_rebuild
from gridgov.demo import activities as demo_activities
from gridgov.demo import assessment as demo_assessment
from gridgov.demo import broadcasts, cases, names, people, terminals
from gridgov.demo import mediation as demo_mediation
from gridgov.demo import risks as demo_risks
from gridgov.demo import teams as demo_teams
from gridgov.demo import trainings as demo_trainings
from gridgov.demo import volunteers as demo_volunteers
from gridgov.demo.errors import DEMO_LOADED, DEMO_USERNAMES_TAKEN
from gridgov.demo.layout import SEED, CountyLayout, PlannedRegion, build_layout, digest_of
from gridgov.demo.logins import DEMO_ACCOUNTS, DEMO_PASSWORD
from gridgov.regions.geometry import to_geojson
from gridgov.regions.models import Region
from gridgov.regions.services import bump_boundaries_version

INFO_OFFICER_TOTAL = 3422


class DemoAlreadyLoaded(Conflict):
    code = "demo_loaded"


@dataclass
class DemoSummary:
    """What a load wrote. A step that adds records adds its count here and a label below."""

    towns: int = 0
    villages: int = 0
    communities: int = 0
    grids: int = 0
    micro_grids: int = 0
    population: int = 0
    households: int = 0
    grid_workers: int = 0
    info_officers: int = 0
    demo_accounts: int = 0
    officials: int = 0
    open311_clients: int = 0
    register_residents: int = 0
    cases: int = 0
    open_cases: int = 0
    overdue_cases: int = 0
    case_events: int = 0
    notifications: int = 0
    mediation_centres: int = 0
    mediation_files: int = 0
    mediation_sessions: int = 0
    mediation_referrals: int = 0
    risks: int = 0
    joint_meetings: int = 0
    teams: int = 0
    team_members: int = 0
    training_sessions: int = 0
    training_attendances: int = 0
    training_certificates: int = 0
    terminals: int = 0
    broadcasts: int = 0
    broadcast_deliveries: int = 0
    activities: int = 0
    check_ins: int = 0
    home_visits: int = 0
    volunteer_events: int = 0
    volunteer_sign_ups: int = 0
    micro_wishes: int = 0
    scores: int = 0
    supervision_orders: int = 0
    package_responsibilities: int = 0
    boundaries_digest: str = ""
    cases_digest: str = ""
    seconds: float = 0.0
    # Each step's seconds, in the order they ran.
    step_seconds: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {key: value for key, value in asdict(self).items() if isinstance(value, int)}


SUMMARY_LABELS: dict[str, Promise] = {
    "towns": _("towns and streets"),
    "villages": _("villages"),
    "communities": _("communities"),
    "grids": _("grids"),
    "micro_grids": _("micro-grids"),
    "population": _("population"),
    "households": _("households"),
    "grid_workers": _("grid workers"),
    "info_officers": _("information officers"),
    "demo_accounts": _("demo logins"),
    "officials": _("officials and mediators"),
    "open311_clients": _("Open311 clients"),
    "register_residents": _("residents in the register"),
    "cases": _("cases"),
    "open_cases": _("open cases"),
    "overdue_cases": _("overdue cases"),
    "case_events": _("timeline entries"),
    "notifications": _("inbox notifications"),
    "mediation_centres": _("mediation centres"),
    "mediation_files": _("mediation files"),
    "mediation_sessions": _("mediation sessions"),
    "mediation_referrals": _("referrals between mediations"),
    "risks": _("risks in the register"),
    "joint_meetings": _("joint meetings"),
    "teams": _("teams"),
    "team_members": _("team members"),
    "training_sessions": _("training sessions"),
    "training_attendances": _("people trained (attendances)"),
    "training_certificates": _("training certificates"),
    "terminals": _("broadcast terminals"),
    "broadcasts": _("broadcast messages"),
    "broadcast_deliveries": _("broadcast deliveries"),
    "activities": _("front-line activities"),
    "check_ins": _("patrol check-ins"),
    "home_visits": _("home visits"),
    "volunteer_events": _("volunteer service events"),
    "volunteer_sign_ups": _("volunteer sign-ups"),
    "micro_wishes": _("micro-wishes"),
    "scores": _("monthly scores"),
    "supervision_orders": _("supervision orders"),
    "package_responsibilities": _("package responsibilities"),
}


@dataclass
class DemoBuild:
    """What the steps share: the computed layout, the saved regions (by code), the summary they
    fill in, the demo password's hash and a seeded generator for whatever they invent (and the
    seed, for a step that seeds its own)."""

    layout: CountyLayout
    summary: DemoSummary
    password_hash: str
    rng: np.random.Generator
    regions: dict[str, Region] = field(default_factory=dict)
    seed: int = SEED


DemoStep = Callable[[DemoBuild], None]


def save_regions(build: DemoBuild) -> None:
    """Every region, level by level so each knows its parent's primary key."""
    by_level: dict[str, list[PlannedRegion]] = {}
    for planned in build.layout.regions:
        by_level.setdefault(planned.level, []).append(planned)
    stored: list[tuple[str, str, dict[str, Any]]] = []
    for level in ("county", "town", "village", "grid", "micro_grid"):
        rows = []
        for planned in by_level.get(level, []):
            boundary = to_geojson(planned.geometry)
            region = Region(
                level=level,
                kind=planned.kind,
                name=planned.name,
                parent=build.regions.get(planned.code[:-3]) if level != "county" else None,
                boundary=boundary,
                population=planned.population,
                households=planned.households,
            )
            region.set_region_code(planned.code)
            rows.append(region)
            stored.append((planned.code, planned.name, boundary))
        for region in Region.objects.bulk_create(rows, batch_size=500):
            build.regions[region.region_code] = region
    summary = build.summary
    villages = by_level["village"]
    summary.towns = len(by_level["town"])
    summary.communities = sum(1 for p in villages if p.kind == Region.Kind.COMMUNITY)
    summary.villages = len(villages) - summary.communities
    summary.grids = len(by_level["grid"])
    summary.micro_grids = len(by_level["micro_grid"])
    summary.population = by_level["county"][0].population
    summary.households = by_level["county"][0].households
    summary.boundaries_digest = digest_of(sorted(stored))


def create_staff(build: DemoBuild) -> None:
    """One grid worker per grid and INFO_OFFICER_TOTAL information officers, two or three per
    grid (at its micro-grids, the third at the grid itself). Demo logins take their slots."""
    demo_slots = {(a["role"], a["region_code"]): a for a in DEMO_ACCOUNTS}
    grids = [p for p in build.layout.regions if p.level == "grid"]
    micro_codes: dict[str, list[str]] = {}
    for planned in build.layout.regions:
        if planned.level == "micro_grid":
            micro_codes.setdefault(planned.code[:-3], []).append(planned.code)
    officers = [2] * len(grids)
    for index in build.rng.choice(len(grids), INFO_OFFICER_TOTAL - 2 * len(grids), replace=False):
        officers[index] = 3
    slots: list[tuple[str, str, str]] = []  # (synthetic username, role, region code)
    for grid, count in zip(grids, officers, strict=True):
        slots.append((f"gw{grid.code}", Role.GRID_WORKER.value, grid.code))
        places = [*micro_codes[grid.code][:2], grid.code][:count]
        slots += [(f"io{code}", Role.INFO_OFFICER.value, code) for code in places]
    users, assignments = [], []
    for username, role, code in slots:
        demo = demo_slots.get((role, code))
        user = User(
            username=demo["username"] if demo else username,
            display_name=names.person_name(build.rng),
            password=build.password_hash if demo else make_password(None),
        )
        users.append(user)
        assignment = RoleAssignment(user=user, role=role)
        assignment.set_region_code(code)
        assignments.append(assignment)
    User.objects.bulk_create(users, batch_size=500)
    RoleAssignment.objects.bulk_create(assignments, batch_size=500)
    build.summary.grid_workers = sum(1 for _, role, _ in slots if role == Role.GRID_WORKER)
    build.summary.info_officers = sum(1 for _, role, _ in slots if role == Role.INFO_OFFICER)


def create_demo_accounts(build: DemoBuild) -> None:
    """The remaining demo logins (the grid-level ones were made with the staff)."""
    existing = set(
        User.objects.filter(username__in=[a["username"] for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    missing = [a for a in DEMO_ACCOUNTS if a["username"] not in existing]
    users = [
        User(
            username=account["username"],
            display_name=names.person_name(build.rng),
            password=build.password_hash,
        )
        for account in missing
    ]
    User.objects.bulk_create(users)
    assignments = []
    for user, account in zip(users, missing, strict=True):
        assignment = RoleAssignment(user=user, role=account["role"])
        assignment.set_region_code(account["region_code"])
        assignments.append(assignment)
    RoleAssignment.objects.bulk_create(assignments)
    build.summary.demo_accounts = len(DEMO_ACCOUNTS)


def count_rollups(build: DemoBuild) -> None:
    """The command centre's rollups of the cases just written (they were bulk-inserted)."""
    rollups_rebuild()


STEPS: list[tuple[str, DemoStep]] = [
    ("regions", save_regions),
    ("staff", create_staff),
    ("accounts", create_demo_accounts),
    ("register", people.create_register),
    ("officials", cases.create_officials),
    ("open311", cases.create_open311_client),
    ("cases", cases.create_cases),
    ("rollups", count_rollups),
    ("mediation", demo_mediation.load),
    ("risks", demo_risks.load),
    ("teams", demo_teams.create_teams),
    ("trainings", demo_trainings.load),
    ("terminals", terminals.create_terminals),
    ("broadcasts", broadcasts.create_broadcasts),
    # Before the assessment: the month's scores count the patrols and visits.
    ("activities", demo_activities.load),
    ("volunteers", demo_volunteers.load),
    ("assessment", demo_assessment.load),
]


def load_demo(*, seed: int = SEED, steps: list[tuple[str, DemoStep]] | None = None) -> DemoSummary:
    """Build the demo county and write it in one transaction; DemoAlreadyLoaded if it exists."""
    started = time.monotonic()
    if Region.objects.filter(region_code=names.COUNTY_CODE).exists():
        raise DemoAlreadyLoaded(DEMO_LOADED, code=names.COUNTY_CODE)
    taken = list(
        User.objects.filter(username__in=[a["username"] for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    if taken:
        raise Conflict(DEMO_USERNAMES_TAKEN, usernames=", ".join(sorted(taken)))
    # Computed before the transaction opens, so SQLite's write lock is held only while writing.
    layout = build_layout(seed)
    build = DemoBuild(
        layout=layout,
        summary=DemoSummary(),
        # Hashed once: every demo login shares it (hashing thousands would take minutes).
        password_hash=make_password(DEMO_PASSWORD),
        rng=np.random.default_rng([seed, 2]),
        seed=seed,
    )
    with transaction.atomic():
        for name, step in STEPS if steps is None else steps:
            step_started = time.monotonic()
            step(build)
            build.summary.step_seconds[name] = time.monotonic() - step_started
        bump_boundaries_version()
        audit_record(
            actor=None,
            action="demo.load",
            object_type="region",
            object_id=names.COUNTY_CODE,
            region_code=names.COUNTY_CODE,
            detail={
                **build.summary.counts(),
                "seed": seed,
                "boundaries_digest": build.summary.boundaries_digest,
                "cases_digest": build.summary.cases_digest,
            },
        )
    build.summary.seconds = time.monotonic() - started
    return build.summary
