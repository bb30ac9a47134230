"""The jurisdiction matrix: every route, probed as every role against regions inside and outside
the role's jurisdiction, on the small two-county test tree.

`ROUTES` holds one entry per named URL route, saying how to address it for a target region, which
permission it needs and what kind it is; `EXEMPT` lists the routes left out, each with its reason.
`tests/test_route_coverage.py` fails when a route is in neither.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.files.base import ContentFile
from django.http import HttpResponseBase
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import Point, mapping
from shapely.geometry.base import BaseGeometry

from gridgov.accounts.models import RoleAssignment, User
from gridgov.accounts.selectors import live_api_tokens
from gridgov.accounts.services import api_token_issue
from gridgov.activities.models import Activity, ActivityKind, ActivityPhoto
from gridgov.assessment.models import (
    OrderTarget,
    PackageKind,
    Responsibility,
    Score,
    ScoreComponent,
    SubjectKind,
    SupervisionOrder,
)
from gridgov.broadcast.models import Broadcast, Terminal, TerminalKind
from gridgov.cases.models import Case, CasePhoto, Category
from gridgov.cases.services import CaseInput, case_report
from gridgov.core.access import Perm, Role, role_grants
from gridgov.core.audit import audit_record
from gridgov.core.codes import (
    GRID_LEN,
    MICRO_GRID_LEN,
    TOWN_LEN,
    VILLAGE_LEN,
    is_within,
    level_of,
    parent_code,
)
from gridgov.demo.people import write_organisations, write_register
from gridgov.mediation.models import (
    Centre,
    JointMeeting,
    MediationFile,
    MediationSession,
    MeetingTask,
    Party,
    Risk,
)
from gridgov.mediation.services.centres import LEVEL_BY_LENGTH
from gridgov.notifications.models import Notification
from gridgov.people.models import Household, Organisation, Resident
from gridgov.regions.geometry import to_shape
from gridgov.regions.models import Region
from gridgov.teams.models import Team, TeamKind, TeamMember
from gridgov.testing import TEST_PASSWORD, Tree, build_tree, make_user
from gridgov.trainings.models import Attendance, Certificate, Course
from gridgov.trainings.models import Session as TrainingSession
from gridgov.volunteers.models import MicroWish, ServiceEvent, SignUp
from gridgov.volunteers.rules import places_above


class Kind(StrEnum):
    # Addressed by something that lies in one region: 200 inside the jurisdiction, 404 outside
    # (exactly as for a missing one).
    OBJECT = "object"
    # A listing narrowed to the jurisdiction: 200, and only inside values in the body.
    LIST = "list"
    # About the signed-in actor (home page, "me"): probed once per role, no target.
    SELF = "self"
    # Reachable without logging in (login, logout, token): probed once per role and anonymously.
    PUBLIC = "public"


# Where each role's probing user is assigned: at the level a real holder of the role works at.
PLACEMENTS: dict[str, Callable[[Tree], str]] = {
    Role.COUNTY_LEADER: lambda tree: tree.county,
    Role.COUNTY_OPERATOR: lambda tree: tree.county,
    Role.DEPUTY_COUNTY_LEADER: lambda tree: tree.county,
    Role.TOWN_OFFICIAL: lambda tree: tree.towns[0],
    Role.VILLAGE_SECRETARY: lambda tree: tree.villages[0],
    Role.GRID_WORKER: lambda tree: tree.grids[0],
    Role.INFO_OFFICER: lambda tree: tree.micro_grids[0],
    Role.MEDIATOR: lambda tree: tree.towns[1],
    Role.VOLUNTEER: lambda tree: tree.villages[3],
    Role.SYSADMIN: lambda tree: tree.county,
    Role.SECURITY_ADMIN: lambda tree: tree.county,
    Role.AUDITOR: lambda tree: tree.towns[0],
    Role.RESIDENT: lambda tree: tree.grids[2],
}

# A staff member at every region of the tree: an addressable object for the account pages, and a
# tracer (username and display name carry the region's code and name) for leaks in staff lists.
SUBJECT_ROLE = Role.VOLUNTEER
SUBJECT_PREFIX = "subject_"
# A point that lies in no region of the test tree (the East China Sea).
POINT_OUTSIDE_EVERY_GRID = (125.0, 30.0)
MISSING_OBJECT_ID = 987654321
MISSING_CASE_NUMBER = "610324-20000101-999999"
# The month of the world's scores; recomputing is probed on another, long past, month.
MATRIX_MONTH = date(2026, 11, 1)
RECOMPUTED_MONTH = "2020-01"
# The smallest file that passes as a PNG photo.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32


@dataclass
class World:
    """The test tree with a user per role, a subject per region and an audit row per region;
    a case (with a photo) per micro-grid, and a notification for every user."""

    tree: Tree
    placements: dict[str, str]
    actors: dict[str, User]
    subjects: dict[str, User]
    shapes: dict[str, BaseGeometry]
    cases: dict[str, Case] = field(default_factory=dict)  # by micro-grid code
    photos: dict[str, int] = field(default_factory=dict)  # case number -> photo id
    notifications: dict[int, int] = field(default_factory=dict)  # user id -> notification id
    # The register: per micro-grid, the id of a resident, household, building (and organisation).
    register: dict[str, dict[str, int]] = field(default_factory=dict)
    broadcasts: dict[str, int] = field(default_factory=dict)  # region code -> message id
    terminals: dict[str, int] = field(default_factory=dict)  # region code -> terminal id
    centres: dict[str, int] = field(default_factory=dict)  # region code -> mediation centre id
    mediation_files: dict[str, str] = field(default_factory=dict)  # case number -> file number
    sessions: dict[str, int] = field(default_factory=dict)  # file number -> session id
    risks: dict[str, int] = field(default_factory=dict)  # case number -> risk id
    meetings: dict[str, int] = field(default_factory=dict)  # case number -> joint meeting id
    meeting_tasks: dict[str, int] = field(default_factory=dict)  # case number -> its task's id
    teams: dict[str, int] = field(default_factory=dict)  # region code -> team id
    team_members: dict[str, int] = field(default_factory=dict)  # region code -> its member's id
    volunteer_events: dict[str, int] = field(default_factory=dict)  # region code -> event id
    micro_wishes: dict[str, int] = field(default_factory=dict)  # region code -> wish id
    training_courses: dict[str, int] = field(default_factory=dict)  # region code -> course id
    training_sessions: dict[str, int] = field(default_factory=dict)  # region code -> session id
    activities: dict[str, int] = field(default_factory=dict)  # region code -> an open patrol's id
    activity_photos: dict[str, int] = field(default_factory=dict)  # region code -> its photo's id
    scores: dict[str, int] = field(default_factory=dict)  # region code -> this month's score id
    orders: dict[str, str] = field(default_factory=dict)  # region code -> supervision order number
    packages: dict[str, int] = field(default_factory=dict)  # region code -> responsibility id

    @property
    def codes(self) -> set[str]:
        return set(self.tree.names)

    def subtree(self, code: str) -> set[str]:
        return {other for other in self.tree.names if is_within(other, code)}

    def assignment_of(self, code: str) -> RoleAssignment:
        return RoleAssignment.objects.get(user=self.subjects[code], role=SUBJECT_ROLE)


def build_world() -> World:
    tree = build_tree()
    placements = {role: place(tree) for role, place in PLACEMENTS.items()}
    actors = {role: make_user(role, code) for role, code in placements.items()}
    subjects: dict[str, User] = {}
    for code, name in sorted(tree.names.items()):
        subject = make_user(SUBJECT_ROLE, code, username=f"{SUBJECT_PREFIX}{code}")
        subject.display_name = f"{name}志愿者"
        subject.save(update_fields=["display_name"])
        subjects[code] = subject
        # Something for an auditor to read in every region, naming the region.
        audit_record(
            actor=None,
            action="matrix.seed",
            object_type="region",
            object_id=code,
            region_code=code,
            detail={"name": name},
        )
    shapes = {
        code: to_shape(boundary)
        for code, boundary in Region.objects.values_list("region_code", "boundary")
        if boundary
    }
    world = World(tree=tree, placements=placements, actors=actors, subjects=subjects, shapes=shapes)
    _add_cases(world)
    _add_broadcasts(world)
    _add_terminals(world)
    _add_register(world)
    _add_mediation(world)
    _add_teams(world)
    _add_volunteering(world)
    _add_trainings(world)
    _add_activities(world)
    _add_scores(world)
    return world


def _add_scores(world: World) -> None:
    """A score of this month at every region of the tree, named after it (a tracer): written
    directly, as the matrix's month is not recomputed (its recompute probes another month)."""
    now = timezone.now()
    for code, name in sorted(world.tree.names.items()):
        score = Score(
            month=MATRIX_MONTH,
            kind=SubjectKind.VILLAGE,
            subject=f"matrix:{code}",
            name=f"{name}考核",
            total=Decimal("50.00"),
            rank=1,
            ranked_among=1,
            computed_at=now,
        )
        score.set_region_code(code)
        score.save()
        ScoreComponent.objects.create(
            score=score,
            indicator="reports_made",
            value=3,
            numerator=3,
            denominator=6,
            normalised=0.5,
            weight=20,
            points=Decimal("10.00"),
        )
        world.scores[code] = score.pk
        subject = world.subjects[code]
        order = SupervisionOrder(
            number=f"DB-MATRIX-{code}",
            target=OrderTarget.WORKER,
            addressee=subject,
            subject_name=f"{name}督办",
            request="矩阵探针督办",
            deadline_on=now.date(),
            issued_by=subject,
            issued_at=now,
        )
        order.set_region_code(code)
        order.save()
        world.orders[code] = order.number
        package = Responsibility(
            official=subject,
            kind=PackageKind.REGION,
            label=f"{name}包抓",
            assigned_by=subject,
            assigned_at=now,
        )
        package.set_region_code(code)
        package.save()
        world.packages[code] = package.pk


def _add_broadcasts(world: World) -> None:
    """A submitted message for every region of the tree, naming it (a tracer), written by the
    staff member there (who composes none in real life: the row is made here directly)."""
    now = timezone.now()
    for code, name in sorted(world.tree.names.items()):
        message = Broadcast(
            title=f"{name}防汛通知",
            text=f"{name}群众请注意防汛",
            kind="flood",
            severity="Severe",
            urgency="Immediate",
            certainty="Likely",
            target_codes=[code],
            expires_at=now + timedelta(hours=6),
            state="submitted",
            composer=world.subjects[code],
            author_ids=[world.subjects[code].pk],
            created_at=now,
            updated_at=now,
            submitted_at=now,
            audio=ContentFile(WAV, name="probe.wav"),
            audio_source="upload",
        )
        message.set_region_code(code)
        message.save()
        world.broadcasts[code] = message.pk


def _add_teams(world: World) -> None:
    """A team at every region of the tree, named after it (a tracer), with one member there."""
    now = timezone.now()
    for code, name in sorted(world.tree.names.items()):
        team = Team(kind=TeamKind.VOLUNTEERS, name=f"{name}志愿者服务队", created_at=now)
        team.set_region_code(code)
        team.save()
        member = TeamMember(team=team, name=f"{name}队员", joined_on=now.date())
        member.set_region_code(code)
        member.save()
        world.teams[code] = team.pk
        world.team_members[code] = member.pk


def _add_trainings(world: World) -> None:
    """A course for volunteers at every region, named after it, with a session there that
    started an hour ago, which the region's volunteer (its team's member) attended and passed,
    earning a certificate held there."""
    now = timezone.now()
    for code, name in sorted(world.tree.names.items()):
        course = Course(
            kind=TeamKind.VOLUNTEERS,
            title=f"{name}志愿者培训",
            hours=4,
            validity_months=12,
            created_at=now,
        )
        course.set_region_code(code)
        course.save()
        session = TrainingSession(
            course=course,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=1),
            trainer="矩阵讲师",
            capacity=5,
            created_at=now,
        )
        session.set_region_code(code)
        session.save()
        attendance = Attendance(
            session=session,
            member_id=world.team_members[code],
            kind=course.kind,
            held_at=session.starts_at,
            attended=True,
            passed=True,
            recorded_at=now,
        )
        attendance.set_region_code(code)
        attendance.save()
        certificate = Certificate(
            number=f"M-{code}",  # at most 24 characters, as PostgreSQL enforces
            attendance=attendance,
            member_id=world.team_members[code],
            course=course,
            issued_on=now.date(),
            expires_on=now.date() + timedelta(days=365),
        )
        certificate.set_region_code(code)
        certificate.save()
        world.training_courses[code] = course.pk
        world.training_sessions[code] = session.pk


def _add_volunteering(world: World) -> None:
    """A service event at every region, named after it, starting within the check-in window,
    where the region's volunteer (its team's member) served an hour; a resident's micro-wish at
    every region, waiting for a volunteer."""
    now = timezone.now()
    for code, name in sorted(world.tree.names.items()):
        event = ServiceEvent(
            title=f"{name}志愿服务活动",
            starts_at=now + timedelta(minutes=30),
            ends_at=now + timedelta(hours=3),
            capacity=5,
            created_at=now,
        )
        event.set_region_code(code)
        event.save()
        world.volunteer_events[code] = event.pk
        wish = MicroWish(
            title=f"{name}微心愿",
            resident_name="王大爷",
            resident_phone="+8613900001234",
            posted_at=now,
        )
        wish.set_region_code(code)
        wish.save()
        world.micro_wishes[code] = wish.pk
    past = ServiceEvent(
        title="往期志愿服务",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30) + timedelta(hours=2),
        capacity=1000,
        created_at=now,
    )
    past.set_region_code(world.tree.county)
    past.save()
    SignUp.objects.bulk_create(
        SignUp(event=past, member_id=member_id, signed_up_at=past.starts_at, minutes=60)
        for member_id in world.team_members.values()
    )


def _add_activities(world: World) -> None:
    """A patrol under way at every region of the tree, walked by the staff member there."""
    now = timezone.now()
    for code, name in sorted(world.tree.names.items()):
        patrol = Activity(
            kind=ActivityKind.PATROL,
            topic=f"{name}巡逻",
            started_at=now,
            recorded_by=world.subjects[code],
            created_at=now,
        )
        patrol.set_region_code(code)
        patrol.save()
        world.activities[code] = patrol.pk
        photo = ActivityPhoto.objects.create(
            activity=patrol,
            image=ContentFile(PNG, name="probe.png"),
            content_type="image/png",
            size=len(PNG),
        )
        world.activity_photos[code] = photo.pk


def _add_terminals(world: World) -> None:
    """A broadcast terminal at every region of the tree, named after it (a tracer)."""
    for code, name in sorted(world.tree.names.items()):
        terminal = Terminal(
            code=f"M{code}", name=f"{name}终端", kind=TerminalKind.LOUDSPEAKER, region_code=code
        )
        terminal.save()
        world.terminals[code] = terminal.pk


def _add_register(world: World) -> None:
    """A household with its residents and building in every micro-grid, an organisation in each
    village's first micro-grid."""
    micro_grids = sorted(code for code in world.tree.names if len(code) == MICRO_GRID_LEN)
    write_register(grid_codes=micro_grids, households_per_grid=1)
    write_organisations(grid_codes=micro_grids)
    for code in micro_grids:
        resident = Resident.objects.filter(region_code=code).order_by("id").first()
        household = Household.objects.filter(region_code=code).order_by("id").first()
        assert resident is not None
        assert household is not None
        assert household.building_id is not None
        ids = {
            "resident": resident.pk,
            "household": household.pk,
            "building": household.building_id,
        }
        organisation = Organisation.objects.filter(region_code=code).first()
        if organisation is not None:
            ids["organisation"] = organisation.pk
        world.register[code] = ids


