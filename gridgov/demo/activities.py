"""The demo's front-line activities: the grid workers' patrols of their own grids over the last
months (check-ins at points the locator places in the grid, and a patrol on each day a worker
reported a grid-patrol case, linked to the cases), a few household visits each, safety publicity
and public-security prevention in every village each month, mediation activities for held
sessions of the demo's mediation files, and the year's law education: lectures in schools by
their vice-principals for the rule of law and talks by the county's lecture group.

Runs before the assessment step, so the demo's monthly scores count these records. Deterministic
for any load date: every worker and month makes the same draws whatever the day (a day is a drawn
fraction of the days the month has had), and what would lie after now is dropped, not redrawn."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import numpy as np
import shapely
from django.utils import timezone

from gridgov.accounts.models import RoleAssignment
from gridgov.activities.models import Activity, ActivityKind, CheckIn
from gridgov.assessment.services.scoring import month_start, next_month
from gridgov.cases.models import Case, Channel
from gridgov.core.access import Role
from gridgov.demo import names
from gridgov.mediation.models import MediationSession
from gridgov.people.models import HomeVisit, Household, Organisation
from gridgov.regions.geometry import to_shape
from gridgov.regions.locator import Locator, current_version
from gridgov.regions.models import Region
from gridgov.teams.models import TeamKind, TeamMember

if TYPE_CHECKING:
    from gridgov.demo.county import DemoBuild

# The routine work is logged for the last months, this one included; law education and mediation
# for the year (the seed counts the year's law-education events).
MONTHS = 3
# Routine patrols a worker may walk in a month: each is walked with the worker's diligence.
ROUTINE_MAX = 8
CHECK_INS = 3
# Points drawn in each grid, from which a patrol's check-ins are picked.
POINTS_PER_GRID = 12
VISITS_EACH = 3
LAW_EVENTS = 90
SCHOOL_LECTURES = 60
MEDIATION_MAX = 150

PATROL_TOPICS = ("日常巡查", "重点部位巡查", "夜间治安巡查", "安全隐患排查")
PATROL_OUTCOMES = ("巡查正常，未发现异常", "发现问题已现场处置", "提醒群众注意防火防盗")
VISIT_FOUND = ("家中一切正常", "了解了家庭近况", "反映道路照明不足", "宣传了防诈骗知识")
PUBLICITY_TOPICS = ("防溺水安全宣传", "冬季防火安全宣传", "交通安全宣传", "防范电信诈骗宣传")
PREVENTION_TOPICS = ("群防群治夜间巡逻", "重点场所治安检查", "平安志愿者联防", "校园周边治安整治")
LAW_TOPICS = (
    "宪法进校园",
    "未成年人保护法宣讲",
    "防范校园欺凌",
    "民法典进乡村",
    "反家庭暴力法宣讲",
)


@dataclass
class _Made:
    """The rows to write, with each activity's participants, team members and cases."""

    activities: list[Activity] = field(default_factory=list)
    participants: list[list[int]] = field(default_factory=list)
    members: list[list[int]] = field(default_factory=list)
    cases: list[list[int]] = field(default_factory=list)
    check_ins: list[list[CheckIn]] = field(default_factory=list)

    def add(
        self,
        activity: Activity,
        *,
        people: list[int],
        members: list[int] | None = None,
        cases: list[int] | None = None,
        check_ins: list[CheckIn] | None = None,
    ) -> None:
        self.activities.append(activity)
        self.participants.append(people)
        self.members.append(members or [])
        self.cases.append(cases or [])
        self.check_ins.append(check_ins or [])

    def write(self) -> int:
        Activity.objects.bulk_create(self.activities, batch_size=2000)
        through_people = Activity.participants.through
        through_members = Activity.team_members.through
        through_cases = Activity.cases.through
        people, members, cases, points = [], [], [], []
        for index, activity in enumerate(self.activities):
            people += [
                through_people(activity_id=activity.pk, user_id=user_id)
                for user_id in self.participants[index]
            ]
            members += [
                through_members(activity_id=activity.pk, teammember_id=member_id)
                for member_id in self.members[index]
            ]
            cases += [
                through_cases(activity_id=activity.pk, case_id=case_id)
                for case_id in self.cases[index]
            ]
            for check_in in self.check_ins[index]:
                check_in.activity = activity
                points.append(check_in)
        through_people.objects.bulk_create(people, batch_size=5000)
        through_members.objects.bulk_create(members, batch_size=5000)
        through_cases.objects.bulk_create(cases, batch_size=5000)
        CheckIn.objects.bulk_create(points, batch_size=5000)
        return len(points)


