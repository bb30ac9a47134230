"""The demo's trainings: the county's and the towns' courses for the teams and trained groups,
112 sessions over the past year across the county and exactly 6,400 attendances in all (the
seed's "6,400 people trained"), most passing with a certificate; some certificates have expired
(the six-month courses of the first half of the year) and some expire soon.

Deterministic for any load date: the same draws whatever the day (a session's day is its place
in the year, counted back from the load), members picked from rosters ordered by place and name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

import numpy as np
from django.utils import timezone

from gridgov.demo import names
from gridgov.teams.models import TeamKind, TeamMember
from gridgov.trainings import rules
from gridgov.trainings.models import (
    Attendance,
    Certificate,
    CertificateCounter,
    Course,
    Session,
)

if TYPE_CHECKING:
    from gridgov.demo.county import DemoBuild

SESSIONS = 112
ATTENDANCES = 6400
# One in this many fails the course's test (scored below the pass mark, no certificate).
FAIL_ONE_IN = 12


@dataclass(frozen=True)
class CoursePlan:
    kind: str
    title: str
    hours: int
    validity_months: int
    # Where its sessions draw their trainees from: "town" (each town's own) or "county".
    level: str


# The county's courses; the towns run the first three for their own people.
COURSES = [
    CoursePlan(TeamKind.GRID_WORKERS, "网格员业务能力培训", 16, 12, "town"),
    CoursePlan(TeamKind.PARTY_MEMBERS, "党员先锋岗位培训", 8, 12, "town"),
    CoursePlan(TeamKind.VOLUNTEERS, "志愿服务应急救护培训", 6, 6, "town"),
    CoursePlan(TeamKind.LEGAL_UNDERSTANDERS, "法律明白人培训", 12, 24, "county"),
    CoursePlan(TeamKind.MEDIATORS, "人民调解员业务培训", 16, 24, "county"),
    CoursePlan(TeamKind.LECTURERS, "平安法治宣讲员培训", 8, 36, "county"),
]
TRAINER_TITLES = ("律师", "老师", "所长", "法官")
ADDRESSES = ("党群服务中心会议室", "综治中心培训室", "司法所会议室", "新时代文明实践站")


def _allocate(rng: np.random.Generator, room: list[int], total: int) -> list[int]:
    """Session sizes adding up to exactly `total`, each at most its roster (`room`): drawn
    around an even share, then trimmed or topped up one session at a time in a drawn order."""
    share = total / len(room)
    sizes = [min(r, max(1, int(rng.normal(share, share / 4)))) for r in room]
    order = [int(i) for i in rng.permutation(len(room))]
    step = 0
    while sum(sizes) != total:
        index = order[step % len(order)]
        step += 1
        if sum(sizes) < total and sizes[index] < room[index]:
            sizes[index] += 1
        elif sum(sizes) > total and sizes[index] > 1:
            sizes[index] -= 1
        if step > total * len(room):
            raise ValueError("the rosters are too small for the demo's trainings")
    return sizes


def load(build: DemoBuild) -> None:
    rng = np.random.default_rng([build.seed, 17])
    now = timezone.now()
    county = names.COUNTY_CODE
    towns = sorted(code for code, region in build.regions.items() if region.level == "town")
    # The rosters: kind -> town (or the county) -> member ids, by place and name.
    rosters: dict[str, dict[str, list[tuple[int, str]]]] = {}
    for pk, kind, town, region in (
        TeamMember.objects.filter(county_code=county, left_on__isnull=True)
        .order_by("region_code", "name", "id")
        .values_list("pk", "team__kind", "town_code", "region_code")
    ):
        by_place = rosters.setdefault(kind, {})
        by_place.setdefault(town or county, []).append((pk, region))
        if town:
            by_place.setdefault(county, []).append((pk, region))
    courses: dict[tuple[str, str], Course] = {}
    for plan in COURSES:
        for place in [county] + (towns if plan.level == "town" else []):
            course = Course(
                kind=plan.kind,
                title=plan.title,
                hours=plan.hours,
                validity_months=plan.validity_months,
                created_at=now - timedelta(days=400),
            )
            course.set_region_code(place)
            courses[(plan.kind, place)] = course
    Course.objects.bulk_create(courses.values())
    # The sessions: evenly over the past year, each a course and a place drawn in turn.
    plans: list[tuple[Course, str, list[tuple[int, str]]]] = []
    for _ in range(SESSIONS):
        plan = COURSES[int(rng.integers(len(COURSES)))]
        place = county if plan.level == "county" else towns[int(rng.integers(len(towns)))]
        if rng.random() < 0.2 and plan.level == "town":
            place = county  # the county's own session of a town course
        pool = rosters.get(plan.kind, {}).get(place, [])
        plans.append((courses[(plan.kind, place)], place, pool))
    sizes = _allocate(rng, [len(pool) for _, _, pool in plans], ATTENDANCES)
    sessions: list[Session] = []
    picks: list[list[tuple[int, str]]] = []
    today = timezone.localdate(now)
    for index, ((course, place, pool), size) in enumerate(zip(plans, sizes, strict=True)):
        days_ago = int(365 * (SESSIONS - index) / SESSIONS)
        day = today - timedelta(days=days_ago)
        starts = timezone.make_aware(datetime.combine(day, time(9 if index % 2 else 14, 0)))
        session = Session(
            course=course,
            starts_at=starts,
            ends_at=starts + timedelta(hours=min(course.hours, 6)),
            address=f"{build.regions[place].name}{ADDRESSES[index % len(ADDRESSES)]}",
            trainer=f"{names.person_name(rng)}{TRAINER_TITLES[index % len(TRAINER_TITLES)]}",
            capacity=int(np.ceil(size / 10) * 10),
            created_at=starts - timedelta(days=14),
        )
        session.set_region_code(place)
        sessions.append(session)
        chosen = sorted(int(i) for i in rng.choice(len(pool), size=size, replace=False))
        picks.append([pool[i] for i in chosen])
    Session.objects.bulk_create(sessions, batch_size=500)
    attendances: list[Attendance] = []
    for session, trainees in zip(sessions, picks, strict=True):
        scores = rng.integers(60, 101, size=len(trainees))
        fails = rng.integers(FAIL_ONE_IN, size=len(trainees)) == 0
        failed_scores = rng.integers(30, 60, size=len(trainees))
        for (member_id, region), score, failed, low in zip(
            trainees, scores, fails, failed_scores, strict=True
        ):
            row = Attendance(
                session=session,
                member_id=member_id,
                kind=session.course.kind,
                held_at=session.starts_at,
                attended=True,
                passed=not failed,
                score=int(low if failed else score),
                recorded_at=session.ends_at,
            )
            row.set_region_code(region)
            attendances.append(row)
    Attendance.objects.bulk_create(attendances, batch_size=2000)
    # Certificates for the passes, numbered per year in the order the sessions were held.
    sequences: dict[int, int] = {}
    certificates: list[Certificate] = []
    for row in attendances:
        if not row.passed:
            continue
        issued_on = timezone.localtime(row.held_at).date()
        sequences[issued_on.year] = sequences.get(issued_on.year, 0) + 1
        course = row.session.course
        certificate = Certificate(
            number=rules.certificate_number(county, issued_on.year, sequences[issued_on.year]),
            attendance=row,
            member_id=row.member_id,
            course=course,
            issued_on=issued_on,
            expires_on=rules.expiry(issued_on, course.validity_months),
        )
        certificate.set_region_code(row.region_code)
        certificates.append(certificate)
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    CertificateCounter.objects.bulk_create(
        [CertificateCounter(county_code=county, year=y, last=n) for y, n in sequences.items()]
    )
    build.summary.training_sessions = len(sessions)
    build.summary.training_attendances = len(attendances)
    build.summary.training_certificates = len(certificates)