def _add_mediation(world: World) -> None:
    """A mediation centre at every county, town and village; a mediation file (with a session
    scheduled) on every case, at its village's centre."""
    for code, name in sorted(world.tree.names.items()):
        if len(code) > VILLAGE_LEN:
            continue
        centre = Centre(name=f"{name}调处中心", level=LEVEL_BY_LENGTH[len(code)])
        centre.set_region_code(code)
        centre.save()
        world.centres[code] = centre.pk
    now = timezone.now()
    for code, case in sorted(world.cases.items()):
        file = MediationFile(
            number=f"{code[:VILLAGE_LEN]}-2026-{len(world.mediation_files) + 1:04d}",
            centre_id=world.centres[code[:VILLAGE_LEN]],
            case=case,
            dispute_kind=case.category.code,
            facts="矩阵探针纠纷",
            registered_by=world.subjects[code],
            created_at=now,
            updated_at=now,
            due_at=now,
        )
        file.set_region_code(case.region_code)
        file.save()
        Party.objects.create(file=file, side="applicant", kind="person", name="赵六")
        session = MediationSession.objects.create(
            file=file,
            starts_at=now,
            place="调解室",
            created_by=world.subjects[code],
            created_at=now,
        )
        world.mediation_files[case.number] = file.number
        world.sessions[file.number] = session.pk
        risk = Risk(
            title="矩阵探针隐患",
            kind="other",
            level="red",
            people_involved=12,
            description="矩阵探针",
            responsible=world.subjects[code],
            raised_by=world.subjects[code],
            created_at=now,
            updated_at=now,
        )
        risk.set_region_code(case.region_code)
        risk.save()
        risk.cases.add(case)
        world.risks[case.number] = risk.pk
        meeting = JointMeeting(
            since=now.date(),
            until=now.date(),
            held_on=now.date(),
            attendees="矩阵探针",
            decisions="矩阵探针",
            recorded_by=world.subjects[code],
            created_at=now,
        )
        meeting.set_region_code(case.region_code)
        meeting.save()
        task = MeetingTask.objects.create(
            meeting=meeting, description="矩阵探针", owner=world.subjects[code], due_on=now.date()
        )
        world.meetings[case.number] = meeting.pk
        world.meeting_tasks[case.number] = task.pk


def _add_cases(world: World) -> None:
    """A case in every micro-grid, taken on the hotline by the volunteer there, naming the place
    (a tracer); the caller agreed to publication, so Open311 shows the county's ones."""
    category = Category.objects.filter(is_active=True, public=True, children=None).first()
    assert category is not None, "the case categories are loaded by a migration"
    other_county_micro_grids = sorted(
        code
        for code in world.tree.names
        if len(code) == MICRO_GRID_LEN and code.startswith(world.tree.other_county)
    )
    for code in [*world.tree.micro_grids, *other_county_micro_grids]:
        name = world.tree.names[code]
        case = case_report(
            actor=world.subjects[code],
            data=CaseInput(
                category_code=category.code,
                description=f"{name}的路灯不亮",
                channel="hotline",
                publication_consent=True,
                region_code=code,
                address=f"{name}东口",
                reporter_name="赵六",
                reporter_phone=PROBE_PHONE,
            ),
        )
        world.cases[code] = case
        photo = CasePhoto.objects.create(
            case=case,
            image=ContentFile(PNG, name="lamp.png"),
            content_type="image/png",
            size=len(PNG),
        )
        world.photos[case.number] = photo.pk
    for user in [*world.actors.values(), *world.subjects.values()]:
        home = user.active_assignments()[0].region_code
        case_here = next(
            (case for code, case in sorted(world.cases.items()) if is_within(code, home)), None
        )
        notification = Notification.objects.create(
            recipient=user,
            key="case.assigned",
            params={"number": case_here.number, "title": case_here.title} if case_here else {},
            object_type="case" if case_here else "",
            object_id=case_here.number if case_here else "",
        )
        world.notifications[user.pk] = notification.pk


@contextmanager
def world_settings() -> Iterator[None]:
    """Case photos and broadcast recordings go to a temporary folder, not the installation's media
    folder."""
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        yield


@dataclass(frozen=True)
class Target:
    """A region a probe addresses, relative to the prober's own region."""

    label: str  # own, child, sibling, parent, other county, missing; "all" for an unfiltered list
    code: str
    inside: bool


ALL = Target("all", "", True)


def missing_code(own: str) -> str:
    """A code at the same level as `own` that names no region of the test tree."""
    return own[:-3] + "999"


def targets_for(world: World, own: str) -> list[Target]:
    """Own region, a child, a sibling, the parent, the same level in another county, a missing one."""
    codes = world.codes
    own_parent = parent_code(own)
    targets = [Target("own", own, True)]
    children = sorted(code for code in codes if parent_code(code) == own)
    if children:
        targets.append(Target("child", children[0], True))
    siblings = sorted(
        code
        for code in codes
        if own_parent is not None and code != own and parent_code(code) == own_parent
    )
    if siblings:
        targets.append(Target("sibling", siblings[0], False))
    if own_parent is not None:
        targets.append(Target("parent", own_parent, False))
    other_county = sorted(
        code for code in codes if code.startswith(world.tree.other_county) and len(code) == len(own)
    )
    targets.append(Target("other county", other_county[0], False))
    missing = missing_code(own)
    assert missing not in codes
    targets.append(Target("missing", missing, False))
    return targets


@dataclass(frozen=True)
class Call:
    method: str  # "get" or "post"
    path: str
    data: dict[str, Any] = field(default_factory=dict)
    json: bool = False


@dataclass(frozen=True)
class Probe:
    world: World
    role: str | None  # None: an anonymous client
    route: Route
    target: Target | None

    @property
    def actor(self) -> User | None:
        return None if self.role is None else self.world.actors[self.role]

    @property
    def own(self) -> str | None:
        return None if self.role is None else self.world.placements[self.role]

    @property
    def code(self) -> str:
        assert self.target is not None, f"{self.route.name} needs a target"
        return self.target.code

    def point(self) -> tuple[float, float]:
        """A point in the target's area but outside the prober's own region when the target is
        one of its ancestors (else "parent" would locate into the prober's own grids)."""
        if self.target is None or self.code not in self.world.shapes:
            return POINT_OUTSIDE_EVERY_GRID
        area = self.world.shapes[self.code]
        own = self.own
        if own is not None and own != self.code and is_within(own, self.code):
            area = area.difference(self.world.shapes[own])
        point: Point = area.representative_point()
        return point.x, point.y

    def subject_id(self) -> int:
        """The id of the staff member at the target region (an id no user has when it is missing)."""
        subject = self.world.subjects.get(self.code)
        return subject.pk if subject is not None else MISSING_OBJECT_ID

    def case(self) -> Case | None:
        """The case in the target's area (outside the prober's own region when the target is
        one of its ancestors), or None for a missing target."""
        own = self.own
        for code, case in sorted(self.world.cases.items()):
            if not is_within(code, self.code):
                continue
            # Below an ancestor of the prober's region, a case outside that region.
            above_own = own is not None and own != self.code and is_within(own, self.code)
            if above_own and is_within(code, own or ""):
                continue
            return case
        return None

    def case_number(self) -> str:
        case = self.case()
        return case.number if case is not None else MISSING_CASE_NUMBER

    def notification_id(self) -> int:
        """The prober's own notification for its own region, else the one of the staff member at
        the target (somebody else's), else an id no notification has."""
        if self.target is not None and self.target.label == "own" and self.actor is not None:
            return self.world.notifications[self.actor.pk]
        subject = self.world.subjects.get(self.code)
        return self.world.notifications[subject.pk] if subject is not None else MISSING_OBJECT_ID

    def broadcast_id(self) -> int:
        return self.world.broadcasts.get(self.code, MISSING_OBJECT_ID)

    def team_id(self) -> int:
        return self.world.teams.get(self.code, MISSING_OBJECT_ID)

    def activity_id(self) -> int:
        return self.world.activities.get(self.code, MISSING_OBJECT_ID)

    def order_number(self) -> str:
        return self.world.orders.get(self.code, "DB-MATRIX-MISSING")

    def package_id(self) -> int:
        return self.world.packages.get(self.code, MISSING_OBJECT_ID)

    def score_id(self) -> int:
        return self.world.scores.get(self.code, MISSING_OBJECT_ID)

    def team_member_id(self) -> int:
        return self.world.team_members.get(self.code, MISSING_OBJECT_ID)

    def volunteer_event_id(self) -> int:
        return self.world.volunteer_events.get(self.code, MISSING_OBJECT_ID)

    def micro_wish_id(self) -> int:
        return self.world.micro_wishes.get(self.code, MISSING_OBJECT_ID)

    def register_id(self, kind: str) -> int:
        """The id of a register record of `kind` in the target's area (outside the prober's own
        region when the target is one of its ancestors), or an id no record has."""
        own = self.own
        above_own = own is not None and own != self.code and is_within(own, self.code)
        for code, ids in sorted(self.world.register.items()):
            if kind not in ids or not is_within(code, self.code):
                continue
            if above_own and is_within(code, own or ""):
                continue
            return ids[kind]
        return MISSING_OBJECT_ID

    def assignment_id(self) -> int:
        if self.code not in self.world.subjects:
            return MISSING_OBJECT_ID
        return self.world.assignment_of(self.code).pk


@dataclass(frozen=True)
class Route:
    name: str
    kind: Kind
    call: Callable[[Probe], Call]
    permission: str | None = None  # None: any signed-in user
    variant: str = ""  # when a route is probed in more than one way (GET form, POST)
    page: bool = False  # a page answers an anonymous client with a redirect to the login page
    # The status of a successful probe; a set where the outcome inside depends on the object's
    # state or the role's part in it (a write that may be refused, 403 or 409, for its own reasons).
    ok: int | frozenset[int] = 200
    outside: int = 404  # OBJECT: the status outside the jurisdiction
    # Whether the target is inside, when not the target's own answer (a personal inbox).
    inside: Callable[[Probe], bool] | None = None
    # Public data of the installation's county (Open311): what anyone may read is that county's
    # subtree, and an object of another county is 404 for everyone.
    public_scope: bool = False

    # OBJECT: the 404 for an existing region outside equals the one for a missing region.
    same_as_missing: bool = True
    # Which targets to probe: the regions around the prober's own, and/or the unfiltered "all".
    region_targets: bool | None = None  # default: OBJECT and LIST routes
    all_target: bool | None = None  # default: LIST routes
    missing_target: bool = True
    # Targets re-aimed at what the route addresses (a work queue belongs to a county, town or
    # village, so a grid is looked at through its village); given the prober's own region.
    target_map: Callable[[Target, str], Target] | None = None
    # The region codes a body lists, and those it must list for a probe (lists and exports).
    listed: Callable[[HttpResponseBase, str], set[str]] | None = None
    expected_listed: Callable[[Probe], set[str]] | None = None
    # PUBLIC: the status for an anonymous probe and for a signed-in one.
    anonymous_status: int = 200
    signed_in_status: int = 200

    @property
    def label(self) -> str:
        return f"{self.name} [{self.variant}]" if self.variant else self.name

    def targets(self, region_targets: list[Target], own: str) -> list[Target | None]:
        with_regions = (
            self.kind in (Kind.OBJECT, Kind.LIST)
            if self.region_targets is None
            else self.region_targets
        )
        with_all = self.kind is Kind.LIST if self.all_target is None else self.all_target
        if not with_all and not with_regions:
            return [None]
        targets: list[Target | None] = [ALL] if with_all else []
        if with_regions:
            for target in region_targets:
                if target.label == "missing" and not self.missing_target:
                    continue
                if self.target_map is not None:
                    target = self.target_map(target, own)
                if target.code not in {t.code for t in targets if t is not None}:
                    targets.append(target)
        return targets


def visible_codes(probe: Probe, permission: str) -> set[str]:
    if probe.role is None or not role_grants(probe.role, permission):
        return set()
    assert probe.own is not None
    return probe.world.subtree(probe.own)


def _statuses(status: int | frozenset[int]) -> frozenset[int]:
    return status if isinstance(status, frozenset) else frozenset({status})


def is_inside(probe: Probe) -> bool:
    assert probe.target is not None
    if probe.route.inside is not None:
        return probe.route.inside(probe)
    if probe.route.public_scope:
        return probe.target.label != "missing" and is_within(probe.code, probe.world.tree.county)
    return probe.target.inside


def expected_status(probe: Probe) -> frozenset[int]:
    """The statuses a probe may answer with."""
    route = probe.route
    if route.kind is Kind.PUBLIC:
        if probe.target is not None and probe.target is not ALL:
            return _statuses(route.ok) if is_inside(probe) else _statuses(route.outside)
        return _statuses(route.anonymous_status if probe.role is None else route.signed_in_status)
    if probe.role is None:
        return _statuses(302 if route.page else 401)
    if route.permission is not None and not role_grants(probe.role, route.permission):
        return _statuses(403)
    if route.kind is Kind.OBJECT:
        assert probe.target is not None
        return _statuses(route.ok) if is_inside(probe) else _statuses(route.outside)
    return _statuses(route.ok)


def probes_for(world: World, role: str | None) -> Iterator[Probe]:
    """Every probe of the matrix for one role (None: anonymous)."""
    own = world.placements[role] if role is not None else world.tree.towns[0]
    region_targets = targets_for(world, own)
    for routes in ROUTES.values():
        for route in routes:
            for target in route.targets(region_targets, own):
                yield Probe(world=world, role=role, route=route, target=target)


# Leak detection


_CODE_TOKEN = re.compile(r"(?<![0-9])[0-9]{6,18}(?![0-9])")