def _months(today: date, count: int) -> list[date]:
    """The last `count` months, oldest first, ending with this one."""
    months = [month_start(today)]
    while len(months) < count:
        months.insert(0, month_start(months[0] - timedelta(days=1)))
    return months


def _at(day: date, hours: float) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min)) + timedelta(hours=hours)


def _grid_points(
    rng: np.random.Generator, grids: list[str]
) -> dict[str, list[tuple[float, float, str]]]:
    """For each grid, points inside it (rounded like a phone's fix) with the (micro-)grid the
    locator places each in; a point the locator places in another grid is dropped."""
    shapes_by_code = {
        code: to_shape(boundary)
        for code, boundary in Region.objects.filter(region_code__in=grids, boundary__isnull=False)
        .order_by("region_code")
        .values_list("region_code", "boundary")
        if boundary
    }
    codes = [code for code in grids if code in shapes_by_code]
    shapes = np.array([shapes_by_code[code] for code in codes], dtype=object)
    owners = np.repeat(np.arange(len(codes)), POINTS_PER_GRID)
    bounds = shapely.bounds(shapes)[owners]
    lng, lat = np.zeros(len(owners)), np.zeros(len(owners))
    pending = np.arange(len(owners))
    for _attempt in range(100):
        if not len(pending):
            break
        box = bounds[pending]
        x = np.round(box[:, 0] + rng.random(len(pending)) * (box[:, 2] - box[:, 0]), 6)
        y = np.round(box[:, 1] + rng.random(len(pending)) * (box[:, 3] - box[:, 1]), 6)
        inside = shapely.contains_xy(shapes[owners[pending]], x, y)
        lng[pending[inside]], lat[pending[inside]] = x[inside], y[inside]
        pending = pending[~inside]
    located = Locator.from_database(current_version()).locate_many(lng, lat)
    points: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for index, where in enumerate(located):
        grid = codes[owners[index]]
        if where is not None and where.grid_code == grid:
            points[grid].append((float(lng[index]), float(lat[index]), where.region_code))
    return points


def _check_in(at: datetime, point: tuple[float, float, str], note: str = "") -> CheckIn:
    lng, lat, region_code = point
    check_in = CheckIn(at=at, latitude=lat, longitude=lng, accuracy_m=15, note=note)
    check_in.set_region_code(region_code)
    return check_in


