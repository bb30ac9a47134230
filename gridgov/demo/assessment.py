"""The demo's supervision and assessment: a year of the grid workers' visits to the focus-group
households of their grids, the monthly scores of that year computed from the demo's records (the
cases and those visits; never typed in), a few supervision orders in each state and the package
responsibilities of the demo's officials.

Deterministic for any load date: the visits make the same number of random draws whatever the
day (a visit's day is a drawn fraction of the days the month has had), and the orders and
packages pick their cases, places and risks by code and number, not by draw."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from django.utils import timezone

from gridgov.accounts.models import RoleAssignment, User
from gridgov.assessment.models import (
    OrderEvent,
    OrderState,
    OrderTarget,
    PackageKind,
    Responsibility,
    Score,
    SupervisionOrder,
)
from gridgov.assessment.services.scoring import month_start, next_month, scores_compute
from gridgov.cases.models import Case
from gridgov.cases.states import WORKING_STATES
from gridgov.core.access import Role
from gridgov.demo import logins
from gridgov.mediation.models import Risk, RiskStatus
from gridgov.people.models import FocusMembership, HomeVisit
from gridgov.regions.models import Region

if TYPE_CHECKING:
    from gridgov.demo.county import DemoBuild

MONTHS = 12
# The demo logins' places (see `logins`): the street 城关街道 and its village 西关村, the town
# 天度镇 and its village 天度村.
_PLACES = {account["username"]: account["region_code"] for account in logins.DEMO_ACCOUNTS}
CHENGGUAN = _PLACES["town_chengguan"]
TIANDU = _PLACES["town_tiandu"]
XIGUAN = _PLACES["village_xiguan"]
TIANDU_VILLAGE = _PLACES["village_tiandu"]
FOUND = ("平安，无异常", "身体状况良好", "家中整洁，生活正常", "反映用水不便，已记录", "情绪稳定")


def _months(today: date) -> list[date]:
    """The year's months, oldest first, ending with this one."""
    months = [month_start(today)]
    while len(months) < MONTHS:
        months.insert(0, month_start(months[0] - timedelta(days=1)))
    return months


def _visits(build: DemoBuild, now: datetime) -> int:
    """Each grid worker visits the focus households of their grid: each month each household
    with a chance that is the worker's own diligence (so workers score differently)."""
    rng = np.random.default_rng([build.seed, 456])
    today = timezone.localdate(now)
    workers = dict(
        RoleAssignment.objects.filter(role=Role.GRID_WORKER, is_active=True)
        .order_by("region_code", "user_id")
        .values_list("region_code", "user_id")
    )
    diligence = {grid: 0.35 + 0.6 * rng.random() for grid in sorted(workers)}
    households = sorted(
        set(
            FocusMembership.objects.exclude(resident__household__isnull=True).values_list(
                "resident__household_id",
                "resident__household__region_code",
                "resident__household__grid_code",
            )
        )
    )
    visits = []
    for month in _months(today):
        last = next_month(month) - timedelta(days=1)
        days = (min(last, today) - month).days + 1
        # The same draws for every household and month, whatever the day of loading.
        coins = rng.random(len(households))
        fractions = rng.random(len(households))
        found = rng.integers(0, len(FOUND), len(households))
        for index, (household_id, region_code, grid_code) in enumerate(households):
            worker = workers.get(grid_code)
            if worker is None or coins[index] >= diligence[grid_code]:
                continue
            visit = HomeVisit(
                household_id=household_id,
                visited_on=month + timedelta(days=int(fractions[index] * days)),
                visited_by_id=worker,
                found=FOUND[int(found[index])],
            )
            visit.set_region_code(region_code)
            visits.append(visit)
    HomeVisit.objects.bulk_create(visits, batch_size=2000)
    return len(visits)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _order(
    *,
    number: str,
    target: str,
    region_code: str,
    subject_name: str,
    request: str,
    issued_by: User,
    issued_at: datetime,
    deadline_on: date,
    addressee: User | None = None,
    addressee_code: str = "",
    case_number: str = "",
    steps: tuple[tuple[str, str, str, User | None], ...] = (),
) -> SupervisionOrder:
    """An order and its timeline: each step (action, state after, note, by whom) a day apart."""
    order = SupervisionOrder(
        number=number,
        target=target,
        case_number=case_number,
        addressee=addressee,
        addressee_code=addressee_code,
        subject_name=subject_name[:120],
        request=request,
        deadline_on=deadline_on,
        issued_by=issued_by,
        issued_at=issued_at,
    )
    order.set_region_code(region_code)
    events = [OrderEvent(created_at=issued_at, actor=issued_by, action="issue", to_state="open")]
    state = OrderState.OPEN
    for day, (action, after, note, by) in enumerate(steps, start=1):
        at = issued_at + timedelta(days=day)
        actor = by or issued_by
        if action == "respond":
            order.response, order.responded_by, order.responded_at = note, actor, at
        if after in (OrderState.CLOSED, OrderState.WITHDRAWN):
            order.closed_at = at
        events.append(
            OrderEvent(
                created_at=at,
                actor=actor,
                action=action,
                from_state=state,
                to_state=after,
                note=note,
            )
        )
        state = OrderState(after)
    order.state = state
    order.save()
    for event in events:
        event.order = order
    OrderEvent.objects.bulk_create(events)
    return order