def response_text(response: HttpResponseBase) -> str:
    """Everything a client reads: the body (JSON un-escaped, HTML entities decoded) and Location."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        raw = response.content  # type: ignore[attr-defined]
    text = raw.decode("utf-8-sig", errors="replace")
    if "json" in response.get("Content-Type", ""):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text) + "\n" + response.get("Location", "")


def _sent_codes(call: Call) -> set[str]:
    """Codes the client itself sent: an echo of them tells it nothing."""
    return set(_CODE_TOKEN.findall(call.path + " " + json.dumps(call.data, default=str)))


def _intervals(text: str, needles: set[str]) -> list[tuple[int, int]]:
    found = []
    for needle in needles:
        for match in re.finditer(re.escape(needle), text):
            found.append((match.start(), match.end()))
    return found


def leaks(probe: Probe, call: Call, text: str) -> list[str]:
    """Names and codes of regions outside the prober's own subtree that appear in `text`.

    The prober's own region bounds what it may learn (an auditor or resident sees where they are
    assigned, nothing else). Codes of its ancestors are prefixes of its own code, and codes it
    sent itself are echoes, so neither tells it anything. The names of its ancestors may show:
    a grid worker's pages name the worker's village and town ("第1网格 · 西关村"), which every
    person working there knows. A name the prober sent (a search) is an echo too.
    """
    world = probe.world
    inside = world.subtree(probe.own) if probe.own is not None else set()
    if probe.route.public_scope:
        inside |= world.subtree(world.tree.county)
    ancestors = {code for code in world.codes if is_within(probe.own, code)} if probe.own else set()
    sent = {str(value) for value in call.data.values()}
    found: list[str] = []
    # Test-tree names nest (a grid's name starts with its village's), so an outside name counts
    # only where it is not part of an inside name.
    allowed = inside | ancestors
    covered = _intervals(text, {world.tree.names[code] for code in allowed})
    for code, name in sorted(world.tree.names.items()):
        if code in allowed or name in sent:
            continue
        for match in re.finditer(re.escape(name), text):
            if not any(start <= match.start() and match.end() <= end for start, end in covered):
                found.append(f"name {name} ({code})")
                break
    known = set(inside) | _sent_codes(call)
    for top in [probe.own, world.tree.county if probe.route.public_scope else None]:
        if top is not None:
            known |= {code for code in world.codes if is_within(top, code)}
    for token in sorted(set(_CODE_TOKEN.findall(text))):
        if token in world.tree.names and token not in known:
            found.append(f"code {token}")
    return found


# How to address each route


def _json(text: str) -> Any:
    return json.loads(text)


def _region_list(probe: Probe) -> Call:
    assert probe.target is not None
    params = {} if probe.target is ALL else {"parent": probe.target.code}
    return Call("get", reverse("api:region-list"), params)


def _listed_regions(response: HttpResponseBase, text: str) -> set[str]:
    return {row["code"] for row in _json(text)["results"]}


def _expected_children(probe: Probe) -> set[str]:
    visible = visible_codes(probe, Perm.REGIONS_VIEW)
    assert probe.target is not None
    if probe.target is ALL:
        return visible
    return {code for code in visible if parent_code(code) == probe.target.code}


def _token(probe: Probe) -> Call:
    actor = probe.actor
    credentials = (
        {"username": actor.username, "password": TEST_PASSWORD}
        if actor is not None
        else {"username": "nobody", "password": "not-the-password"}
    )
    return Call("post", reverse("api:token"), credentials, json=True)


def _locate(probe: Probe) -> Call:
    lng, lat = probe.point()
    return Call("get", reverse("api:region-locate"), {"lng": lng, "lat": lat})


def _export(fmt: str) -> Callable[[Probe], Call]:
    def call(probe: Probe) -> Call:
        assert probe.target is not None
        params = {"format": fmt}
        if probe.target is not ALL:
            params["root"] = probe.target.code
        return Call("get", reverse("api:region-export"), params)

    return call


def _listed_geojson(response: HttpResponseBase, text: str) -> set[str]:
    return {feature["properties"]["code"] for feature in _json(text)["features"]}


def _listed_csv(response: HttpResponseBase, text: str) -> set[str]:
    lines = text.strip().splitlines()
    return {line.split(",", 1)[0].strip('"') for line in lines[1:] if line[:1].isdigit()}


def _expected_subtree(permission: str) -> Callable[[Probe], set[str]]:
    def expected(probe: Probe) -> set[str]:
        visible = visible_codes(probe, permission)
        assert probe.target is not None
        if probe.target is ALL:
            return visible
        return {code for code in visible if is_within(code, probe.target.code)}

    return expected


def _import(probe: Probe) -> Call:
    """A dry run that renames the target region (a new region when the target is missing)."""
    code = probe.code
    shape = probe.world.shapes.get(code)
    feature = {
        "type": "Feature",
        "geometry": mapping(shape) if shape is not None else None,
        "properties": {
            "code": code,
            "parent_code": parent_code(code) or "",
            "level": level_of(code),
            "name": "矩阵探针",
        },
    }
    content = {"type": "FeatureCollection", "features": [feature]}
    return Call(
        "post", reverse("api:region-import"), {"content": content, "dry_run": True}, json=True
    )


def _by_region(name: str) -> Callable[[Probe], Call]:
    return lambda probe: Call("get", reverse(name, kwargs={"code": probe.code}))


def _get(name: str) -> Callable[[Probe], Call]:
    return lambda probe: Call("get", reverse(name))


def _post(name: str) -> Callable[[Probe], Call]:
    return lambda probe: Call("post", reverse(name))


def _users(probe: Probe) -> Call:
    assert probe.target is not None
    params = {} if probe.target is ALL else {"q": f"{SUBJECT_PREFIX}{probe.target.code}"}
    return Call("get", reverse("accounts:users"), params)


_SUBJECT_ROW = re.compile(rf'data-user="{SUBJECT_PREFIX}([0-9]+)"')


def _listed_subjects(response: HttpResponseBase, text: str) -> set[str]:
    return set(_SUBJECT_ROW.findall(text))


def _user_create(probe: Probe) -> Call:
    password = "matrix-probe-Passphrase-7"
    return Call(
        "post",
        reverse("accounts:user-create"),
        {
            "username": f"new_{probe.code}",
            "display_name": "",
            "password1": password,
            "password2": password,
            "role": SUBJECT_ROLE,
            "region_code": probe.code,
        },
    )


def _user_page(
    name: str, data: Callable[[Probe], dict[str, Any]] | None = None
) -> Callable[[Probe], Call]:
    def call(probe: Probe) -> Call:
        path = reverse(name, kwargs={"user_id": probe.subject_id()})
        return Call("post" if data is not None else "get", path, data(probe) if data else {})

    return call


def _role_revoke(probe: Probe) -> Call:
    kwargs = {"user_id": probe.subject_id(), "assignment_id": probe.assignment_id()}
    return Call("post", reverse("accounts:role-revoke", kwargs=kwargs))


def _live_token_id(user: User) -> int:
    """The user's live API token, issued when there is none (the same one while it lives, so a
    probe's address can be computed again)."""
    live = live_api_tokens(user=user).first()
    return (live or api_token_issue(user=user).token).pk


def _own_token_revoke(probe: Probe) -> Call:
    token_id = _live_token_id(probe.actor) if probe.actor is not None else MISSING_OBJECT_ID
    return Call("post", reverse("accounts:token-revoke", kwargs={"token_id": token_id}))


def _user_token_revoke(probe: Probe) -> Call:
    """A token of the staff member at the target region, revoked by the prober."""
    subject = probe.world.subjects.get(probe.code)
    if subject is None:
        kwargs = {"user_id": MISSING_OBJECT_ID, "token_id": MISSING_OBJECT_ID}
    else:
        kwargs = {"user_id": subject.pk, "token_id": _live_token_id(subject)}
    return Call("post", reverse("accounts:user-token-revoke", kwargs=kwargs))


def _api_role_assign(probe: Probe) -> Call:
    path = reverse("api:user-role-assign", kwargs={"user_id": probe.subject_id()})
    return Call("post", path, {"role": SUBJECT_ROLE, "region_code": probe.code}, json=True)


def _api_role_revoke(probe: Probe) -> Call:
    kwargs = {"user_id": probe.subject_id(), "assignment_id": probe.assignment_id()}
    return Call("post", reverse("api:user-role-revoke", kwargs=kwargs), {}, json=True)


def _api_user(name: str, data: dict[str, Any] | None = None) -> Callable[[Probe], Call]:
    def call(probe: Probe) -> Call:
        path = reverse(name, kwargs={"user_id": probe.subject_id()})
        if data is None:
            return Call("get", path)
        return Call("post", path, data, json=True)

    return call


def _region_tree(probe: Probe) -> Call:
    return Call("get", reverse("accounts:region-tree"), {"parent": probe.code})


def _audit_seed_rows(probe: Probe) -> Call:
    return Call("get", reverse("audit:list"), {"action": "matrix.seed"})


_AUDIT_ROW = re.compile(r"<tr data-sequence=.*?</tr>", re.S)
# A row's region: its name, then its code marked as such.
_CELL_CODE = re.compile(r'<small class="code muted" data-region>([0-9]{6,18})</small>')


def _listed_audit_regions(response: HttpResponseBase, text: str) -> set[str]:
    return {code for row in _AUDIT_ROW.findall(text) for code in _CELL_CODE.findall(row)}


def _listed_children(response: HttpResponseBase, text: str) -> set[str]:
    return {row["code"] for row in _json(text)}


def _expected_direct_children(probe: Probe) -> set[str]:
    visible = visible_codes(probe, Perm.REGIONS_VIEW)
    return {code for code in visible if parent_code(code) == probe.code}


def _listed_features(response: HttpResponseBase, text: str) -> set[str]:
    return {feature["properties"]["code"] for feature in _json(text)["features"]}


def _expected_region_and_children(probe: Probe) -> set[str]:
    return {probe.code} | _expected_direct_children(probe)


def _expected_own(probe: Probe) -> set[str]:
    assert probe.own is not None
    return {probe.own}


# Mediation

MISSING_FILE_NUMBER = "610324001200-2000-9999"


def _file_number(probe: Probe) -> str:
    case = probe.case()
    return probe.world.mediation_files[case.number] if case is not None else MISSING_FILE_NUMBER


def _file_api(probe: Probe) -> Call:
    return Call("get", reverse("mediation-api:file-detail", kwargs={"number": _file_number(probe)}))


def _file_page(name: str, data: dict[str, Any] | None = None) -> Callable[[Probe], Call]:
    def call(probe: Probe) -> Call:
        path = reverse(name, kwargs={"number": _file_number(probe)})
        return Call("post" if data is not None else "get", path, data or {})

    return call


def _session_record(probe: Probe) -> Call:
    number = _file_number(probe)
    session = probe.world.sessions.get(number, MISSING_OBJECT_ID)
    path = reverse("mediation:session-record", kwargs={"number": number, "session_id": session})
    return Call("post", path, {"record": "矩阵探针笔录"})


def _risk_id(probe: Probe) -> int:
    case = probe.case()
    return probe.world.risks[case.number] if case is not None else MISSING_OBJECT_ID


def _meeting_id(probe: Probe) -> int:
    case = probe.case()
    return probe.world.meetings[case.number] if case is not None else MISSING_OBJECT_ID


def _meeting_task_id(probe: Probe) -> int:
    case = probe.case()
    return probe.world.meeting_tasks[case.number] if case is not None else MISSING_OBJECT_ID


def _risk_list(probe: Probe) -> Call:
    assert probe.target is not None
    params = {} if probe.target is ALL else {"region": probe.target.code}
    return Call("get", reverse("mediation-api:risk-list"), params)


def _risk_raise(probe: Probe) -> Call:
    data = {
        "title": "矩阵探针隐患",
        "kind": "other",
        "level": "orange",
        "people_involved": 30,
        "description": "矩阵探针",
        "region_code": probe.code,
    }
    return Call("post", reverse("mediation-api:risk-list"), data, json=True)


def _team_list(probe: Probe) -> Call:
    assert probe.target is not None
    params = {} if probe.target is ALL else {"region": probe.target.code}
    return Call("get", reverse("teams-api:list"), params)


def _listed_team_regions(response: HttpResponseBase, text: str) -> set[str]:
    return {row["region_code"] for row in _json(text)}


def _expected_team_regions(probe: Probe) -> set[str]:
    visible = visible_codes(probe, Perm.TEAMS_VIEW)
    assert probe.target is not None
    return {
        code
        for code in probe.world.teams
        if code in visible and (probe.target is ALL or is_within(code, probe.target.code))
    }


def _score_list(probe: Probe) -> Call:
    assert probe.target is not None
    params = {"month": MATRIX_MONTH.strftime("%Y-%m")}
    if probe.target is not ALL:
        params["region"] = probe.target.code
    return Call("get", reverse("assessment-api:score-list"), params)


def _listed_score_regions(response: HttpResponseBase, text: str) -> set[str]:
    return {row["region_code"] for row in _json(text)}


def _expected_score_regions(probe: Probe) -> set[str]:
    visible = visible_codes(probe, Perm.ASSESSMENT_VIEW)
    assert probe.target is not None
    return {
        code
        for code in probe.world.scores
        if code in visible and (probe.target is ALL or is_within(code, probe.target.code))
    }


def _listed_order_regions(response: HttpResponseBase, text: str) -> set[str]:
    return {row["region_code"] for row in _json(text)}


def _expected_order_regions(probe: Probe) -> set[str]:
    visible = visible_codes(probe, Perm.ASSESSMENT_VIEW)
    return {code for code in probe.world.orders if code in visible}


def _package_list(probe: Probe) -> Call:
    assert probe.target is not None
    params = {} if probe.target is ALL else {"region": probe.target.code}
    return Call("get", reverse("assessment-api:package-list"), params)


def _expected_package_regions(probe: Probe) -> set[str]:
    visible = visible_codes(probe, Perm.PACKAGE_ASSIGN)
    assert probe.target is not None
    return {
        code
        for code in probe.world.packages
        if code in visible and (probe.target is ALL or is_within(code, probe.target.code))
    }


def _order(name: str, data: dict[str, Any] | None = None) -> Callable[[Probe], Call]:
    def call(probe: Probe) -> Call:
        path = reverse(name, args=[probe.order_number()])
        return Call("get" if data is None else "post", path, data or {})

    return call


def _visits_page(probe: Probe) -> Call:
    params = {"month": MATRIX_MONTH.strftime("%Y-%m"), "region": probe.own or "610324"}
    return Call("get", reverse("assessment:visits"), params)


def _team_path(name: str, probe: Probe, **extra: int) -> str:
    return reverse(name, kwargs={"team_id": probe.team_id(), **extra})


def _region_params(probe: Probe) -> dict[str, Any]:
    assert probe.target is not None
    return {} if probe.target is ALL else {"region": probe.target.code}


def _listed_result_regions(response: HttpResponseBase, text: str) -> set[str]:
    return {row["region_code"] for row in _json(text)["results"]}


def _expected_in(attribute: str, permission: str) -> Callable[[Probe], set[str]]:
    def expected(probe: Probe) -> set[str]:
        visible = visible_codes(probe, permission)
        assert probe.target is not None
        return {
            code
            for code in getattr(probe.world, attribute)
            if code in visible and (probe.target is ALL or is_within(code, probe.target.code))
        }

    return expected


def _volunteer_reach(probe: Probe) -> bool:
    """An event inside the prober's jurisdiction or, for a volunteer (who serves), one held at
    the village or town above their place, which they may see and join too."""
    assert probe.target is not None
    if probe.target.inside:
        return True
    if probe.role is None or not role_grants(probe.role, Perm.VOLUNTEERS_SERVE):
        return False
    assert probe.own is not None
    return probe.code in places_above([probe.own])


def _expected_events(probe: Probe) -> set[str]:
    expected = _expected_in("volunteer_events", Perm.VOLUNTEERS_VIEW)(probe)
    if probe.role is None or not role_grants(probe.role, Perm.VOLUNTEERS_SERVE):
        return expected
    assert probe.own is not None
    assert probe.target is not None
    above = set(places_above([probe.own]))
    return expected | {
        code
        for code in probe.world.volunteer_events
        if code in above and (probe.target is ALL or is_within(code, probe.target.code))
    }


def _volunteer_get(name: str) -> Callable[[Probe], Call]:
    return lambda probe: Call("get", reverse(name, kwargs={"event_id": probe.volunteer_event_id()}))


def _volunteer_post(
    name: str, *, member: bool, data: dict[str, Any] | None = None, json: bool = True
) -> Callable[[Probe], Call]:
    """A step at the target's event: a volunteer's own (no member), or an organiser's for the
    target's volunteer."""

    def call(probe: Probe) -> Call:
        body = dict(data or {})
        if member:
            body["member"] = probe.world.team_members.get(probe.code, MISSING_OBJECT_ID)
        path = reverse(name, kwargs={"event_id": probe.volunteer_event_id()})
        return Call("post", path, body, json=json)

    return call


def _event_fields(probe: Probe) -> dict[str, Any]:
    start = timezone.localtime() + timedelta(days=1)
    return {
        "title": "矩阵探针活动",
        "region": probe.code,
        "region_code": probe.code,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 5,
    }