def _patrols(made: _Made, rng: np.random.Generator, workers: dict[str, int], now: datetime) -> None:
    """Routine patrols with the worker's diligence, and a patrol on each day they reported a
    grid-patrol case (linked to it), in place of a routine one that day."""
    today = timezone.localdate(now)
    months = _months(today, MONTHS)
    grids = sorted(workers)
    diligence = 0.35 + 0.6 * rng.random(len(grids))
    points = _grid_points(rng, grids)
    since = _at(months[0], 0)
    reported: dict[tuple[int, date], list[Case]] = defaultdict(list)
    for case in (
        Case.objects.filter(
            channel=Channel.GRID_PATROL,
            reporter_id__in=list(workers.values()),
            created_at__gte=since,
            created_at__lte=now,
        )
        .only("id", "number", "created_at", "latitude", "longitude", "region_code", "reporter_id")
        .order_by("created_at", "id")
    ):
        assert case.reporter_id is not None
        reported[(case.reporter_id, timezone.localdate(case.created_at))].append(case)
    for month in months:
        last = next_month(month) - timedelta(days=1)
        days = (min(last, today) - month).days + 1
        # The same draws for every worker and month, whatever the day of loading.
        shape = (len(grids), ROUTINE_MAX)
        coins, fractions = rng.random(shape), rng.random(shape)
        starts, lengths = rng.random(shape), rng.random(shape)
        picks = rng.integers(0, POINTS_PER_GRID, (*shape, CHECK_INS))
        topics = rng.integers(0, len(PATROL_TOPICS), shape)
        outcomes = rng.integers(0, len(PATROL_OUTCOMES), shape)
        for row, grid in enumerate(grids):
            user_id, pool = workers[grid], points.get(grid, [])
            if not pool:
                continue
            walked: set[date] = set()
            for column in range(ROUTINE_MAX):
                day = month + timedelta(days=int(fractions[row, column] * days))
                if coins[row, column] >= diligence[row] or day in walked:
                    continue
                started = _at(day, 8 + 10 * starts[row, column])
                ended = started + timedelta(minutes=40 + int(80 * lengths[row, column]))
                if ended > now or (user_id, day) in reported:
                    continue
                walked.add(day)
                step = (ended - started) / CHECK_INS
                chosen = [pool[int(i) % len(pool)] for i in picks[row, column]]
                patrol = Activity(
                    kind=ActivityKind.PATROL,
                    topic=PATROL_TOPICS[int(topics[row, column])],
                    started_at=started,
                    ended_at=ended,
                    recorded_by_id=user_id,
                    outcome=PATROL_OUTCOMES[int(outcomes[row, column])],
                    created_at=started,
                )
                patrol.set_region_code(grid)
                made.add(
                    patrol,
                    people=[user_id],
                    check_ins=[
                        _check_in(started + step * (n + 0.5), p) for n, p in enumerate(chosen)
                    ],
                )
    # The days a problem was found: the patrol around the reports, a check-in where each was.
    grid_of = {user_id: grid for grid, user_id in workers.items()}
    for (user_id, _day), found in sorted(reported.items(), key=lambda item: item[1][0].pk):
        grid = grid_of[user_id]
        pool = points.get(grid, [])
        started = found[0].created_at - timedelta(minutes=35)
        ended = min(found[-1].created_at + timedelta(minutes=25), now)
        visited: list[CheckIn] = [_check_in(started, pool[0])] if pool else []
        for case in found:
            if case.latitude is not None and case.longitude is not None:
                point = (case.longitude, case.latitude, case.region_code)
                visited.append(_check_in(case.created_at, point, note=case.number))
        patrol = Activity(
            kind=ActivityKind.PATROL,
            topic=PATROL_TOPICS[0],
            started_at=started,
            ended_at=ended,
            recorded_by_id=user_id,
            outcome=f"发现问题{len(found)}处，已上报",
            created_at=started,
        )
        patrol.set_region_code(grid)
        made.add(patrol, people=[user_id], cases=[c.pk for c in found], check_ins=visited)


