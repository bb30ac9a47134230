"""The demo's risk register and joint meetings, consistent with the demo's places, officials and
dispute cases: hidden dangers in some villages of every town (a few red and orange ones the
county sees at once, more yellow and blue), each with the official who answers for it, its
related disputes, its follow-ups (some due this week, some overdue) and, once resolved, when;
and a monthly joint meeting in every town on the last three months' analysis, with the risks
and cases it discussed and the follow-up tasks it gave out."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import numpy as np
from django.utils import timezone

from gridgov.accounts.models import RoleAssignment
from gridgov.core.access import Role
from gridgov.demo import names
from gridgov.mediation.models import (
    RISK_LEVEL_ORDER,
    JointMeeting,
    MediationFile,
    MeetingTask,
    Risk,
    RiskFollowUp,
    RiskKind,
    RiskLevel,
    RiskStatus,
)
from gridgov.regions.models import Region

if TYPE_CHECKING:
    from gridgov.demo.county import DemoBuild

RISKS_PER_TOWN = (5, 10)  # at least, at most
LEVEL_WEIGHTS = {
    RiskLevel.RED: 0.04,
    RiskLevel.ORANGE: 0.12,
    RiskLevel.YELLOW: 0.34,
    RiskLevel.BLUE: 0.50,
}
PEOPLE_BY_LEVEL = {
    RiskLevel.RED: (60, 300),
    RiskLevel.ORANGE: (20, 80),
    RiskLevel.YELLOW: (6, 30),
    RiskLevel.BLUE: (2, 10),
}
# What the danger is, by kind: {village} is the village's name.
TITLES: dict[str, tuple[str, ...]] = {
    RiskKind.LAND: ("{village}征地补偿款分配争议", "{village}宅基地确权边界纠纷"),
    RiskKind.LABOUR: ("{village}建筑工地农民工欠薪", "{village}果品加工厂拖欠季节工工资"),
    RiskKind.COLLECTIVE: ("{village}村民联名反映道路修建问题", "{village}群众对养殖场异味集中投诉"),
    RiskKind.FINANCE: ("{village}疑似非法集资苗头", "{village}合作社分红款迟迟未兑现"),
    RiskKind.FAMILY: ("{village}两户邻里纠纷反复激化", "{village}赡养纠纷可能引发民转刑"),
    RiskKind.SAFETY: ("{village}废弃厂房安全隐患", "{village}河道采砂引发矛盾"),
    RiskKind.OTHER: ("{village}村务公开引发质疑",),
}
MEASURES = (
    "包抓干部每周走访当事人，村调委会跟进调解，及时掌握思想动态。",
    "镇综治中心牵头，联合司法所、派出所制定稳控方案，落实专人盯守。",
    "网格员每日巡查，发现异常立即上报，相关部门限期答复群众诉求。",
)
FOLLOW_UP_NOTES = (
    "走访当事人，情绪平稳，诉求已转交相关部门。",
    "召开协调会，双方同意继续协商，暂无激化迹象。",
    "相关部门已答复，群众基本认可，继续跟踪。",
)
RESOLVED_NOTE = "诉求已解决，当事人签字确认，隐患销号。"
FOLLOW_UP_EVERY = timedelta(days=14)
MEETING_MONTHS = 3


def _officials(role: str) -> dict[str, int]:
    """The first active holder of `role` at each region of the demo county."""
    found: dict[str, int] = {}
    for code, user_id in (
        RoleAssignment.objects.filter(role=role, county_code=names.COUNTY_CODE, is_active=True)
        .order_by("region_code", "user_id")
        .values_list("region_code", "user_id")
    ):
        found.setdefault(code, user_id)
    return found


def _disputes_by_village() -> dict[str, list[int]]:
    """The dispute cases (those with a mediation file) of each village, oldest first."""
    found: dict[str, list[int]] = {}
    for village, case_id in (
        MediationFile.objects.filter(county_code=names.COUNTY_CODE)
        .order_by("created_at", "id")
        .values_list("village_code", "case_id")
    ):
        found.setdefault(village, []).append(case_id)
    return found


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def create_risks(build: DemoBuild, *, now: datetime | None = None) -> None:
    """Risks in 5 to 10 villages of every town, found over the past year."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rng = np.random.default_rng([build.seed, 11])
    town_officials = _officials(Role.TOWN_OFFICIAL)
    secretaries = _officials(Role.VILLAGE_SECRETARY)
    disputes = _disputes_by_village()
    villages: dict[str, list[Region]] = {}
    for village in Region.objects.filter(county_code=names.COUNTY_CODE, level="village").order_by(
        "region_code"
    ):
        villages.setdefault(village.town_code, []).append(village)
    levels, weights = list(LEVEL_WEIGHTS), np.array(list(LEVEL_WEIGHTS.values()))
    kinds = list(TITLES)
    risks: list[Risk] = []
    related: list[list[int]] = []
    for town_number, (town_code, places) in enumerate(sorted(villages.items())):
        count = min(len(places), int(rng.integers(RISKS_PER_TOWN[0], RISKS_PER_TOWN[1] + 1)))
        for order, index in enumerate(rng.choice(len(places), size=count, replace=False)):
            village = places[int(index)]
            drawn = levels[int(rng.choice(len(levels), p=weights / weights.sum()))]
            # Each town's first danger takes the levels in turn, so that the county always has
            # one of each (a red one is rare by weight, and the command centre shows it first).
            level = levels[town_number % len(levels)] if order == 0 else drawn
            kind = kinds[int(rng.integers(len(kinds)))]
            titles = TITLES[kind]
            # The town answers for red and orange dangers; the village for the rest.
            urgent = level in (RiskLevel.RED, RiskLevel.ORANGE)
            responsible = town_officials[town_code] if urgent else secretaries[village.region_code]
            found = now - timedelta(days=int(rng.integers(3, 360)), hours=int(rng.integers(0, 9)))
            age = (now - found).days
            # Older dangers have more often been dealt with; a recent one is still watched.
            resolved = age > 60 and rng.random() < 0.6
            status = (
                RiskStatus.RESOLVED
                if resolved
                else RiskStatus.CONTROLLED
                if age > 30 and rng.random() < 0.4
                else RiskStatus.MONITORING
            )
            low, high = PEOPLE_BY_LEVEL[level]
            risk = Risk(
                title=titles[int(rng.integers(len(titles)))].format(village=village.name)[:120],
                kind=kind,
                level=level,
                people_involved=int(rng.integers(low, high + 1)),
                description=f"{village.name}网格员排查发现，涉及群众诉求未得到及时回应，存在矛盾激化风险。",
                control_measures=MEASURES[int(rng.integers(len(MEASURES)))],
                status=status,
                responsible_id=responsible,
                raised_by_id=responsible,
                created_at=found,
                updated_at=found,
            )
            risk.set_region_code(village.region_code)
            risks.append(risk)
            cases = disputes.get(village.region_code, [])
            take = min(len(cases), int(rng.integers(0, 3)))
            related.append(
                [cases[int(i)] for i in rng.choice(len(cases), size=take, replace=False)]
            )
    Risk.objects.bulk_create(risks, batch_size=1000)
    follow_ups: list[RiskFollowUp] = []
    for risk in risks:
        found = risk.created_at
        found_on = timezone.localdate(found)
        if risk.status == RiskStatus.RESOLVED:
            # Checked every fortnight for one to four fortnights, then struck off.
            last = min(found_on + FOLLOW_UP_EVERY * int(rng.integers(1, 5)), today)
        else:
            # Checked up to a few days ago: the next check falls in the coming fortnight, or
            # (when the last was more than a fortnight ago) is already overdue.
            last = today - timedelta(days=int(rng.integers(0, 10)))
        due = found_on + FOLLOW_UP_EVERY
        done: list[RiskFollowUp] = []
        checked_at = risk.created_at
        while due <= last:
            checked_at = _at(due, 10)
            done.append(
                RiskFollowUp(
                    risk=risk,
                    due_on=due,
                    done_at=checked_at,
                    note=FOLLOW_UP_NOTES[int(rng.integers(len(FOLLOW_UP_NOTES)))],
                    actor_id=risk.responsible_id,
                )
            )
            due += FOLLOW_UP_EVERY
        if risk.status == RiskStatus.RESOLVED:
            if done:
                done[-1].note = RESOLVED_NOTE
            risk.resolved_at = risk.updated_at = checked_at if done else found + FOLLOW_UP_EVERY
        else:
            risk.next_follow_up_on = due
            risk.updated_at = checked_at
            done.append(RiskFollowUp(risk=risk, due_on=due))
        follow_ups += done
    Risk.objects.bulk_update(risks, ["resolved_at", "updated_at", "next_follow_up_on"], 1000)
    RiskFollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    through = Risk.cases.through
    through.objects.bulk_create(
        [
            through(risk_id=risk.pk, case_id=case_id)
            for risk, case_ids in zip(risks, related, strict=True)
            for case_id in case_ids
        ],
        batch_size=2000,
    )
    build.summary.risks = len(risks)