def _wish_fields(probe: Probe) -> dict[str, Any]:
    return {
        "title": "矩阵探针心愿",
        "region": probe.code,
        "region_code": probe.code,
        "resident_name": "王大爷",
    }


def _wish(
    name: str, data: dict[str, Any] | None = None, json: bool = False
) -> Callable[[Probe], Call]:
    def call(probe: Probe) -> Call:
        path = reverse(name, kwargs={"wish_id": probe.micro_wish_id()})
        return Call("post" if data is not None else "get", path, data or {}, json=json)

    return call


def _volunteer_routes() -> list[Route]:
    manage, serve, view = Perm.VOLUNTEERS_MANAGE, Perm.VOLUNTEERS_SERVE, Perm.VOLUNTEERS_VIEW
    # A step may be refused for the event's state or the volunteer's (not on a roster, not
    # signed up, already done): 409. Inside, the first probe may succeed.
    step_ok = frozenset({200, 409})
    routes = [
        Route(
            "volunteers-api:event-list",
            Kind.LIST,
            lambda probe: Call("get", reverse("volunteers-api:event-list"), _region_params(probe)),
            permission=view,
            listed=_listed_result_regions,
            expected_listed=_expected_events,
        ),
        Route(
            "volunteers-api:event-list",
            Kind.OBJECT,
            lambda probe: Call(
                "post", reverse("volunteers-api:event-list"), _event_fields(probe), json=True
            ),
            permission=manage,
            variant="hold",
            ok=201,
            outside=400,  # not a place of the organiser's jurisdiction
            same_as_missing=False,
        ),
        Route(
            "volunteers-api:event-detail",
            Kind.OBJECT,
            _volunteer_get("volunteers-api:event-detail"),
            permission=view,
            inside=_volunteer_reach,
        ),
        Route(
            "volunteers-api:hours",
            Kind.LIST,
            lambda probe: Call("get", reverse("volunteers-api:hours"), _region_params(probe)),
            permission=view,
            listed=_listed_result_regions,
            expected_listed=_expected_in("team_members", view),
        ),
        Route(
            "volunteers-api:correct",
            Kind.OBJECT,
            _volunteer_post(
                "volunteers-api:correct", member=True, data={"minutes": 60, "note": "矩阵"}
            ),
            permission=manage,
            ok=step_ok,
        ),
        Route(
            "volunteers-api:wish-list",
            Kind.LIST,
            lambda probe: Call("get", reverse("volunteers-api:wish-list"), _region_params(probe)),
            permission=view,
            listed=_listed_result_regions,
            expected_listed=_expected_in("micro_wishes", view),
        ),
        Route(
            "volunteers-api:wish-list",
            Kind.OBJECT,
            lambda probe: Call(
                "post", reverse("volunteers-api:wish-list"), _wish_fields(probe), json=True
            ),
            permission=manage,
            variant="record",
            ok=201,
            outside=400,
            same_as_missing=False,
        ),
        Route(
            "volunteers-api:wish-detail",
            Kind.OBJECT,
            _wish("volunteers-api:wish-detail"),
            permission=view,
        ),
        # The organiser withdraws it; a volunteer on no roster 409; one who only reads 403.
        Route(
            "volunteers-api:wish-step",
            Kind.OBJECT,
            _wish("volunteers-api:wish-step", {"step": "withdraw", "note": "矩阵"}, json=True),
            permission=view,
            ok=frozenset({200, 403, 409}),
        ),
        # The organiser sees the resident's phone; a volunteer who did not take it up, or a
        # reader who organises nothing, 403.
        Route(
            "volunteers-api:wish-phone",
            Kind.OBJECT,
            _wish("volunteers-api:wish-phone", {"reason": "矩阵探针"}, json=True),
            permission=view,
            ok=frozenset({200, 403}),
        ),
        # Pages
        Route("volunteers:events", Kind.SELF, _get("volunteers:events"), view, page=True),
        Route(
            "volunteers:event-new",
            Kind.SELF,
            _get("volunteers:event-new"),
            manage,
            variant="form",
            page=True,
        ),
        Route(
            "volunteers:event-new",
            Kind.OBJECT,
            lambda probe: Call("post", reverse("volunteers:event-new"), _event_fields(probe)),
            permission=manage,
            variant="post",
            page=True,
            ok=302,
            outside=400,  # not one of the form's places
            same_as_missing=False,
            target_map=_grid_of,
        ),
        Route(
            "volunteers:event",
            Kind.OBJECT,
            _volunteer_get("volunteers:event"),
            permission=view,
            page=True,
            inside=_volunteer_reach,
        ),
        Route(
            "volunteers:event-correct",
            Kind.OBJECT,
            _volunteer_post(
                "volunteers:event-correct",
                member=True,
                data={"minutes": 60, "note": "矩阵"},
                json=False,
            ),
            permission=manage,
            page=True,
            ok=frozenset({302, 409}),
        ),
        Route("volunteers:hours", Kind.SELF, _get("volunteers:hours"), view, page=True),
        Route("volunteers:wishes", Kind.SELF, _get("volunteers:wishes"), view, page=True),
        Route(
            "volunteers:wish-new",
            Kind.SELF,
            _get("volunteers:wish-new"),
            manage,
            variant="form",
            page=True,
        ),
        Route(
            "volunteers:wish-new",
            Kind.OBJECT,
            lambda probe: Call("post", reverse("volunteers:wish-new"), _wish_fields(probe)),
            permission=manage,
            variant="post",
            page=True,
            ok=302,
            outside=400,
            same_as_missing=False,
            target_map=_grid_of,
        ),
        Route("volunteers:wish", Kind.OBJECT, _wish("volunteers:wish"), view, page=True),
        Route(
            "volunteers:wish",
            Kind.OBJECT,
            _wish("volunteers:wish", {"step": "withdraw", "note": "矩阵"}),
            permission=view,
            variant="step",
            page=True,
            ok=frozenset({302, 403}),
        ),
        Route(
            "volunteers:wish-phone",
            Kind.OBJECT,
            _wish("volunteers:wish-phone", {"reason": "矩阵探针"}),
            permission=view,
            page=True,
            ok=frozenset({200, 403}),
        ),
    ]
    for step in ("sign-up", "withdraw", "check-in", "check-out"):
        routes += [
            Route(
                f"volunteers-api:{step}",
                Kind.OBJECT,
                _volunteer_post(f"volunteers-api:{step}", member=False),
                permission=serve,
                variant="own",
                ok=step_ok,
                inside=_volunteer_reach,
            ),
            Route(
                f"volunteers-api:{step}",
                Kind.OBJECT,
                _volunteer_post(f"volunteers-api:{step}", member=True),
                permission=manage,
                variant="for a volunteer",
                ok=step_ok,
            ),
        ]
    for action in ("sign_up", "withdraw", "check_in", "check_out"):
        routes += [
            Route(
                "volunteers:event-act",
                Kind.OBJECT,
                _volunteer_post(
                    "volunteers:event-act", member=False, data={"action": action}, json=False
                ),
                permission=serve,
                variant=f"own {action}",
                page=True,
                ok=302,  # a refusal for the state comes back as a message on the event
                inside=_volunteer_reach,
            ),
            Route(
                "volunteers:event-act",
                Kind.OBJECT,
                _volunteer_post(
                    "volunteers:event-act", member=True, data={"action": action}, json=False
                ),
                permission=manage,
                variant=f"{action} for a volunteer",
                page=True,
                ok=302,
            ),
        ]
    return routes


def _centre_list(probe: Probe) -> Call:
    assert probe.target is not None
    params = {} if probe.target is ALL else {"region": probe.target.code}
    return Call("get", reverse("mediation-api:centre-list"), params)


def _listed_centres(response: HttpResponseBase, text: str) -> set[str]:
    return {row["region_code"] for row in _json(text)}


def _expected_centres(probe: Probe) -> set[str]:
    visible = visible_codes(probe, Perm.MEDIATION_VIEW)
    assert probe.target is not None
    return {
        code
        for code in probe.world.centres
        if code in visible and (probe.target is ALL or is_within(code, probe.target.code))
    }


def _file_list(probe: Probe) -> Call:
    assert probe.target is not None
    params = {} if probe.target is ALL else {"region": probe.target.code}
    return Call("get", reverse("mediation-api:file-list"), params)


def _listed_file_regions(response: HttpResponseBase, text: str) -> set[str]:
    return {row["region_code"] for row in _json(text)["results"]}


def _expected_file_regions(probe: Probe) -> set[str]:
    visible = visible_codes(probe, Perm.MEDIATION_VIEW)
    assert probe.target is not None
    return {
        code
        for code in probe.world.cases
        if code in visible and (probe.target is ALL or is_within(code, probe.target.code))
    }


def _dispute_fields(probe: Probe) -> dict[str, Any]:
    return {
        "centre": probe.world.centres.get(probe.code, MISSING_OBJECT_ID),
        "category": "dispute-neighbour",
        "channel": "walk_in",
        "facts": "矩阵探针纠纷",
        "address": "调解中心",
    }


def _file_register_api(probe: Probe) -> Call:
    data = {
        **_dispute_fields(probe),
        "parties": [
            {"side": "applicant", "name": "赵六"},
            {"side": "respondent", "name": "钱七"},
        ],
    }
    return Call("post", reverse("mediation-api:file-list"), data, json=True)


def _file_register_page(probe: Probe) -> Call:
    data = {
        **_dispute_fields(probe),
        "people_band": "lt10",
        "applicant_kind": "person",
        "applicant_name": "赵六",
        "respondent_kind": "person",
        "respondent_name": "钱七",
    }
    return Call("post", reverse("mediation:register"), data)


# Cases

PROBE_PHONE = "13812345678"


def _case_api(name: str) -> Callable[[Probe], Call]:
    return lambda probe: Call("get", reverse(name, kwargs={"number": probe.case_number()}))


def _case_api_post(name: str, data: dict[str, Any]) -> Callable[[Probe], Call]:
    return lambda probe: Call(
        "post", reverse(name, kwargs={"number": probe.case_number()}), data, json=True
    )


def _case_page(name: str, data: dict[str, Any] | None = None) -> Callable[[Probe], Call]:
    def call(probe: Probe) -> Call:
        path = reverse(name, kwargs={"number": probe.case_number()})
        return Call("post" if data is not None else "get", path, data or {})

    return call


def _case_list(probe: Probe) -> Call:
    assert probe.target is not None
    params = {} if probe.target is ALL else {"region": probe.target.code}
    return Call("get", reverse("cases-api:case-list"), params)


_PLACE_CODE = re.compile(r'data-place-code="([0-9]+)"')
# What the report form's place search shows at most.
PLACES_SHOWN = 20


def _report_places(probe: Probe) -> Call:
    query = probe.world.tree.names.get(probe.code, "无此地方")
    return Call("get", reverse("cases:report-places"), {"place_query": query})


def _listed_report_places(response: HttpResponseBase, text: str) -> set[str]:
    return set(_PLACE_CODE.findall(text))


def _expected_report_places(probe: Probe) -> set[str]:
    """The places the actor may report at (grids and up, and the micro-grid they work in)
    whose name or parent's name holds the target's name, larger ones first, as many as the
    search shows."""
    names = probe.world.tree.names
    query = names.get(probe.code, "")
    if not query:
        return set()
    visible = visible_codes(probe, Perm.CASES_REPORT)
    own = set(probe.actor.jurisdiction_codes(Perm.CASES_REPORT)) if probe.actor else set()
    hits = sorted(
        (
            code
            for code in visible
            if (len(code) < MICRO_GRID_LEN or code in own)
            and (query in names[code] or query in names.get(parent_code(code) or "", ""))
        ),
        key=lambda code: (len(code), code),
    )
    return set(hits[:PLACES_SHOWN])


def _listed_case_regions(response: HttpResponseBase, text: str) -> set[str]:
    return {row["region_code"] for row in _json(text)["results"]}


def _expected_case_regions(probe: Probe) -> set[str]:
    visible = visible_codes(probe, Perm.CASES_VIEW)
    assert probe.target is not None
    return {
        code
        for code in probe.world.cases
        if code in visible and (probe.target is ALL or is_within(code, probe.target.code))
    }


def _report_fields(probe: Probe) -> dict[str, Any]:
    lng, lat = probe.point()
    category = Category.objects.filter(is_active=True, is_dispute=False, children=None).first()
    assert category is not None
    return {
        "category": category.code,
        "description": "井盖丢失",
        "channel": "grid_patrol",
        "urgency": "normal",
        "lat": lat,
        "lng": lng,
    }


def _case_report_api(probe: Probe) -> Call:
    return Call("post", reverse("cases-api:case-list"), _report_fields(probe), json=True)


def _case_report_page(probe: Probe) -> Call:
    fields = _report_fields(probe)
    lat, lng = fields.pop("lat"), fields.pop("lng")
    data = {**fields, "latitude": lat, "longitude": lng, "idempotency_key": str(uuid.uuid4())}
    return Call("post", reverse("cases:report"), data)


def _notification_read(probe: Probe) -> Call:
    path = reverse("api:notification-read", kwargs={"notification_id": probe.notification_id()})
    return Call("post", path, {}, json=True)


def _own_notification(probe: Probe) -> bool:
    assert probe.target is not None
    return probe.target.label == "own"


def _inbox_read(probe: Probe) -> Call:
    actor = probe.actor
    data = {"notification": probe.world.notifications[actor.pk] if actor else MISSING_OBJECT_ID}
    return Call("post", reverse("notifications:inbox-read"), data)


def _queue(probe: Probe) -> Call:
    assert probe.target is not None
    params = {} if probe.target is ALL else {"unit": probe.target.code}
    return Call("get", reverse("cases:queue"), params)


def _bulk_dispatch(probe: Probe) -> Call:
    data = {"unit": probe.code, "cases": [probe.case_number()], "assignee": MISSING_OBJECT_ID}
    return Call("post", reverse("cases:bulk-dispatch"), data)


def _bulk_accept(probe: Probe) -> Call:
    data = {"unit": probe.code, "cases": [probe.case_number()]}
    return Call("post", reverse("cases:bulk-accept"), data)


def _overdue(probe: Probe) -> Call:
    # The page narrows by town only: a target below a town is looked at through its town.
    assert probe.target is not None
    params = {"show": "escalated"}
    if probe.target is not ALL and len(probe.target.code) >= TOWN_LEN:
        params["town"] = probe.target.code[:TOWN_LEN]
    return Call("get", reverse("cases:overdue"), params)


def _unit_of(target: Target, own: str) -> Target:
    """A county, town or village stays; a grid or micro-grid is seen through its village."""
    if len(target.code) <= VILLAGE_LEN:
        return target
    if target.label == "missing":
        return Target("missing", missing_code(target.code[:VILLAGE_LEN]), False)
    village = target.code[:VILLAGE_LEN]
    return Target(f"{target.label}'s village", village, is_within(village, own))


def _merge(probe: Probe) -> Call:
    # Into the prober's own first case: the target alone decides inside or outside.
    own = probe.own or ""
    into = next(
        (case.number for code, case in sorted(probe.world.cases.items()) if is_within(code, own)),
        MISSING_CASE_NUMBER,
    )
    path = reverse("cases:merge", kwargs={"number": probe.case_number()})
    return Call("post", path, {"into": into, "note": "matrix"})


def _photo(probe: Probe) -> Call:
    number = probe.case_number()
    photo_id = probe.world.photos.get(number, MISSING_OBJECT_ID)
    return Call("get", reverse("cases:photo", kwargs={"number": number, "photo_id": photo_id}))