def _visits(made: _Made, rng: np.random.Generator, workers: dict[str, int], now: datetime) -> int:
    """A few visits by each worker to households of their grid, each logged as service
    management (as a visit recorded on the phone is)."""
    today = timezone.localdate(now)
    first = _months(today, MONTHS)[0]
    span = (today - first).days + 1
    households: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for household_id, grid, region_code, address in (
        Household.objects.filter(grid_code__in=list(workers))
        .order_by("grid_code", "id")
        .values_list("id", "grid_code", "region_code", "address")
    ):
        households[grid].append((household_id, region_code, address))
    visits: list[tuple[HomeVisit, int]] = []
    for grid in sorted(workers):
        picks = rng.integers(0, 1 << 30, VISITS_EACH)
        fractions = rng.random(VISITS_EACH)
        found = rng.integers(0, len(VISIT_FOUND), VISITS_EACH)
        choices = households.get(grid, [])
        for n in range(VISITS_EACH if choices else 0):
            household_id, region_code, _address = choices[int(picks[n]) % len(choices)]
            visit = HomeVisit(
                household_id=household_id,
                visited_on=first + timedelta(days=int(fractions[n] * span)),
                visited_by_id=workers[grid],
                found=VISIT_FOUND[int(found[n])],
            )
            visit.set_region_code(region_code)
            visits.append((visit, n))
    HomeVisit.objects.bulk_create([visit for visit, _ in visits], batch_size=2000)
    addresses = {h: a for rows in households.values() for h, _r, a in rows}
    for visit, n in visits:
        user_id = visit.visited_by_id
        assert user_id is not None
        # A visit records its day, not its hour: the morning, or earlier today.
        started = min(_at(visit.visited_on, 9 + 2 * n), now - timedelta(minutes=30))
        activity = Activity(
            kind=ActivityKind.SERVICE_MANAGEMENT,
            started_at=started,
            place=addresses[visit.household_id][:200],
            recorded_by_id=user_id,
            audience=1,
            outcome=visit.found,
            visit=visit,
            created_at=started,
        )
        activity.set_region_code(visit.region_code)
        made.add(activity, people=[user_id])
    return len(visits)


def _village_work(
    made: _Made,
    rng: np.random.Generator,
    recorders: dict[str, int],
    volunteers: dict[str, list[int]],
    now: datetime,
) -> None:
    """Each month in every village: a safety publicity and a public-security prevention, by the
    village's grid worker with a few of its volunteers."""
    today = timezone.localdate(now)
    villages = sorted(recorders)
    for month in _months(today, MONTHS):
        last = next_month(month) - timedelta(days=1)
        days = (min(last, today) - month).days + 1
        for kind, topics in (
            (ActivityKind.SAFETY_PUBLICITY, PUBLICITY_TOPICS),
            (ActivityKind.SECURITY_PREVENTION, PREVENTION_TOPICS),
        ):
            shape = len(villages)
            fractions, hours = rng.random(shape), rng.random(shape)
            audiences, picks = rng.integers(15, 160, shape), rng.integers(0, 1 << 30, shape)
            chosen = rng.integers(0, len(topics), shape)
            for row, village in enumerate(villages):
                day = month + timedelta(days=int(fractions[row] * days))
                started = _at(day, 9 + 8 * hours[row])
                if started + timedelta(hours=2) > now:
                    started = now - timedelta(hours=2)
                team = volunteers.get(village, [])
                helpers = (
                    [team[(int(picks[row]) + k) % len(team)] for k in range(3)] if team else []
                )
                activity = Activity(
                    kind=kind,
                    topic=topics[int(chosen[row])],
                    started_at=started,
                    ended_at=started + timedelta(hours=2),
                    place="村委会广场" if kind == ActivityKind.SAFETY_PUBLICITY else "村内主要路段",
                    recorded_by_id=recorders[village],
                    audience=int(audiences[row]),
                    outcome="活动顺利开展",
                    created_at=started,
                )
                activity.set_region_code(village)
                made.add(activity, people=[recorders[village]], members=sorted(set(helpers)))


def _mediation(made: _Made, now: datetime) -> None:
    """A mediation activity for the held sessions of the demo's files, the latest first, by the
    mediator who held it, where the dispute arose."""
    since = now - timedelta(days=365)
    sessions = (
        MediationSession.objects.filter(held_at__gte=since, held_at__lte=now)
        .select_related("file")
        .order_by("-held_at", "-id")[:MEDIATION_MAX]
    )
    for session in sessions:
        assert session.held_at is not None
        file = session.file
        activity = Activity(
            kind=ActivityKind.DISPUTE_MEDIATION,
            topic=f"调解{file.number}",
            started_at=session.held_at,
            ended_at=min(session.held_at + timedelta(hours=1, minutes=30), now),
            place=session.place[:200],
            recorded_by_id=session.created_by_id,
            audience=2,
            outcome="已召开调解会，记录在卷",
            mediation_file_number=file.number,
            created_at=session.held_at,
        )
        activity.set_region_code(file.region_code)
        made.add(activity, people=[session.created_by_id])