def _month_start(day: date, back: int) -> date:
    month = day.month - back
    year = day.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def create_meetings(build: DemoBuild, *, now: datetime | None = None) -> None:
    """A joint meeting in every town at the start of each of the last three months, on the
    month before: the town's open risks and a few of its disputes, the decisions, and tasks for
    its village secretaries (the latest month's still open)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rng = np.random.default_rng([build.seed, 12])
    town_officials = _officials(Role.TOWN_OFFICIAL)
    secretaries = _officials(Role.VILLAGE_SECRETARY)
    towns = Region.objects.filter(county_code=names.COUNTY_CODE, level="town").order_by(
        "region_code"
    )
    meetings: list[JointMeeting] = []
    discussed: list[tuple[list[int], list[int]]] = []
    tasks: list[MeetingTask] = []
    for back in range(MEETING_MONTHS, 0, -1):
        since = _month_start(today, back)
        until = _month_start(today, back - 1) - timedelta(days=1)
        held_on = until + timedelta(days=int(rng.integers(3, 8)))
        if held_on > today:
            held_on = today
        for town in towns:
            chair = town_officials[town.region_code]
            # The town's dangers open during the month, the most severe first.
            candidates = Risk.objects.filter(
                town_code=town.region_code, created_at__date__lte=until
            ).exclude(resolved_at__date__lt=since)
            risks = sorted(
                candidates.values_list("level", "id", "village_code"),
                key=lambda row: (RISK_LEVEL_ORDER[row[0]], -row[1]),
            )[:5]
            cases = list(
                MediationFile.objects.filter(
                    town_code=town.region_code,
                    created_at__date__gte=since,
                    created_at__date__lte=until,
                )
                .order_by("-created_at")
                .values_list("case_id", flat=True)[:3]
            )
            meeting = JointMeeting(
                since=since,
                until=until,
                held_on=held_on,
                attendees=f"{town.name}党委副书记、综治中心主任、司法所长、派出所长、各村（社区）调委会主任",
                decisions=(
                    f"通报{since:%Y年%m月}矛盾纠纷研判情况；对重点隐患逐一明确包抓领导和化解时限；"
                    "对调解不成的纠纷依法引导至行政调解或诉调对接。"
                ),
                recorded_by_id=chair,
                created_at=_at(held_on, 17),
            )
            meeting.set_region_code(town.region_code)
            meetings.append(meeting)
            discussed.append(([risk_id for _level, risk_id, _v in risks], cases))
            for _level, _risk_id, village in risks[:2]:
                due_on = held_on + timedelta(days=int(rng.integers(10, 25)))
                done = due_on < today and rng.random() < 0.85
                tasks.append(
                    MeetingTask(
                        meeting=meeting,
                        description="入户走访当事人，落实稳控措施并报告进展",
                        owner_id=secretaries.get(village, chair),
                        due_on=due_on,
                        done_at=_at(due_on - timedelta(days=2), 16) if done else None,
                    )
                )
    JointMeeting.objects.bulk_create(meetings, batch_size=500)
    for task in tasks:
        task.meeting_id = task.meeting.pk
    MeetingTask.objects.bulk_create(tasks, batch_size=1000)
    risk_links = JointMeeting.risks.through
    case_links = JointMeeting.cases.through
    risk_links.objects.bulk_create(
        [
            risk_links(jointmeeting_id=meeting.pk, risk_id=risk_id)
            for meeting, (risk_ids, _cases) in zip(meetings, discussed, strict=True)
            for risk_id in risk_ids
        ]
    )
    case_links.objects.bulk_create(
        [
            case_links(jointmeeting_id=meeting.pk, case_id=case_id)
            for meeting, (_risks, case_ids) in zip(meetings, discussed, strict=True)
            for case_id in case_ids
        ]
    )
    build.summary.joint_meetings = len(meetings)


def load(build: DemoBuild) -> None:
    """The demo step: the risk register, then the towns' joint meetings on it."""
    create_risks(build)
    create_meetings(build)