# Open311 (public: no login, the configured county's cases only)


def _open311(name: str, **kwargs: str) -> Callable[[Probe], Call]:
    return lambda probe: Call("get", reverse(name, kwargs={"fmt": "json", **kwargs}))


def _open311_request(probe: Probe) -> Call:
    kwargs = {"fmt": "json", "service_request_id": probe.case_number()}
    return Call("get", reverse("open311:request", kwargs=kwargs))


def _open311_token(probe: Probe) -> Call:
    case = probe.case()
    token = case.tracking_token if case is not None else "no-such-token"
    return Call("get", reverse("open311:token", kwargs={"fmt": "json", "token": token}))


def _open311_service(probe: Probe) -> Call:
    category = Category.objects.filter(is_active=True, children=None).order_by("code").first()
    assert category is not None
    kwargs = {"fmt": "json", "service_code": category.code}
    return Call("get", reverse("open311:service", kwargs=kwargs))


def _open311_post_without_key(probe: Probe) -> Call:
    lng, lat = probe.point()
    data = {"service_code": "x", "lat": lat, "long": lng, "description": "井盖丢失"}
    return Call("post", reverse("open311:requests", kwargs={"fmt": "json"}), data)


# The residents' public pages (no login)


def _public_token(name: str, data: dict[str, Any] | None = None) -> Callable[[Probe], Call]:
    def call(probe: Probe) -> Call:
        case = probe.case()
        token = case.tracking_token if case is not None else "no-such-token"
        path = reverse(name, kwargs={"token": token})
        return Call("post" if data is not None else "get", path, data or {})

    return call


def _public_track(probe: Probe) -> Call:
    case = probe.case()
    token = case.tracking_token if case is not None else "no-such-token"
    return Call("get", reverse("public:track"), {"token": token})


# The emergency broadcast


def _broadcast(name: str, data: dict[str, Any] | None = None) -> Callable[[Probe], Call]:
    def call(probe: Probe) -> Call:
        path = reverse(name, kwargs={"broadcast_id": probe.broadcast_id()})
        return Call(
            "post" if data is not None else "get", path, data or {}, json=name.endswith("-api")
        )

    return call


def _overview(name: str) -> Callable[[Probe], Call]:
    """The command centre's routes take the region as ?region= (none: the actor's top one)."""

    def call(probe: Probe) -> Call:
        assert probe.target is not None
        return Call("get", reverse(name), {} if probe.target is ALL else {"region": probe.code})

    return call


def _broadcast_api_step(step: str, data: dict[str, Any]) -> Callable[[Probe], Call]:
    def call(probe: Probe) -> Call:
        path = reverse(f"broadcast-api:{step}", kwargs={"broadcast_id": probe.broadcast_id()})
        return Call("post", path, data, json=True)

    return call


def _broadcast_fields(probe: Probe) -> dict[str, Any]:
    return {
        "title": "矩阵探针",
        "text": "矩阵探针",
        "kind": "notice",
        "severity": "Minor",
        "urgency": "Expected",
        "certainty": "Likely",
        "targets": [probe.code],
        "repeats": 1,
    }


def _broadcast_compose_api(probe: Probe) -> Call:
    return Call("post", reverse("broadcast-api:list"), _broadcast_fields(probe), json=True)


def _broadcast_compose_page(probe: Probe) -> Call:
    return Call("post", reverse("broadcast:compose"), {**_broadcast_fields(probe), "step": "save"})


def _listed_broadcast_regions(response: HttpResponseBase, text: str) -> set[str]:
    return {row["region_code"] for row in _json(text)["results"]}


def _expected_broadcast_regions(probe: Probe) -> set[str]:
    return set(probe.world.broadcasts) & visible_codes(probe, Perm.BROADCAST_VIEW)


def _expected_terminal_regions(probe: Probe) -> set[str]:
    return set(probe.world.terminals) & visible_codes(probe, Perm.TERMINALS_VIEW)


def _grid_of(target: Target, own: str) -> Target:
    """The rollups count cases by grid: a micro-grid is looked at through its grid."""
    if len(target.code) < MICRO_GRID_LEN:
        return target
    grid = target.code[:GRID_LEN]
    if target.label == "missing":
        return Target("missing", missing_code(grid), False)
    return Target(f"{target.label}'s grid", grid, is_within(grid, own))


_COMMAND_CENTRE = [
    Route(
        name,
        Kind.OBJECT,
        _overview(name),
        permission=Perm.DASHBOARD_VIEW,
        page=page,
        all_target=True,
        target_map=_grid_of,
    )
    for name, page in (
        ("dashboards:overview", True),
        ("dashboards:map", True),
        ("dashboards:screen", True),
        ("dashboards:export", True),
        ("dashboards:export-pdf", True),
        ("dashboards-api:summary", False),
        ("dashboards-api:series", False),
    )
]


# The population register


def _people_object(
    name: str, kind: str, data: dict[str, Any] | None = None
) -> Callable[[Probe], Call]:
    def call(probe: Probe) -> Call:
        path = reverse(name, args=[probe.register_id(kind)])
        if data is None:
            return Call("get", path)
        return Call("post", path, data, json=name.endswith("-api:resident-reveal"))

    return call


def _people_list(name: str) -> Callable[[Probe], Call]:
    def call(probe: Probe) -> Call:
        assert probe.target is not None
        params: dict[str, Any] = {"page_size": 200}
        if probe.target is not ALL:
            params["region"] = probe.target.code
        return Call("get", reverse(name), params)

    return call


def _listed_register(response: HttpResponseBase, text: str) -> set[str]:
    return {row["region_code"] for row in _json(text)["results"]}


def _expected_register(kind: str) -> Callable[[Probe], set[str]]:
    def expected(probe: Probe) -> set[str]:
        visible = _expected_subtree(Perm.PEOPLE_VIEW)(probe)
        return {code for code in visible if kind in probe.world.register.get(code, {})}

    return expected


_REVEAL = {"field": "phone", "reason": "走访核实联系方式"}
_UNMASKED_EXPORT = {"reason": "民政部门核对低保名单", "q": ""}


def _village_in(probe: Probe) -> str:
    """The village a card probe addresses: the target's own village, or for a county or town the
    first village in it (outside the prober's own region when the target is one of its
    ancestors), or a code no village has."""
    code = probe.code
    if len(code) >= VILLAGE_LEN:
        missing = probe.target is not None and probe.target.label == "missing"
        return missing_code(code[:VILLAGE_LEN]) if missing else code[:VILLAGE_LEN]
    own = probe.own
    above_own = own is not None and own != code and is_within(own, code)
    for village in sorted(c for c in probe.world.codes if len(c) == VILLAGE_LEN):
        if is_within(village, code) and not (above_own and is_within(village, own or "")):
            return village
    return missing_code(code) + "200"


def _village_target(target: Target, own: str) -> Target:
    return _unit_of(target, own) if len(target.code) > VILLAGE_LEN else target


def _card(name: str) -> Callable[[Probe], Call]:
    return lambda probe: Call("get", reverse(name, args=[_village_in(probe)]))


def _register_import(probe: Probe) -> Call:
    """A dry run of one row in the prober's first micro-grid (a bad row elsewhere: 400)."""
    from io import BytesIO

    from openpyxl import Workbook

    from gridgov.people.spreadsheets import HEADINGS

    own = probe.own or ""
    grid = next((code for code in sorted(probe.world.register) if is_within(code, own)), "")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADINGS)
    sheet.append(
        [grid, "MATRIX-1", "幸福路1号", "张三", "11010519491231002X", "", "", "", "", "", "", ""]
    )
    buffer = BytesIO()
    book.save(buffer)
    upload = ContentFile(buffer.getvalue(), name="register.xlsx")
    return Call("post", reverse("people-api:import"), {"file": upload, "dry_run": "true"})


def _register_routes() -> list[Route]:
    routes = [
        Route(
            f"people-api:{kind}-list",
            Kind.LIST,
            _people_list(f"people-api:{kind}-list"),
            Perm.PEOPLE_VIEW,
            listed=_listed_register,
            expected_listed=_expected_register(kind),
        )
        for kind in ("resident", "household", "building", "organisation")
    ]
    routes += [
        Route(
            f"people-api:{kind}-detail",
            Kind.OBJECT,
            _people_object(f"people-api:{kind}-detail", kind),
            Perm.PEOPLE_VIEW,
        )
        for kind in ("resident", "household", "building", "organisation")
    ]
    routes += [
        Route(
            f"people:{kind}",
            Kind.OBJECT,
            _people_object(f"people:{kind}", kind),
            Perm.PEOPLE_VIEW,
            page=True,
        )
        for kind in ("resident", "household", "building", "organisation")
    ]
    # Editing: whoever keeps the register there (the county leader reads it only: 403).
    routes += [
        Route(
            f"people:{kind}-edit",
            Kind.OBJECT,
            _people_object(f"people:{kind}-edit", kind),
            Perm.PEOPLE_MANAGE,
            page=True,
        )
        for kind in ("resident", "household", "building", "organisation")
    ]
    routes += [
        Route(f"people:{name}", Kind.SELF, _get(f"people:{name}"), Perm.PEOPLE_VIEW, page=True)
        for name in ("residents", "households", "buildings", "organisations")
    ]
    # Reading the register is not unmasking it: the county leader reads but may not reveal (403).
    routes += [
        Route(
            "people-api:resident-reveal",
            Kind.OBJECT,
            _people_object("people-api:resident-reveal", "resident", _REVEAL),
            Perm.PEOPLE_VIEW,
            ok=frozenset({200, 403}),
        ),
        Route(
            "people:resident-reveal",
            Kind.OBJECT,
            _people_object("people:resident-reveal", "resident", _REVEAL),
            Perm.PEOPLE_VIEW,
            page=True,
            ok=frozenset({200, 403}),
        ),
        Route("people:round", Kind.SELF, _get("people:round"), Perm.PEOPLE_MANAGE, page=True),
        # Recording a visit: a household of the round, where the prober keeps the register.
        Route(
            "web:household-visit",
            Kind.OBJECT,
            _people_object("web:household-visit", "household"),
            Perm.PEOPLE_MANAGE,
            page=True,
        ),
        Route("people:import", Kind.SELF, _get("people:import"), Perm.PEOPLE_MANAGE, page=True),
        Route(
            "people:import-template",
            Kind.SELF,
            _get("people:import-template"),
            Perm.PEOPLE_MANAGE,
            page=True,
        ),
        Route("people:export", Kind.SELF, _get("people:export"), Perm.PEOPLE_VIEW, page=True),
        # The unmasked export: who may unmask, with a reason; the masked one for everyone else.
        Route(
            "people:export-unmasked",
            Kind.SELF,
            lambda probe: Call("post", reverse("people:export-unmasked"), _UNMASKED_EXPORT),
            Perm.PEOPLE_REVEAL,
            page=True,
        ),
        Route(
            "people-api:resident-export-unmasked",
            Kind.SELF,
            lambda probe: Call(
                "post", reverse("people-api:resident-export-unmasked"), _UNMASKED_EXPORT, json=True
            ),
            Perm.PEOPLE_REVEAL,
        ),
        Route(
            "people-api:import-template",
            Kind.SELF,
            _get("people-api:import-template"),
            Perm.PEOPLE_MANAGE,
        ),
        # A row in the prober's own micro-grid passes; a role at a level without one gets 400.
        Route(
            "people-api:import",
            Kind.SELF,
            _register_import,
            Perm.PEOPLE_MANAGE,
            ok=frozenset({200, 400}),
        ),
        Route(
            "people-api:resident-export",
            Kind.SELF,
            _get("people-api:resident-export"),
            Perm.PEOPLE_VIEW,
        ),
        Route("people:cards", Kind.SELF, _get("people:cards"), Perm.PEOPLE_MANAGE, page=True),
        Route(
            "people:card",
            Kind.OBJECT,
            _card("people:card"),
            Perm.PEOPLE_MANAGE,
            page=True,
            target_map=_village_target,
        ),
        # The community card: public, the installation county's villages and communities.
        Route(
            "cards:card",
            Kind.PUBLIC,
            _card("cards:card"),
            public_scope=True,
            region_targets=True,
        ),
        Route(
            "cards:poster",
            Kind.PUBLIC,
            _card("cards:poster"),
            public_scope=True,
            region_targets=True,
        ),
    ]
    return routes