def _orders(now: datetime) -> int:
    """Orders in each state, issued by the demo's town officials and the operator."""
    chengguan, tiandu = _user("town_chengguan"), _user("town_tiandu")
    operator = _user("operator")
    worker_xiguan, worker_tiandu = _user("grid_xiguan_01"), _user("grid_tiandu_01")
    village_tiandu = _user("village_tiandu")
    if (
        chengguan is None
        or tiandu is None
        or operator is None
        or worker_xiguan is None
        or worker_tiandu is None
        or village_tiandu is None
    ):
        return 0
    names = dict(
        Region.objects.filter(region_code__in=[XIGUAN, TIANDU, TIANDU_VILLAGE]).values_list(
            "region_code", "name"
        )
    )
    today = timezone.localdate(now)
    prefix = f"DB{today:%Y%m%d}"
    made = [
        # Waits on the worker: their reports are few this month.
        _order(
            number=f"{prefix}0001",
            target=OrderTarget.WORKER,
            region_code=XIGUAN + "001",
            subject_name=worker_xiguan.display_name or worker_xiguan.username,
            request="本月上报事件偏少，请加强网格巡查，每周至少巡查三次并及时上报。",
            issued_by=chengguan,
            issued_at=now - timedelta(days=2),
            deadline_on=today + timedelta(days=5),
            addressee=worker_xiguan,
        ),
        # Answered by the village: waits on the street's official to review.
        _order(
            number=f"{prefix}0002",
            target=OrderTarget.UNIT,
            region_code=XIGUAN,
            subject_name=names.get(XIGUAN, XIGUAN),
            request="重点人群走访率偏低，请制定走访计划并落实到人。",
            issued_by=chengguan,
            issued_at=now - timedelta(days=6),
            deadline_on=today + timedelta(days=1),
            addressee_code=XIGUAN,
            steps=(("respond", "responded", "已制定走访计划，本周完成全部重点户走访。", None),),
        ),
        # Closed on the worker's answer.
        _order(
            number=f"{prefix}0003",
            target=OrderTarget.WORKER,
            region_code=TIANDU_VILLAGE + "001",
            subject_name=worker_tiandu.display_name or worker_tiandu.username,
            request="上月超期案件较多，请说明原因并整改。",
            issued_by=tiandu,
            issued_at=now - timedelta(days=20),
            deadline_on=today - timedelta(days=10),
            addressee=worker_tiandu,
            steps=(
                ("respond", "responded", "已逐件说明原因，超期案件均已办结。", worker_tiandu),
                ("close", "closed", "同意办结。", None),
            ),
        ),
        # Sent back to the village, waiting on its secretary again.
        _order(
            number=f"{prefix}0004",
            target=OrderTarget.UNIT,
            region_code=TIANDU_VILLAGE,
            subject_name=names.get(TIANDU_VILLAGE, TIANDU_VILLAGE),
            request="群众满意度偏低，请组织回访并报告整改情况。",
            issued_by=tiandu,
            issued_at=now - timedelta(days=9),
            deadline_on=today + timedelta(days=3),
            addressee_code=TIANDU_VILLAGE,
            steps=(
                ("respond", "responded", "已回访。", village_tiandu),
                ("return", "open", "请附回访名单和整改措施。", None),
            ),
        ),
        # Withdrawn by the operator.
        _order(
            number=f"{prefix}0005",
            target=OrderTarget.UNIT,
            region_code=TIANDU,
            subject_name=names.get(TIANDU, TIANDU),
            request="请核实辖区矛盾纠纷排查台账。",
            issued_by=operator,
            issued_at=now - timedelta(days=15),
            deadline_on=today - timedelta(days=5),
            addressee_code=TIANDU,
            steps=(("withdraw", "withdrawn", "已在联席会议上落实，撤回。", None),),
        ),
    ]
    # A late case in the street: the first by number still being worked past its deadline.
    late = (
        Case.objects.filter(
            town_code=CHENGGUAN,
            state__in=[s.value for s in WORKING_STATES],
            due_at__lt=now - timedelta(days=3),
        )
        .order_by("number")
        .first()
    )
    if late is not None:
        made.append(
            _order(
                number=f"{prefix}0006",
                target=OrderTarget.CASE,
                region_code=late.region_code,
                subject_name=f"{late.number} {late.title}",
                request="该案件已超期，请三日内办结并报告。",
                issued_by=chengguan,
                issued_at=now - timedelta(days=3),
                deadline_on=today - timedelta(days=1),
                addressee=late.assignee,
                addressee_code="" if late.assignee_id else late.handling_code,
                case_number=late.number,
            )
        )
    return len(made)


