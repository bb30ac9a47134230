"""A small month of records whose scores were worked out by hand (see test_scoring.py): two grid
workers in 城关街道第1村, their cases of November 2026 and the visits to focus-group households."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from gridgov.accounts.models import User
from gridgov.cases.models import Case, Category
from gridgov.core.access import Role
from gridgov.demo.people import write_register
from gridgov.people.models import FocusMembership, HomeVisit, Household
from gridgov.testing import Tree, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTH = date(2026, 11, 1)
# "Now" when the month is scored: a case still being worked whose deadline passed is overdue.
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=SHANGHAI)


def at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 9, 0, tzinfo=SHANGHAI)


@dataclass
class Month:
    tree: Tree
    w1: User
    w2: User
    town: User
    cases: dict[str, Case] = field(default_factory=dict)
    households: list[Household] = field(default_factory=list)


def _case(
    name: str,
    *,
    region_code: str,
    channel: str,
    state: str,
    reporter: User | None = None,
    assignee: User | None = None,
    created: datetime,
    resolve_by: datetime | None = None,
    resolved: datetime | None = None,
    due: datetime | None = None,
    rating: int | None = None,
) -> Case:
    category = Category.objects.filter(is_active=True, children=None).order_by("code").first()
    assert category is not None
    case = Case(
        number=f"610324-20261101-{Case.objects.count() + 1:06d}",
        channel=channel,
        category=category,
        state=state,
        handling_code=region_code[:12],
        assignee=assignee,
        title=name,
        description=name,
        reporter=reporter,
        tracking_token=secrets.token_urlsafe(16)[:22],
        created_at=created,
        updated_at=created,
        resolve_deadline_at=resolve_by,
        resolved_at=resolved,
        due_at=due,
        rating=rating,
    )
    case.set_region_code(region_code)
    case.save()
    return case


def build_month(tree: Tree) -> Month:
    g1, g2 = tree.grids[0], tree.grids[1]  # the two grids of 城关街道第1村
    month = Month(
        tree=tree,
        w1=make_user(Role.GRID_WORKER, g1, username="w1"),
        w2=make_user(Role.GRID_WORKER, g2, username="w2"),
        town=make_user(Role.TOWN_OFFICIAL, tree.towns[0], username="town"),
    )
    w1, w2 = month.w1, month.w2
    add = month.cases
    # W1 reports three cases on patrol in G1 and handles them, with one a resident phoned in.
    add["c1"] = _case(  # closed, resolved before its deadline, rated 5
        "c1",
        region_code=g1,
        channel="grid_patrol",
        state="closed",
        reporter=w1,
        assignee=w1,
        created=at(2),
        resolve_by=at(10),
        resolved=at(5),
        rating=5,
    )
    add["c2"] = _case(  # verified, resolved after its deadline (late), not rated
        "c2",
        region_code=g1,
        channel="grid_patrol",
        state="verified",
        reporter=w1,
        assignee=w1,
        created=at(3),
        resolve_by=at(15),
        resolved=at(20),
    )
    add["c3"] = _case(  # still in progress, its deadline passed: overdue now
        "c3",
        region_code=g1,
        channel="grid_patrol",
        state="in_progress",
        reporter=w1,
        assignee=w1,
        created=at(4),
        resolve_by=at(25),
        due=at(25),
    )
    add["c4"] = _case(  # a resident's hotline call, dispatched to W1, resolved in time, rated 3
        "c4",
        region_code=g1,
        channel="hotline",
        state="resolved",
        assignee=w1,
        created=at(6),
        resolve_by=at(20),
        resolved=at(12),
        rating=3,
    )
    add["c5"] = _case(  # refused at intake: handled by nobody
        "c5",
        region_code=g1,
        channel="hotline",
        state="not_accepted",
        created=at(7),
    )
    # W2 reports one case on patrol in G2, still waiting to be accepted (deadline ahead).
    add["c6"] = _case(
        "c6",
        region_code=g2,
        channel="grid_patrol",
        state="reported",
        reporter=w2,
        created=at(28),
        due=datetime(2026, 12, 30, tzinfo=SHANGHAI),
    )
    # Not in November: W1's report of 31 October counts for no month scored here.
    add["c0"] = _case(
        "c0",
        region_code=g1,
        channel="grid_patrol",
        state="closed",
        reporter=w1,
        assignee=w1,
        created=at(31, month=10),
        resolve_by=at(10),
        resolved=at(2),
        rating=1,
    )
    # Three households in G1's first micro-grid; H1 and H2 have a focus-group member.
    write_register(grid_codes=[tree.micro_grids[0]], households_per_grid=3)
    FocusMembership.objects.all().delete()
    month.households = list(Household.objects.order_by("id"))
    h1, h2, h3 = month.households
    for household in (h1, h2):
        resident = household.members.order_by("id").first()
        assert resident is not None
        membership = FocusMembership(resident=resident, kind="elderly_alone")
        membership.set_region_code(resident.region_code)
        membership.save()
    for household, day, who in (
        (h1, date(2026, 11, 3), w1),  # a focus household, by W1
        (h3, date(2026, 11, 4), w1),  # not a focus household
        (h2, date(2026, 10, 31), w1),  # the month before
        (h2, date(2026, 11, 20), w2),  # a focus household of G1, by W2 (of G2)
    ):
        visit = HomeVisit(household=household, visited_on=day, visited_by=who, found="平安")
        visit.set_region_code(household.region_code)
        visit.save()
    return month


def component(score: Any, indicator: str) -> Any:
    return next(c for c in score.components.all() if c.indicator == indicator)