_ROUTE_LIST: list[Route] = [
    *_COMMAND_CENTRE,
    # API v1
    Route(
        "api:token",
        Kind.PUBLIC,
        _token,
        anonymous_status=401,  # probed with a wrong password
        signed_in_status=200,
    ),
    Route("api:me", Kind.SELF, _get("api:me")),
    # Roles over the API: the subject's role (a volunteer) reads no personal data, so the system
    # administrator gives it as well as the security administrator and the county leader.
    Route(
        "api:user-role-assign",
        Kind.OBJECT,
        _api_role_assign,
        permission=Perm.ACCOUNTS_VIEW,
        ok=201,
    ),
    Route(
        "api:user-role-revoke",
        Kind.OBJECT,
        _api_role_revoke,
        permission=Perm.ACCOUNTS_VIEW,
    ),
    # Keeping accounts over the API: seen by whoever sees accounts, kept by the system
    # administrator (the subject, a volunteer, reads no personal data: theirs to reset).
    Route("api:user-detail", Kind.OBJECT, _api_user("api:user-detail"), Perm.ACCOUNTS_VIEW),
    Route(
        "api:user-deactivate",
        Kind.OBJECT,
        _api_user("api:user-deactivate", {}),
        permission=Perm.ACCOUNTS_MANAGE,
    ),
    Route(
        "api:user-reactivate",
        Kind.OBJECT,
        _api_user("api:user-reactivate", {}),
        permission=Perm.ACCOUNTS_MANAGE,
    ),
    Route(
        "api:user-password-reset",
        Kind.OBJECT,
        _api_user("api:user-password-reset", {}),
        permission=Perm.ACCOUNTS_MANAGE,
    ),
    Route(
        "api:region-list",
        Kind.LIST,
        _region_list,
        permission=Perm.REGIONS_VIEW,
        listed=_listed_regions,
        expected_listed=_expected_children,
    ),
    Route(
        "api:region-locate",
        Kind.OBJECT,
        _locate,
        permission=Perm.REGIONS_VIEW,
        # A point in someone else's grid says so; one outside every grid says that instead.
        same_as_missing=False,
    ),
    Route(
        "api:region-detail",
        Kind.OBJECT,
        _by_region("api:region-detail"),
        permission=Perm.REGIONS_VIEW,
    ),
    Route(
        "api:region-children",
        Kind.OBJECT,
        _by_region("api:region-children"),
        permission=Perm.REGIONS_VIEW,
        listed=_listed_children,
        expected_listed=_expected_direct_children,
    ),
    Route(
        "api:region-export",
        Kind.OBJECT,
        _export("geojson"),
        permission=Perm.REGIONS_VIEW,
        variant="geojson",
        all_target=True,
        listed=_listed_geojson,
        expected_listed=_expected_subtree(Perm.REGIONS_VIEW),
    ),
    Route(
        "api:region-export",
        Kind.OBJECT,
        _export("csv"),
        permission=Perm.REGIONS_VIEW,
        variant="csv",
        all_target=True,
        listed=_listed_csv,
        expected_listed=_expected_subtree(Perm.REGIONS_VIEW),
    ),
    Route(
        "api:region-import",
        Kind.OBJECT,
        _import,
        permission=Perm.REGIONS_MANAGE,
        variant="dry run",
        # A row outside the jurisdiction is a bad row of the import's report, like any other.
        outside=400,
        same_as_missing=False,
    ),
    # Pages
    Route("web:home", Kind.SELF, _get("web:home"), page=True),
    Route(
        "web:login",
        Kind.PUBLIC,
        _get("web:login"),
        page=True,
        anonymous_status=200,
        signed_in_status=302,  # already logged in: on to the home page
    ),
    Route(
        "web:logout",
        Kind.PUBLIC,
        _post("web:logout"),
        page=True,
        anonymous_status=302,
        signed_in_status=302,
    ),
    Route(
        "web:regions",
        Kind.SELF,
        _get("web:regions"),
        permission=Perm.REGIONS_VIEW,
        page=True,
        ok=302,  # a single top region: straight to its page
    ),
    Route(
        "web:regions-geojson",
        Kind.SELF,
        _get("web:regions-geojson"),
        permission=Perm.REGIONS_VIEW,
        page=True,
        listed=_listed_features,
        expected_listed=_expected_own,
    ),
    Route("web:region", Kind.OBJECT, _by_region("web:region"), Perm.REGIONS_VIEW, page=True),
    Route(
        "web:region-geojson",
        Kind.OBJECT,
        _by_region("web:region-geojson"),
        permission=Perm.REGIONS_VIEW,
        page=True,
        listed=_listed_features,
        expected_listed=_expected_region_and_children,
    ),
    # One's own account
    Route("accounts:me", Kind.SELF, _get("accounts:me"), page=True),
    Route("accounts:token-revoke", Kind.SELF, _own_token_revoke, page=True, ok=302),
    # Account management: the system administrator creates and unlocks; roles are seen and given
    # by them, the security administrator and the county leader.
    Route(
        "accounts:users",
        Kind.LIST,
        _users,
        permission=Perm.ACCOUNTS_VIEW,
        page=True,
        listed=_listed_subjects,
        expected_listed=_expected_subtree(Perm.ACCOUNTS_VIEW),
    ),
    Route(
        "accounts:user-create",
        Kind.SELF,
        _get("accounts:user-create"),
        permission=Perm.ACCOUNTS_MANAGE,
        variant="form",
        page=True,
    ),
    Route(
        "accounts:user-create",
        Kind.OBJECT,
        _user_create,
        permission=Perm.ACCOUNTS_MANAGE,
        variant="post",
        page=True,
        ok=302,
        outside=200,  # the form again, saying the region is not in the jurisdiction
        same_as_missing=False,
    ),
    Route(
        "accounts:user",
        Kind.OBJECT,
        _user_page("accounts:user"),
        permission=Perm.ACCOUNTS_VIEW,
        page=True,
    ),
    Route(
        "accounts:role-assign",
        Kind.OBJECT,
        _user_page(
            "accounts:role-assign",
            lambda probe: {"role": SUBJECT_ROLE, "region_code": probe.code},
        ),
        permission=Perm.ACCOUNTS_VIEW,
        page=True,
        ok=302,
    ),
    Route(
        "accounts:role-revoke",
        Kind.OBJECT,
        _role_revoke,
        permission=Perm.ACCOUNTS_VIEW,
        page=True,
        ok=302,
    ),
    Route(
        "accounts:user-unlock",
        Kind.OBJECT,
        _user_page("accounts:user-unlock", lambda probe: {}),
        permission=Perm.ACCOUNTS_MANAGE,
        page=True,
        ok=302,
    ),
    Route(
        "accounts:user-token-revoke",
        Kind.OBJECT,
        _user_token_revoke,
        permission=Perm.ACCOUNTS_MANAGE,
        page=True,
        ok=302,
    ),
    Route(
        "accounts:user-edit",
        Kind.OBJECT,
        _user_page("accounts:user-edit", lambda probe: {"display_name": "探针"}),
        permission=Perm.ACCOUNTS_MANAGE,
        page=True,
        ok=302,
    ),
    Route(
        "accounts:user-deactivate",
        Kind.OBJECT,
        _user_page("accounts:user-deactivate", lambda probe: {}),
        permission=Perm.ACCOUNTS_MANAGE,
        page=True,
        ok=302,
    ),
    Route(
        "accounts:user-reactivate",
        Kind.OBJECT,
        _user_page("accounts:user-reactivate", lambda probe: {}),
        permission=Perm.ACCOUNTS_MANAGE,
        page=True,
        ok=302,
    ),
    Route(
        "accounts:user-password-reset",
        Kind.OBJECT,
        _user_page("accounts:user-password-reset", lambda probe: {}),
        permission=Perm.ACCOUNTS_MANAGE,
        page=True,
    ),
    # The region picker of the account pages: a region's children, for whoever sees accounts.
    Route(
        "accounts:region-tree",
        Kind.OBJECT,
        _region_tree,
        permission=Perm.ACCOUNTS_VIEW,
        page=True,
    ),
    Route("accounts:password-change", Kind.SELF, _get("accounts:password-change"), page=True),
    # The audit log (auditors)
    Route(
        "audit:list",
        Kind.LIST,
        _audit_seed_rows,
        permission=Perm.AUDIT_VIEW,
        page=True,
        region_targets=False,  # the log is filtered by action, actor and date, not by region
        listed=_listed_audit_regions,
        expected_listed=_expected_subtree(Perm.AUDIT_VIEW),
    ),
    Route("audit:verify", Kind.SELF, _get("audit:verify"), Perm.AUDIT_VIEW, page=True),
    # Cases API
    Route(
        "cases-api:case-list",
        Kind.LIST,
        _case_list,
        permission=Perm.CASES_VIEW,
        variant="list",
        listed=_listed_case_regions,
        expected_listed=_expected_case_regions,
    ),
    Route(
        "cases-api:case-list",
        Kind.OBJECT,
        _case_report_api,
        permission=Perm.CASES_REPORT,
        variant="report",
        ok=201,
        outside=400,  # "the place is outside your jurisdiction", as a bad location
        # A point in no grid is bad input, answered 400 before the role is checked.
        missing_target=False,
    ),
    Route(
        "cases-api:case-detail",
        Kind.OBJECT,
        _case_api("cases-api:case-detail"),
        permission=Perm.CASES_VIEW,
    ),
    Route(
        "cases-api:case-timeline",
        Kind.OBJECT,
        _case_api("cases-api:case-timeline"),
        permission=Perm.CASES_VIEW,
    ),
    Route(
        "cases-api:case-transition",
        Kind.OBJECT,
        _case_api_post("cases-api:case-transition", {"action": "accept", "note": "matrix"}),
        permission=Perm.CASES_VIEW,
        ok=frozenset({200, 403, 409}),  # accepted, or not this role's step, or not now
    ),
    Route(
        "cases-api:case-reveal-contact",
        Kind.OBJECT,
        _case_api_post("cases-api:case-reveal-contact", {"reason": "matrix probe"}),
        permission=Perm.CASES_VIEW,
        ok=frozenset({200, 403}),  # only who routes or handles the case sees the contact
    ),
    Route("cases-api:case-category-list", Kind.SELF, _get("cases-api:case-category-list")),
    # Mediation API
    Route(
        "mediation-api:centre-list",
        Kind.LIST,
        _centre_list,
        permission=Perm.MEDIATION_VIEW,
        listed=_listed_centres,
        expected_listed=_expected_centres,
    ),
    Route(
        "mediation-api:file-list",
        Kind.LIST,
        _file_list,
        permission=Perm.MEDIATION_VIEW,
        variant="list",
        listed=_listed_file_regions,
        expected_listed=_expected_file_regions,
    ),
    Route(
        "mediation-api:file-list",
        Kind.OBJECT,
        _file_register_api,
        permission=Perm.MEDIATION_WORK,
        variant="register",
        ok=201,
        target_map=_unit_of,  # a desk is a county's, a town's or a village's centre
    ),
    Route(
        "mediation-api:file-detail",
        Kind.OBJECT,
        _file_api,
        permission=Perm.MEDIATION_VIEW,
    ),
    Route(
        "mediation-api:file-document",
        Kind.OBJECT,
        lambda probe: Call(
            "get",
            reverse(
                "mediation-api:file-document",
                kwargs={"number": _file_number(probe), "kind": "agreement", "fmt": "pdf"},
            ),
        ),
        # The parties in full: only who works files, not who only views them.
        permission=Perm.MEDIATION_WORK,
    ),
    Route(
        "mediation-api:risk-list",
        Kind.LIST,
        _risk_list,
        permission=Perm.MEDIATION_VIEW,
        variant="list",
        listed=_listed_file_regions,
        expected_listed=_expected_file_regions,  # a risk in every micro-grid, as files are
    ),
    Route(
        "mediation-api:risk-list",
        Kind.OBJECT,
        _risk_raise,
        permission=Perm.MEDIATION_WORK,
        variant="raise",
        ok=201,
        outside=400,  # "choose a region within your jurisdiction", as a bad region
    ),
    Route(
        "mediation-api:risk-detail",
        Kind.OBJECT,
        lambda probe: Call(
            "get", reverse("mediation-api:risk-detail", kwargs={"risk_id": _risk_id(probe)})
        ),
        permission=Perm.MEDIATION_VIEW,
    ),
    Route(
        "mediation-api:figures",
        Kind.LIST,
        lambda probe: Call(
            "get",
            reverse("mediation-api:figures"),
            {} if probe.target is ALL or probe.target is None else {"region": probe.code},
        ),
        permission=Perm.MEDIATION_VIEW,  # counts of the jurisdiction only: zeros elsewhere
    ),
    Route(
        "mediation-api:analysis-report",
        Kind.LIST,
        lambda probe: Call(
            "get",
            reverse("mediation-api:analysis-report"),
            {} if probe.target is ALL or probe.target is None else {"region": probe.code},
        ),
        permission=Perm.MEDIATION_VIEW,
    ),
    Route("mediation:risks", Kind.SELF, _get("mediation:risks"), Perm.MEDIATION_VIEW, page=True),
    Route(
        "mediation:files",
        Kind.LIST,
        lambda probe: Call(
            "get",
            reverse("mediation:files"),
            {} if probe.target is ALL or probe.target is None else {"region": probe.code},
        ),
        permission=Perm.MEDIATION_VIEW,
        page=True,
    ),
    Route(
        "mediation:risk",
        Kind.OBJECT,
        lambda probe: Call("get", reverse("mediation:risk", kwargs={"risk_id": _risk_id(probe)})),
        permission=Perm.MEDIATION_VIEW,
        page=True,
    ),
    # An empty follow-up: inside, the form comes back with its errors (400).
    Route(
        "mediation:risk-follow-up",
        Kind.OBJECT,
        lambda probe: Call(
            "post", reverse("mediation:risk-follow-up", kwargs={"risk_id": _risk_id(probe)})
        ),
        permission=Perm.MEDIATION_WORK,
        page=True,
        ok=400,
    ),
    Route(
        "mediation-api:meeting-list",
        Kind.LIST,
        lambda probe: Call(
            "get",
            reverse("mediation-api:meeting-list"),
            {} if probe.target is ALL or probe.target is None else {"region": probe.code},
        ),
        permission=Perm.MEDIATION_VIEW,
    ),
    Route(
        "mediation-api:meeting-detail",
        Kind.OBJECT,
        lambda probe: Call(
            "get",
            reverse("mediation-api:meeting-detail", kwargs={"meeting_id": _meeting_id(probe)}),
        ),
        permission=Perm.MEDIATION_VIEW,
    ),
    Route(
        "mediation:meeting",
        Kind.OBJECT,
        lambda probe: Call(
            "get", reverse("mediation:meeting", kwargs={"meeting_id": _meeting_id(probe)})
        ),
        permission=Perm.MEDIATION_VIEW,
        page=True,
    ),
    # Only the task's owner (the region's subject, never the prober) marks it done: inside, the
    # prober is refused for that reason (403); outside, the task is not found.
    Route(
        "mediation:task-done",
        Kind.OBJECT,
        lambda probe: Call(
            "post", reverse("mediation:task-done", kwargs={"task_id": _meeting_task_id(probe)})
        ),
        permission=Perm.MEDIATION_VIEW,
        page=True,
        ok=403,
    ),
    Route(
        "mediation:meeting-new",
        Kind.SELF,
        _get("mediation:meeting-new"),
        Perm.MEDIATION_WORK,
        page=True,
    ),
    # The place is chosen from the actor's own list (another is a form error), so it is probed
    # with the default: the actor's largest place, this month.
    Route(
        "mediation:analysis",
        Kind.SELF,
        _get("mediation:analysis"),
        Perm.MEDIATION_VIEW,
        page=True,
    ),
    # Mediation pages
    Route("mediation:home", Kind.SELF, _get("mediation:home"), Perm.MEDIATION_VIEW, page=True),
    Route(
        "mediation:register",
        Kind.SELF,
        _get("mediation:register"),
        permission=Perm.MEDIATION_WORK,
        variant="form",
        page=True,
    ),
    Route(
        "mediation:register",
        Kind.OBJECT,
        _file_register_page,
        permission=Perm.MEDIATION_WORK,
        variant="post",
        page=True,
        ok=302,
        outside=400,  # a centre outside the jurisdiction is not one of the form's choices
        target_map=_unit_of,
    ),
    Route(
        "mediation:detail",
        Kind.OBJECT,
        _file_page("mediation:detail"),
        Perm.MEDIATION_VIEW,
        page=True,
    ),
    Route(
        "mediation:session-add",
        Kind.OBJECT,
        _file_page("mediation:session-add", {"starts_at": "2026-12-10T09:30", "place": "调解室"}),
        permission=Perm.MEDIATION_WORK,
        page=True,
        ok=302,
    ),
    Route(
        "mediation:session-record",
        Kind.OBJECT,
        _session_record,
        permission=Perm.MEDIATION_WORK,
        page=True,
        ok=302,
    ),
    Route(
        "mediation:outcome",
        Kind.OBJECT,
        _file_page("mediation:outcome", {"outcome": "agreement", "agreed_terms": "矩阵探针条款"}),
        permission=Perm.MEDIATION_WORK,
        page=True,
        ok=302,
    ),
    Route(
        "mediation:refer",
        Kind.OBJECT,
        _file_page(
            "mediation:refer",
            {"to_track": "judicial", "unit": "人民法院诉调对接中心", "reason": "矩阵"},
        ),
        permission=Perm.MEDIATION_WORK,
        page=True,
        # Referred (the case transferred), or not this role's step, or not in the case's state.
        ok=frozenset({302, 403, 409}),
    ),
    Route(
        "mediation:follow-up",
        Kind.OBJECT,
        _file_page("mediation:follow-up", {"performed": "yes", "note": "矩阵探针回访"}),
        permission=Perm.MEDIATION_WORK,
        page=True,
        ok=409,  # the world's files have no outcome yet
    ),
    Route(
        "mediation:judicial",
        Kind.OBJECT,
        _file_page("mediation:judicial", {"status": "applied", "court": "人民法院"}),
        permission=Perm.MEDIATION_WORK,
        page=True,
        ok=409,
    ),
    Route(
        "api:notification-list",
        Kind.SELF,
        _get("api:notification-list"),
        permission=Perm.CASES_VIEW,
    ),
    Route(
        "api:notification-read",
        Kind.OBJECT,
        _notification_read,
        permission=Perm.CASES_VIEW,
        inside=_own_notification,  # an inbox is personal: anybody else's is missing
        same_as_missing=False,
    ),
    # Case pages
    Route(
        "cases:report",
        Kind.SELF,
        _get("cases:report"),
        permission=Perm.CASES_REPORT,
        variant="form",
        page=True,
    ),
    Route(
        "cases:report",
        Kind.OBJECT,
        _case_report_page,
        permission=Perm.CASES_REPORT,
        variant="post",
        page=True,
        ok=302,
        outside=400,
        missing_target=False,
    ),
    Route(
        "cases:report-places",
        Kind.LIST,
        _report_places,
        permission=Perm.CASES_REPORT,
        page=True,
        all_target=False,  # a search by a place's name
        listed=_listed_report_places,
        expected_listed=_expected_report_places,
    ),
    # The caller's earlier cases: always the probe world's one phone; that the cases listed are
    # the actor's is tested in the cases app (the fragment shows at most ten).
    Route(
        "cases:report-caller",
        Kind.SELF,
        lambda probe: Call("get", reverse("cases:report-caller"), {"reporter_phone": PROBE_PHONE}),
        permission=Perm.CASES_VIEW,
        page=True,
    ),
    Route("cases:my-tasks", Kind.SELF, _get("cases:my-tasks"), Perm.CASES_HANDLE, page=True),
    Route(
        "cases:queue",
        Kind.OBJECT,
        _queue,
        permission=Perm.CASES_VIEW,
        page=True,
        all_target=True,  # without a unit: the prober's own routing unit
        target_map=_unit_of,
    ),
    Route(
        "cases:bulk-dispatch",
        Kind.OBJECT,
        _bulk_dispatch,
        permission=Perm.CASES_ROUTE,
        page=True,
        ok=400,  # the assignee is nobody: refused with the reason, nothing dispatched
        target_map=_unit_of,
    ),
    # Every case of the subtree (a place outside is not a choice: a 400, as for a made-up code).
    Route(
        "cases:all",
        Kind.LIST,
        _get("cases:all"),
        permission=Perm.CASES_VIEW,
        page=True,
        region_targets=False,
    ),
    Route(
        "cases-api:caller-search",
        Kind.SELF,
        lambda probe: Call(
            "post", reverse("cases-api:caller-search"), {"phone": "13812345678"}, json=True
        ),
        permission=Perm.CASES_VIEW,
    ),
    Route(
        "cases:all-phone",
        Kind.SELF,
        lambda probe: Call("post", reverse("cases:all-phone"), {"phone": "13812345678"}),
        permission=Perm.CASES_VIEW,
        page=True,
        ok=302,
    ),
    Route(
        "cases:all-export",
        Kind.LIST,
        _get("cases:all-export"),
        permission=Perm.CASES_VIEW,
        page=True,
        region_targets=False,
    ),
    Route(
        "cases:bulk-accept",
        Kind.OBJECT,
        _bulk_accept,
        permission=Perm.CASES_ROUTE,
        page=True,
        ok=302,  # back to the queue, with what was accepted and what was refused and why
        target_map=_unit_of,
    ),
    Route(
        "cases:overdue",
        Kind.LIST,
        _overdue,
        permission=Perm.CASES_VIEW,
        page=True,
    ),
    Route(
        "notifications:inbox",
        Kind.SELF,
        _get("notifications:inbox"),
        Perm.CASES_VIEW,
        page=True,
    ),
    Route(
        "notifications:inbox-read",
        Kind.SELF,
        _inbox_read,
        Perm.CASES_VIEW,
        page=True,
        ok=302,
    ),
    Route("cases:detail", Kind.OBJECT, _case_page("cases:detail"), Perm.CASES_VIEW, page=True),
    Route(
        "cases:transition",
        Kind.OBJECT,
        _case_page("cases:transition", {"action": "accept", "note": "matrix"}),
        permission=Perm.CASES_VIEW,
        page=True,
        ok=frozenset({302, 403, 409}),
    ),
    Route(
        "cases:merge",
        Kind.OBJECT,
        _merge,
        permission=Perm.CASES_VIEW,
        page=True,
        ok=frozenset({302, 400, 403, 409}),  # merged, or refused for the cases' own reasons
    ),
    Route(
        "cases:reveal-contact",
        Kind.OBJECT,
        _case_page("cases:reveal-contact", {"reason": "matrix probe"}),
        permission=Perm.CASES_VIEW,
        page=True,
        ok=frozenset({200, 403}),
    ),
    Route("cases:photo", Kind.OBJECT, _photo, Perm.CASES_VIEW, page=True),
    # Open311 GeoReport v2: public, one county
    Route("open311:root", Kind.PUBLIC, _get("open311:root"), public_scope=True),
    Route("open311:discovery", Kind.PUBLIC, _open311("open311:discovery"), public_scope=True),
    Route("open311:services", Kind.PUBLIC, _open311("open311:services"), public_scope=True),
    Route("open311:service", Kind.PUBLIC, _open311_service, public_scope=True),
    Route("open311:requests", Kind.PUBLIC, _open311("open311:requests"), public_scope=True),
    Route(
        "open311:requests",
        Kind.PUBLIC,
        _open311_post_without_key,
        variant="post without a key",
        public_scope=True,
        anonymous_status=403,
        signed_in_status=403,
    ),
    Route(
        "open311:request",
        Kind.PUBLIC,
        _open311_request,
        public_scope=True,
        region_targets=True,
    ),
    Route(
        "open311:token",
        Kind.PUBLIC,
        _open311_token,
        public_scope=True,
        region_targets=True,
    ),
    # The residents' public pages
    Route("public:report", Kind.PUBLIC, _get("public:report"), public_scope=True),
    Route("public:boundaries", Kind.PUBLIC, _get("public:boundaries"), public_scope=True),
    Route("public:track", Kind.PUBLIC, _get("public:track"), variant="form", public_scope=True),
    Route(
        "public:track",
        Kind.PUBLIC,
        _public_track,
        variant="lookup",
        public_scope=True,
        region_targets=True,
        ok=302,
    ),
    Route(
        "public:received",
        Kind.PUBLIC,
        _public_token("public:received"),
        public_scope=True,
        region_targets=True,
    ),
    Route(
        "public:status",
        Kind.PUBLIC,
        _public_token("public:status"),
        public_scope=True,
        region_targets=True,
    ),
    Route(
        "public:rate",
        Kind.PUBLIC,
        _public_token("public:rate", {"rating": 5, "comment": "好"}),
        public_scope=True,
        region_targets=True,
        ok=409,  # the world's cases are not resolved yet
    ),
    Route(
        "public:reopen",
        Kind.PUBLIC,
        _public_token("public:reopen", {"reason": "路灯还是不亮"}),
        public_scope=True,
        region_targets=True,
        ok=409,
    ),
    # The emergency broadcast (API)
    Route(
        "broadcast-api:list",
        Kind.LIST,
        lambda probe: Call("get", reverse("broadcast-api:list"), {"page_size": 200}),
        permission=Perm.BROADCAST_VIEW,
        variant="list",
        region_targets=False,
        listed=_listed_broadcast_regions,
        expected_listed=_expected_broadcast_regions,
    ),
    Route(
        "broadcast-api:list",
        Kind.OBJECT,
        _broadcast_compose_api,
        permission=Perm.BROADCAST_COMPOSE,
        variant="compose",
        ok=201,
        outside=400,  # "outside your jurisdiction", a bad target
        missing_target=False,
        same_as_missing=False,
    ),
    Route(
        "broadcast-api:detail",
        Kind.OBJECT,
        lambda probe: Call(
            "get", reverse("broadcast-api:detail", kwargs={"broadcast_id": probe.broadcast_id()})
        ),
        permission=Perm.BROADCAST_VIEW,
    ),
    Route(
        "broadcast-api:deliveries",
        Kind.OBJECT,
        lambda probe: Call(
            "get",
            reverse("broadcast-api:deliveries", kwargs={"broadcast_id": probe.broadcast_id()}),
        ),
        permission=Perm.BROADCAST_VIEW,
    ),
    Route(
        "broadcast-api:cap",
        Kind.OBJECT,
        lambda probe: Call(
            "get", reverse("broadcast-api:cap", kwargs={"broadcast_id": probe.broadcast_id()})
        ),
        permission=Perm.BROADCAST_VIEW,
    ),
    Route(
        "broadcast-api:terminal-list",
        Kind.LIST,
        lambda probe: Call("get", reverse("broadcast-api:terminal-list"), {"page_size": 500}),
        permission=Perm.TERMINALS_VIEW,
        region_targets=False,
        listed=_listed_broadcast_regions,
        expected_listed=_expected_terminal_regions,
    ),
    Route(
        "broadcast:terminals",
        Kind.SELF,
        _get("broadcast:terminals"),
        Perm.TERMINALS_VIEW,
        page=True,
    ),
    Route(
        "broadcast:terminal-import",
        Kind.SELF,
        _get("broadcast:terminal-import"),
        Perm.TERMINALS_MANAGE,
        page=True,
    ),
    Route(
        "broadcast:terminal-template",
        Kind.SELF,
        _get("broadcast:terminal-template"),
        Perm.TERMINALS_MANAGE,
        page=True,
    ),
    # The teams' rosters
    Route(
        "teams-api:list",
        Kind.LIST,
        _team_list,
        permission=Perm.TEAMS_VIEW,
        listed=_listed_team_regions,
        expected_listed=_expected_team_regions,
    ),
    Route(
        "teams-api:members",
        Kind.OBJECT,
        lambda probe: Call("get", _team_path("teams-api:members", probe)),
        permission=Perm.TEAMS_VIEW,
    ),
    Route("teams:list", Kind.SELF, _get("teams:list"), Perm.TEAMS_VIEW, page=True),
    Route(
        "teams:detail",
        Kind.OBJECT,
        lambda probe: Call("get", _team_path("teams:detail", probe)),
        permission=Perm.TEAMS_VIEW,
        page=True,
    ),
    # An empty member: inside, the form comes back with its errors (400).
    Route(
        "teams:detail",
        Kind.OBJECT,
        lambda probe: Call("post", _team_path("teams:detail", probe)),
        permission=Perm.TEAMS_MANAGE,
        variant="add member",
        page=True,
        ok=400,
    ),
    # The first probe inside records the member leaving; later ones find them gone (409).
    Route(
        "teams:leave",
        Kind.OBJECT,
        lambda probe: Call(
            "post", _team_path("teams:leave", probe, member_id=probe.team_member_id())
        ),
        permission=Perm.TEAMS_MANAGE,
        page=True,
        ok=frozenset({302, 409}),
    ),
    # Supervision and assessment: the scores
    Route(
        "assessment-api:score-list",
        Kind.LIST,
        _score_list,
        permission=Perm.ASSESSMENT_VIEW,
        listed=_listed_score_regions,
        expected_listed=_expected_score_regions,
    ),
    Route(
        "assessment-api:score-detail",
        Kind.OBJECT,
        lambda probe: Call("get", reverse("assessment-api:score-detail", args=[probe.score_id()])),
        permission=Perm.ASSESSMENT_VIEW,
    ),
    Route(
        "assessment-api:score-recompute",
        Kind.SELF,
        lambda probe: Call(
            "post",
            reverse("assessment-api:score-recompute"),
            {"month": RECOMPUTED_MONTH},
            json=True,
        ),
        permission=Perm.ASSESSMENT_VIEW,
    ),
    Route(
        "assessment:scores", Kind.SELF, _get("assessment:scores"), Perm.ASSESSMENT_VIEW, page=True
    ),
    Route(
        "assessment:export", Kind.SELF, _get("assessment:export"), Perm.ASSESSMENT_VIEW, page=True
    ),
    Route(
        "assessment:score",
        Kind.OBJECT,
        lambda probe: Call("get", reverse("assessment:score", args=[probe.score_id()])),
        permission=Perm.ASSESSMENT_VIEW,
        page=True,
    ),
    Route(
        "assessment:recompute",
        Kind.SELF,
        lambda probe: Call("post", reverse("assessment:recompute"), {"month": RECOMPUTED_MONTH}),
        Perm.ASSESSMENT_VIEW,
        page=True,
        ok=302,
    ),
    Route("assessment:visits", Kind.SELF, _visits_page, Perm.ASSESSMENT_VIEW, page=True),
    Route(
        "assessment:scheme", Kind.SELF, _get("assessment:scheme"), Perm.ASSESSMENT_VIEW, page=True
    ),
    # Supervision orders: the subject at each place issued one to themselves (a tracer); a
    # prober is neither its issuer nor its addressee, so each step is refused (403) inside.
    Route(
        "assessment-api:order-list",
        Kind.LIST,
        lambda probe: Call("get", reverse("assessment-api:order-list"), {"list": "all"}),
        permission=Perm.SUPERVISION_RESPOND,
        region_targets=False,
        listed=_listed_order_regions,
        expected_listed=_expected_order_regions,
    ),
    Route(
        "assessment-api:order-list",
        Kind.SELF,
        lambda probe: Call("post", reverse("assessment-api:order-list"), {}, json=True),
        permission=Perm.SUPERVISION_ISSUE,
        variant="issue",
        ok=400,
    ),
    Route(
        "assessment-api:order-detail",
        Kind.OBJECT,
        _order("assessment-api:order-detail"),
        permission=Perm.SUPERVISION_RESPOND,
    ),
    *(
        Route(
            f"assessment-api:order-{step}",
            Kind.OBJECT,
            _order(f"assessment-api:order-{step}", data),
            permission=Perm.SUPERVISION_RESPOND,
            ok=403,
        )
        for step, data in (
            ("respond", {"response": "矩阵"}),
            ("review", {"decision": "close"}),
            ("withdraw", {}),
        )
    ),
    Route(
        "assessment:orders",
        Kind.SELF,
        _get("assessment:orders"),
        Perm.SUPERVISION_RESPOND,
        page=True,
    ),
    Route(
        "assessment:order-new",
        Kind.SELF,
        _get("assessment:order-new"),
        Perm.SUPERVISION_ISSUE,
        page=True,
    ),
    Route(
        "assessment:order-new",
        Kind.SELF,
        _post("assessment:order-new"),
        Perm.SUPERVISION_ISSUE,
        variant="issue",
        page=True,
        ok=400,
    ),
    Route(
        "assessment:order",
        Kind.OBJECT,
        _order("assessment:order"),
        permission=Perm.SUPERVISION_RESPOND,
        page=True,
    ),
    *(
        Route(
            f"assessment:order-{step}",
            Kind.OBJECT,
            _order(f"assessment:order-{step}", data),
            permission=Perm.SUPERVISION_RESPOND,
            page=True,
            ok=403,
        )
        for step, data in (
            ("respond", {"response": "矩阵"}),
            ("review", {"decision": "close"}),
            ("withdraw", {}),
        )
    ),
    # Package responsibility: the subject at each place answers for it (a tracer).
    Route(
        "assessment-api:package-list",
        Kind.LIST,
        _package_list,
        permission=Perm.PACKAGE_ASSIGN,
        listed=_listed_order_regions,
        expected_listed=_expected_package_regions,
    ),
    Route(
        "assessment-api:package-list",
        Kind.SELF,
        lambda probe: Call("post", reverse("assessment-api:package-list"), {}, json=True),
        permission=Perm.PACKAGE_ASSIGN,
        variant="assign",
        ok=400,
    ),
    Route(
        "assessment-api:package-mine",
        Kind.SELF,
        _get("assessment-api:package-mine"),
        Perm.ASSESSMENT_VIEW,
    ),
    # The first probe inside ends it; later ones find it ended (409).
    Route(
        "assessment-api:package-end",
        Kind.OBJECT,
        lambda probe: Call(
            "post", reverse("assessment-api:package-end", args=[probe.package_id()])
        ),
        permission=Perm.PACKAGE_ASSIGN,
        ok=frozenset({200, 409}),
    ),
    Route(
        "assessment:my-package",
        Kind.SELF,
        _get("assessment:my-package"),
        Perm.ASSESSMENT_VIEW,
        page=True,
    ),
    Route(
        "assessment:packages",
        Kind.SELF,
        _get("assessment:packages"),
        Perm.PACKAGE_ASSIGN,
        page=True,
    ),
    Route(
        "assessment:packages",
        Kind.SELF,
        _post("assessment:packages"),
        Perm.PACKAGE_ASSIGN,
        variant="assign",
        page=True,
        ok=400,
    ),
    Route(
        "assessment:package-end",
        Kind.OBJECT,
        lambda probe: Call("post", reverse("assessment:package-end", args=[probe.package_id()])),
        permission=Perm.PACKAGE_ASSIGN,
        page=True,
        ok=frozenset({302, 409}),
    ),
    # Empty weights: the form comes back with its errors (400).
    Route(
        "assessment:scheme",
        Kind.SELF,
        _post("assessment:scheme"),
        Perm.ASSESSMENT_CONFIGURE,
        variant="save",
        page=True,
        ok=400,
    ),
    # The public alerts: the configured county's sent messages, no login
    Route("alerts:list", Kind.PUBLIC, _get("alerts:list"), public_scope=True),
    Route("alerts:feed", Kind.PUBLIC, _get("alerts:feed"), public_scope=True),
    *(
        Route(
            f"broadcast-api:{step}",
            Kind.OBJECT,
            _broadcast_api_step(step, {"note": "矩阵"}),
            permission=Perm.BROADCAST_VIEW,
            # done, or not this role's step (its author, no approving), or not in this state
            ok=frozenset({200, 403, 409}),
        )
        for step in ("submit", "approve", "reject", "cancel")
    ),
    # The emergency broadcast (pages)
    Route("broadcast:list", Kind.SELF, _get("broadcast:list"), Perm.BROADCAST_VIEW, page=True),
    Route(
        "broadcast:compose",
        Kind.SELF,
        _get("broadcast:compose"),
        permission=Perm.BROADCAST_COMPOSE,
        variant="form",
        page=True,
    ),
    Route(
        "broadcast:compose",
        Kind.OBJECT,
        _broadcast_compose_page,
        permission=Perm.BROADCAST_COMPOSE,
        variant="post",
        page=True,
        ok=302,
        outside=400,  # not one of the form's places
        missing_target=False,
        same_as_missing=False,
        target_map=_unit_of,  # the form offers the county, towns and villages
    ),
    Route(
        "broadcast:detail",
        Kind.OBJECT,
        _broadcast("broadcast:detail"),
        permission=Perm.BROADCAST_VIEW,
        page=True,
    ),
    Route(
        "broadcast:audio",
        Kind.OBJECT,
        _broadcast("broadcast:audio"),
        permission=Perm.BROADCAST_VIEW,
        page=True,
    ),
    Route(
        "broadcast:deliveries",
        Kind.OBJECT,
        _broadcast("broadcast:deliveries"),
        permission=Perm.BROADCAST_VIEW,
        page=True,
    ),
    Route(
        "broadcast:edit",
        Kind.OBJECT,
        _broadcast("broadcast:edit"),
        permission=Perm.BROADCAST_VIEW,
        page=True,
        ok=frozenset({200, 403}),  # the form, for whoever composes there
    ),
    Route(
        "broadcast:step",
        Kind.OBJECT,
        _broadcast("broadcast:step", {"action": "approve"}),
        permission=Perm.BROADCAST_VIEW,
        page=True,
        ok=frozenset({302, 403}),
    ),
    Route(
        "open311:not-found",
        Kind.PUBLIC,
        lambda probe: Call("get", "/open311/v2/no/such/thing.json"),
        public_scope=True,
        anonymous_status=404,
        signed_in_status=404,
    ),
]