def _packages(now: datetime) -> int:
    """The demo officials' packages: each town official answers for a village and the first open
    risk of their town, the street's official for a case still open; the county leader for
    天度镇."""
    rows = []

    def add(official: User | None, kind: str, code: str, label: str, **extra: object) -> None:
        if official is None:
            return
        row = Responsibility(
            official=official,
            kind=kind,
            label=label[:160],
            assigned_by=_user("county_leader") or official,
            assigned_at=now - timedelta(days=30),
            **extra,
        )
        row.set_region_code(code)
        rows.append(row)

    names = dict(
        Region.objects.filter(region_code__in=[XIGUAN, TIANDU_VILLAGE, TIANDU]).values_list(
            "region_code", "name"
        )
    )
    chengguan, tiandu = _user("town_chengguan"), _user("town_tiandu")
    add(chengguan, PackageKind.REGION, XIGUAN, names.get(XIGUAN, ""))
    add(tiandu, PackageKind.REGION, TIANDU_VILLAGE, names.get(TIANDU_VILLAGE, ""))
    add(_user("county_leader"), PackageKind.REGION, TIANDU, names.get(TIANDU, ""))
    for official, town in ((chengguan, CHENGGUAN), (tiandu, TIANDU)):
        risk = (
            Risk.objects.filter(town_code=town)
            .exclude(status=RiskStatus.RESOLVED)
            .order_by("region_code", "id")
            .first()
        )
        if risk is not None:
            add(official, PackageKind.RISK, risk.region_code, risk.title, risk_id=risk.pk)
    late = (
        Case.objects.filter(town_code=CHENGGUAN, state__in=[s.value for s in WORKING_STATES])
        .order_by("number")
        .last()
    )
    if late is not None:
        add(
            chengguan,
            PackageKind.CASE,
            late.region_code,
            f"{late.number} {late.title}",
            case_number=late.number,
        )
    Responsibility.objects.bulk_create(rows)
    return len(rows)


def load(build: DemoBuild, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    build.summary.home_visits += _visits(build, now)
    for month in _months(timezone.localdate(now)):
        scores_compute(month=month, now=now)
    build.summary.scores = Score.objects.count()
    build.summary.supervision_orders = _orders(now)
    build.summary.package_responsibilities = _packages(now)


__all__ = ["load"]