def _law_education(
    made: _Made,
    rng: np.random.Generator,
    recorders: dict[str, int],
    lecturers: list[int],
    now: datetime,
) -> None:
    """The year's law education: lectures in village schools by each school's vice-principal
    for the rule of law, and talks in villages by the county's lecture group."""
    schools = list(
        Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, village_code__in=recorders)
        .order_by("region_code", "id")
        .values_list("village_code", "name")
    )
    towns = dict(
        Region.objects.filter(county_code=names.COUNTY_CODE, level="town").values_list(
            "region_code", "name"
        )
    )
    villages = sorted(recorders)
    # A year's days, oldest first; each event takes a drawn day of it.
    days = rng.random(LAW_EVENTS)
    hours = rng.random(LAW_EVENTS)
    audiences = rng.integers(40, 400, LAW_EVENTS)
    topics = rng.integers(0, len(LAW_TOPICS), LAW_EVENTS)
    places = rng.integers(0, 1 << 30, LAW_EVENTS)
    vice_principals = [names.person_name(rng) for _ in range(LAW_EVENTS)]
    for index in range(LAW_EVENTS):
        in_school = index < SCHOOL_LECTURES and bool(schools)
        if in_school:
            village, school_name = schools[int(places[index]) % len(schools)]
            school = f"{towns.get(village[:9], '')}{school_name}"
        else:
            village, school = villages[int(places[index]) % len(villages)], ""
        started = now - timedelta(days=1 + int(days[index] * 364), hours=4 * hours[index])
        helpers = [lecturers[(index + k) % len(lecturers)] for k in range(2)] if lecturers else []
        activity = Activity(
            kind=ActivityKind.LAW_EDUCATION,
            topic=LAW_TOPICS[int(topics[index])],
            started_at=started,
            ended_at=started + timedelta(hours=1, minutes=30),
            place=school or "村文化活动室",
            recorded_by_id=recorders[village],
            audience=int(audiences[index]),
            outcome="宣讲完成，发放宣传资料",
            school=school,
            lecturer=f"{vice_principals[index]}（法治副校长）" if in_school else "",
            created_at=started,
        )
        activity.set_region_code(village)
        made.add(
            activity,
            people=[recorders[village]],
            members=[] if in_school else sorted(set(helpers)),
        )


def load(build: DemoBuild, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    rng = np.random.default_rng([build.seed, 6])
    workers: dict[str, int] = {}
    for grid, user_id in (
        RoleAssignment.objects.filter(
            county_code=names.COUNTY_CODE, role=Role.GRID_WORKER, is_active=True
        )
        .order_by("region_code", "user_id")
        .values_list("region_code", "user_id")
    ):
        workers.setdefault(grid, user_id)
    # A village's work is recorded by the worker of its first grid.
    recorders: dict[str, int] = {}
    for grid in sorted(workers):
        recorders.setdefault(grid[:12], workers[grid])
    volunteers: dict[str, list[int]] = defaultdict(list)
    lecturers: list[int] = []
    for member_id, kind, village in (
        TeamMember.objects.filter(
            team__kind__in=[TeamKind.VOLUNTEERS, TeamKind.LECTURERS], user__isnull=True
        )
        .order_by("region_code", "id")
        .values_list("id", "team__kind", "village_code")
    ):
        if kind == TeamKind.LECTURERS:
            lecturers.append(member_id)
        elif village:
            volunteers[village].append(member_id)
    made = _Made()
    _patrols(made, rng, workers, now)
    # The assessment step adds its own visits to the same count.
    build.summary.home_visits += _visits(made, rng, workers, now)
    _village_work(made, rng, recorders, volunteers, now)
    _mediation(made, now)
    _law_education(made, rng, recorders, lecturers, now)
    build.summary.check_ins = made.write()
    build.summary.activities = len(made.activities)


__all__ = ["load"]