_ROUTE_LIST += _register_routes()
_ROUTE_LIST += _volunteer_routes()


# The front lines' activities


def _activity_list(probe: Probe) -> Call:
    assert probe.target is not None
    params = {} if probe.target is ALL else {"region": probe.target.code}
    return Call("get", reverse("activities-api:list"), params)


def _listed_activity_regions(response: HttpResponseBase, text: str) -> set[str]:
    return {row["region_code"] for row in _json(text)["results"]}


def _expected_activity_regions(probe: Probe) -> set[str]:
    visible = visible_codes(probe, Perm.ACTIVITIES_VIEW)
    assert probe.target is not None
    return {
        code
        for code in probe.world.activities
        if code in visible and (probe.target is ALL or is_within(code, probe.target.code))
    }


def _activity_log(probe: Probe) -> Call:
    data = {
        "kind": "safety_publicity",
        "started_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "place": "矩阵探针广场",
        "region_code": probe.code,
    }
    return Call("post", reverse("activities-api:list"), data, json=True)


def _activity_post(name: str, data: dict[str, Any]) -> Callable[[Probe], Call]:
    return lambda probe: Call(
        "post", reverse(name, kwargs={"activity_id": probe.activity_id()}), data, json=True
    )


def _activity_page_post(name: str, data: dict[str, Any]) -> Callable[[Probe], Call]:
    return lambda probe: Call(
        "post", reverse(name, kwargs={"activity_id": probe.activity_id()}), data
    )


def _activity_routes() -> list[Route]:
    point: dict[str, Any] = {"latitude": 34.5, "longitude": 107.1}
    walks: list[tuple[str, dict[str, Any]]] = [
        ("activities-api:check-in", point),
        ("activities-api:problem", {"category": "x", "description": "矩阵", **point}),
        ("activities-api:finish", {}),
    ]
    return [
        Route(
            "activities-api:list",
            Kind.LIST,
            _activity_list,
            permission=Perm.ACTIVITIES_VIEW,
            variant="list",
            listed=_listed_activity_regions,
            expected_listed=_expected_activity_regions,
        ),
        Route(
            "activities-api:list",
            Kind.OBJECT,
            _activity_log,
            permission=Perm.ACTIVITIES_LOG,
            variant="log",
            ok=201,
            outside=400,  # "choose a place within where you work", as a bad place
        ),
        Route(
            "activities-api:detail",
            Kind.OBJECT,
            lambda probe: Call(
                "get", reverse("activities-api:detail", kwargs={"activity_id": probe.activity_id()})
            ),
            permission=Perm.ACTIVITIES_VIEW,
        ),
        Route(
            "activities-api:patrol-start",
            Kind.OBJECT,
            lambda probe: Call(
                "post",
                reverse("activities-api:patrol-start"),
                {"region_code": probe.code},
                json=True,
            ),
            permission=Perm.ACTIVITIES_LOG,
            ok=201,
            outside=400,
        ),
        Route(
            "activities:list", Kind.SELF, _get("activities:list"), Perm.ACTIVITIES_VIEW, page=True
        ),
        Route("activities:new", Kind.SELF, _get("activities:new"), Perm.ACTIVITIES_LOG, page=True),
        # An empty activity: the form comes back with its errors.
        Route(
            "activities:new",
            Kind.SELF,
            _post("activities:new"),
            Perm.ACTIVITIES_LOG,
            variant="empty",
            page=True,
            ok=400,
        ),
        Route(
            "activities:patrol",
            Kind.SELF,
            _get("activities:patrol"),
            Perm.ACTIVITIES_LOG,
            page=True,
        ),
        Route(
            "activities:patrol-start",
            Kind.SELF,
            _post("activities:patrol-start"),
            Perm.ACTIVITIES_LOG,
            page=True,
            ok=302,
        ),
        Route(
            "activities:detail",
            Kind.OBJECT,
            lambda probe: Call(
                "get", reverse("activities:detail", kwargs={"activity_id": probe.activity_id()})
            ),
            permission=Perm.ACTIVITIES_VIEW,
            page=True,
        ),
        Route(
            "activities:photo",
            Kind.OBJECT,
            lambda probe: Call(
                "get",
                reverse(
                    "activities:photo",
                    kwargs={
                        "activity_id": probe.activity_id(),
                        "photo_id": probe.world.activity_photos.get(probe.code, MISSING_OBJECT_ID),
                    },
                ),
            ),
            permission=Perm.ACTIVITIES_VIEW,
            page=True,
        ),
        Route(
            "activities:problem",
            Kind.OBJECT,
            lambda probe: Call(
                "get", reverse("activities:problem", kwargs={"activity_id": probe.activity_id()})
            ),
            permission=Perm.ACTIVITIES_LOG,
            variant="form",
            page=True,
            ok=403,
        ),
        *(
            Route(
                name,
                Kind.OBJECT,
                _activity_page_post(name, data),
                permission=Perm.ACTIVITIES_LOG,
                variant="page",
                page=True,
                ok=403,
            )
            for name, data in [
                ("activities:check-in", point),
                ("activities:problem", {"category": "x", "description": "矩阵", **point}),
                ("activities:finish", {}),
            ]
        ),
        # The patrols of the tree are walked by somebody else: inside, only they may (403).
        *(
            Route(
                name,
                Kind.OBJECT,
                _activity_post(name, data),
                permission=Perm.ACTIVITIES_LOG,
                ok=403,
            )
            for name, data in walks
        ),
    ]


_ROUTE_LIST += _activity_routes()


def _course_id(probe: Probe) -> int:
    return probe.world.training_courses.get(probe.code, MISSING_OBJECT_ID)


def _training_session_id(probe: Probe) -> int:
    return probe.world.training_sessions.get(probe.code, MISSING_OBJECT_ID)


def _training_list(name: str) -> Callable[[Probe], Call]:
    return lambda probe: Call("get", reverse(name), _region_params(probe))


def _course_fields(probe: Probe) -> dict[str, Any]:
    return {
        "kind": "volunteers",
        "title": "矩阵探针课程",
        "region": probe.code,
        "region_code": probe.code,
        "hours": 4,
        "validity_months": 12,
        "pass_mark": 60,
    }


def _training_session_fields(probe: Probe) -> dict[str, Any]:
    start = timezone.localtime() + timedelta(days=1)
    return {
        "course": _course_id(probe),
        "region": probe.code,
        "region_code": probe.code,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "trainer": "矩阵讲师",
        "capacity": 5,
    }


def _attendance_api(probe: Probe) -> Call:
    member = probe.world.team_members.get(probe.code, MISSING_OBJECT_ID)
    path = reverse(
        "trainings-api:attendance-record", kwargs={"session_id": _training_session_id(probe)}
    )
    return Call(
        "post", path, {"entries": [{"member": member, "attended": True, "passed": True}]}, True
    )


def _attendance_page(probe: Probe) -> Call:
    member = probe.world.team_members.get(probe.code, MISSING_OBJECT_ID)
    path = reverse("trainings:session", kwargs={"session_id": _training_session_id(probe)})
    return Call("post", path, {"member": [member], f"attended_{member}": "on"})


def _course(name: str) -> Callable[[Probe], Call]:
    return lambda probe: Call("get", reverse(name, kwargs={"course_id": _course_id(probe)}))


def _session(name: str) -> Callable[[Probe], Call]:
    return lambda probe: Call(
        "get", reverse(name, kwargs={"session_id": _training_session_id(probe)})
    )


def _training_routes() -> list[Route]:
    view, manage = Perm.TRAININGS_VIEW, Perm.TRAININGS_MANAGE
    lists = [
        ("trainings-api:course-list", "training_courses"),
        ("trainings-api:session-list", "training_sessions"),
        ("trainings-api:training-list", "training_sessions"),
        ("trainings-api:attendance-list", "training_sessions"),
        ("trainings-api:certificate-list", "training_sessions"),
    ]
    routes = [
        Route(
            name,
            Kind.LIST,
            _training_list(name),
            permission=view,
            listed=_listed_result_regions,
            expected_listed=_expected_in(attribute, view),
        )
        for name, attribute in lists
    ]
    routes += [
        Route("trainings-api:trained", Kind.LIST, _training_list("trainings-api:trained"), view),
        Route(
            "trainings-api:course-list",
            Kind.OBJECT,
            lambda probe: Call(
                "post", reverse("trainings-api:course-list"), _course_fields(probe), json=True
            ),
            permission=manage,
            variant="set up",
            ok=201,
            outside=400,  # not a place of the organiser's jurisdiction
            same_as_missing=False,
        ),
        Route(
            "trainings-api:course-detail",
            Kind.OBJECT,
            _course("trainings-api:course-detail"),
            view,
        ),
        # The course named is the target's: outside, it is another's course (404).
        Route(
            "trainings-api:session-list",
            Kind.OBJECT,
            lambda probe: Call(
                "post",
                reverse("trainings-api:session-list"),
                _training_session_fields(probe),
                json=True,
            ),
            permission=manage,
            variant="schedule",
            ok=201,
        ),
        Route(
            "trainings-api:session-detail",
            Kind.OBJECT,
            _session("trainings-api:session-detail"),
            view,
        ),
        Route("trainings-api:attendance-record", Kind.OBJECT, _attendance_api, manage),
        # Pages
        Route("trainings:courses", Kind.SELF, _get("trainings:courses"), view, page=True),
        Route(
            "trainings:courses",
            Kind.OBJECT,
            lambda probe: Call("post", reverse("trainings:courses"), _course_fields(probe)),
            permission=manage,
            variant="set up",
            page=True,
            ok=302,
            outside=400,  # not one of the form's places
            same_as_missing=False,
            target_map=_grid_of,
        ),
        Route("trainings:course", Kind.OBJECT, _course("trainings:course"), view, page=True),
        Route(
            "trainings:course",
            Kind.OBJECT,
            lambda probe: Call(
                "post",
                reverse("trainings:course", kwargs={"course_id": _course_id(probe)}),
                _training_session_fields(probe),
            ),
            permission=manage,
            variant="schedule",
            page=True,
            ok=302,
            target_map=_grid_of,
        ),
        Route("trainings:session", Kind.OBJECT, _session("trainings:session"), view, page=True),
        Route(
            "trainings:session",
            Kind.OBJECT,
            _attendance_page,
            permission=manage,
            variant="record",
            page=True,
            ok=302,
        ),
        Route("trainings:trained", Kind.SELF, _get("trainings:trained"), view, page=True),
        Route("trainings:attendance", Kind.SELF, _get("trainings:attendance"), view, page=True),
        Route("trainings:certificates", Kind.SELF, _get("trainings:certificates"), view, page=True),
    ]
    return routes


_ROUTE_LIST += _training_routes()

ROUTES: dict[str, list[Route]] = {}
for _route in _ROUTE_LIST:
    ROUTES.setdefault(_route.name, []).append(_route)

# Routes the matrix leaves out, with the reason; tests/test_route_coverage.py tests each one's
# access separately.
EXEMPT: dict[str, str] = {
    "admin:*": "Django's admin site: only is_staff accounts get in; a non-staff login is sent to "
    "the admin login page (tested in test_route_coverage).",
    "schema": "the OpenAPI schema: describes routes, holds no region data (tested for that).",
    "swagger-ui": "Swagger UI: a static page that loads the schema (tested for that).",
    "set_language": "switches the UI language in the session; reads and shows no data.",
    "broadcast:terminal-audio": "for broadcast terminals, not people: no login opens it, only a "
    "request signed by the key registered with a terminal the message was sent to (tested in "
    "gridgov/broadcast/tests/test_terminal_audio.py: unsigned 401, another terminal's or a stale "
    "signature 403, a terminal the message was not sent to 404, a logged-in person 401).",
}
