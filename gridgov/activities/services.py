"""Writes to the front lines' log: an activity logged after the fact; a patrol started, checked in
along the way (the phone's position, which must lie in the worker's own grid), a problem found on
it reported as a case in the same step, and finished. Each audited; refusals carry codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gridgov.accounts.selectors import active_user_named
from gridgov.activities import errors
from gridgov.activities.models import Activity, ActivityKind, ActivityPhoto, CheckIn
from gridgov.cases.models import Case, Channel
from gridgov.cases.services import CaseInput, case_report
from gridgov.cases.services.intake import check_photos
from gridgov.core import codes
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import (
    TOO_LONG,
    Conflict,
    DomainError,
    PermissionDenied,
    Problem,
    ValidationFailed,
)
from gridgov.core.scoping import require_permission
from gridgov.mediation.selectors import file_get
from gridgov.people.models import HomeVisit
from gridgov.regions.locator import PointOutsideGrids, locate_point
from gridgov.regions.models import Region
from gridgov.teams.selectors import serving_members

# Work is logged soon after it is done; older records come in by import, not by hand.
BACKDATE_DAYS = 60
# A phone's clock may run a little ahead of the server's.
CLOCK_SLACK = timedelta(minutes=10)
MAX_AUDIENCE = 100_000
MAX_PARTICIPANTS = 50
TOPIC_MAX_LENGTH = 120
PLACE_MAX_LENGTH = 200
OUTCOME_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 200
NAME_MAX_LENGTH = 120


@dataclass
class ActivityInput:
    kind: str
    started_at: datetime | None
    place: str
    region_code: str = ""  # empty: the one place the actor works, when they have one
    ended_at: datetime | None = None
    topic: str = ""
    audience: int = 0
    outcome: str = ""
    participants: list[str] = field(default_factory=list)  # usernames besides the recorder
    team_member_ids: list[int] = field(default_factory=list)
    mediation_file_number: str = ""
    school: str = ""
    lecturer: str = ""
    photos: list[UploadedFile] = field(default_factory=list)


def _works_at(user: Any, region_code: str) -> bool:
    """Whether the account holds a role at, above or below the place."""
    return any(
        codes.is_within(region_code, a.region_code) or codes.is_within(a.region_code, region_code)
        for a in user.active_assignments()
    )


def _place_of(allowed: list[str], region_code: str) -> tuple[str, Problem | None]:
    """The region the work happened in: the one given, within where the actor may log, or the
    actor's only place."""
    region_code = region_code.strip()
    if not region_code:
        if len(allowed) == 1:
            return allowed[0], None
        return "", errors.CHOOSE_PLACE.bind()
    if (
        not codes.is_valid_code(region_code)
        or not any(codes.is_within(region_code, top) for top in allowed)
        or not Region.objects.filter(region_code=region_code).exists()
    ):
        return "", errors.PLACE_OUTSIDE.bind()
    return region_code, None


def _text_problems(values: dict[str, tuple[str, int]]) -> dict[str, list[Problem]]:
    return {
        name: [TOO_LONG.bind(limit=limit)]
        for name, (text, limit) in values.items()
        if len(text) > limit
    }


def _check(actor: Any, data: ActivityInput, allowed: list[str], now: datetime) -> dict[str, Any]:
    """Validate everything before writing anything: the problems field by field, or what to
    write."""
    problems: dict[str, list[Problem]] = _text_problems(
        {
            "topic": (data.topic.strip(), TOPIC_MAX_LENGTH),
            "place": (data.place.strip(), PLACE_MAX_LENGTH),
            "outcome": (data.outcome.strip(), OUTCOME_MAX_LENGTH),
            "school": (data.school.strip(), NAME_MAX_LENGTH),
            "lecturer": (data.lecturer.strip(), 64),
        }
    )
    if data.kind == ActivityKind.PATROL:
        problems["kind"] = [errors.USE_PATROL_PAGE.bind()]
    elif data.kind not in ActivityKind.values:
        problems["kind"] = [errors.UNKNOWN_KIND.bind()]
    region_code, place_problem = _place_of(allowed, data.region_code)
    if place_problem is not None:
        problems["region_code"] = [place_problem]
    if not data.place.strip() and "place" not in problems:
        problems["place"] = [errors.PLACE_REQUIRED.bind()]
    if data.started_at is None:
        problems["started_at"] = [errors.WHEN_REQUIRED.bind()]
    elif data.started_at > now + CLOCK_SLACK:
        problems["started_at"] = [errors.IN_FUTURE.bind()]
    elif data.started_at < now - timedelta(days=BACKDATE_DAYS):
        problems["started_at"] = [errors.TOO_OLD.bind(days=BACKDATE_DAYS)]
    elif data.ended_at is not None and data.ended_at < data.started_at:
        problems["ended_at"] = [errors.ENDS_BEFORE_START.bind()]
    if not 0 <= data.audience <= MAX_AUDIENCE:
        problems["audience"] = [errors.AUDIENCE_RANGE.bind(limit=MAX_AUDIENCE)]
    kinds = dict(ActivityKind.choices)
    number = data.mediation_file_number.strip()
    if number and data.kind != ActivityKind.DISPUTE_MEDIATION:
        kind_name = kinds[ActivityKind.DISPUTE_MEDIATION]
        problems["mediation_file_number"] = [errors.ONLY_FOR_KIND.bind(kind=kind_name)]
    elif number:
        try:
            file_get(actor=actor, number=number)
        except DomainError:
            problems["mediation_file_number"] = [errors.NO_SUCH_FILE.bind(number=number[:32])]
    for name in ("school", "lecturer"):
        if getattr(data, name).strip() and data.kind != ActivityKind.LAW_EDUCATION:
            kind_name = kinds[ActivityKind.LAW_EDUCATION]
            problems[name] = [errors.ONLY_FOR_KIND.bind(kind=kind_name)]
    people = []
    for username in dict.fromkeys(u.strip() for u in data.participants[:MAX_PARTICIPANTS]):
        if not username or username == actor.username:
            continue
        user = active_user_named(username=username)
        if user is None or (region_code and not _works_at(user, region_code)):
            problems.setdefault("participants", []).append(
                errors.NO_SUCH_ACCOUNT.bind(username=username[:150])
            )
        else:
            people.append(user)
    members = []
    wanted = sorted(set(data.team_member_ids))
    if wanted and region_code:
        try:
            members = serving_members(
                actor=actor, member_ids=wanted, town_code=region_code[: codes.TOWN_LEN]
            )
        except PermissionDenied:
            members = []
        if len(members) != len(wanted):
            problems["team_members"] = [errors.NO_SUCH_MEMBER.bind()]
    photos, photo_problems = check_photos(list(data.photos))
    if photo_problems:
        problems["photos"] = photo_problems
    if problems:
        raise ValidationFailed(problems)
    return {"region_code": region_code, "people": people, "members": members, "photos": photos}


def _save_photos(activity: Activity, photos: list[tuple[UploadedFile, str]]) -> None:
    for upload, content_type in photos:
        ActivityPhoto.objects.create(
            activity=activity, image=upload, content_type=content_type, size=upload.size or 0
        )


def activity_log(*, actor: Any, data: ActivityInput) -> Activity:
    """Log a piece of front-line work done where the actor works (a patrol is walked instead)."""
    allowed = require_permission(actor, Perm.ACTIVITIES_LOG)
    now = timezone.now()
    checked = _check(actor, data, allowed, now)
    assert data.started_at is not None
    with transaction.atomic():
        activity = Activity(
            kind=data.kind,
            topic=data.topic.strip(),
            started_at=data.started_at,
            ended_at=data.ended_at,
            place=data.place.strip(),
            recorded_by=actor,
            audience=data.audience,
            outcome=data.outcome.strip(),
            mediation_file_number=data.mediation_file_number.strip(),
            school=data.school.strip(),
            lecturer=data.lecturer.strip(),
            created_at=now,
        )
        activity.set_region_code(checked["region_code"])
        activity.save()
        activity.participants.set([actor, *checked["people"]])
        activity.team_members.set(checked["members"])
        _save_photos(activity, checked["photos"])
        audit_record(
            actor=actor,
            action="activities.log",
            object_type="activity",
            object_id=activity.pk,
            region_code=activity.region_code,
            detail={"kind": activity.kind},
        )
    return activity


def activity_log_visit(*, actor: Any, visit: HomeVisit) -> Activity:
    """Log a household visit just recorded as the worker's service-management work (called in
    the visit's own transaction, so both or neither are kept)."""
    require_permission(actor, Perm.ACTIVITIES_LOG)
    now = timezone.now()
    # A visit records its day, not its hour: today's is now, an earlier one that morning.
    if visit.visited_on >= timezone.localdate(now):
        started = now
    else:
        started = timezone.make_aware(datetime.combine(visit.visited_on, time(9)))
    activity = Activity(
        kind=ActivityKind.SERVICE_MANAGEMENT,
        started_at=started,
        place=visit.household.address[:PLACE_MAX_LENGTH],
        recorded_by=actor,
        audience=1,
        outcome=visit.found[:OUTCOME_MAX_LENGTH],
        visit=visit,
        created_at=now,
    )
    activity.set_region_code(visit.region_code)
    activity.save()
    activity.participants.set([actor])
    return activity


# Patrols


def patrol_check_walker(*, actor: Any, patrol: Activity) -> None:
    """Refuse unless `patrol` is the actor's own patrol under way (before showing its forms)."""
    require_permission(actor, Perm.ACTIVITIES_LOG)
    _own_open_patrol(actor, patrol)


def _own_open_patrol(actor: Any, patrol: Activity) -> None:
    if patrol.kind != ActivityKind.PATROL:
        raise Conflict(errors.NOT_A_PATROL)
    if patrol.recorded_by_id != actor.pk:
        raise PermissionDenied(errors.NOT_YOURS)
    if patrol.ended_at is not None:
        raise Conflict(errors.PATROL_FINISHED)


def patrol_start(*, actor: Any, region_code: str = "", topic: str = "") -> Activity:
    """Start walking a patrol of the actor's grid now; one open patrol at a time."""
    allowed = require_permission(actor, Perm.ACTIVITIES_LOG)
    place, problem = _place_of(allowed, region_code)
    problems: dict[str, list[Problem]] = _text_problems(
        {"topic": (topic.strip(), TOPIC_MAX_LENGTH)}
    )
    if problem is not None:
        problems["region_code"] = [problem]
    if problems:
        raise ValidationFailed(problems)
    now = timezone.now()
    with transaction.atomic():
        # Locks the actor's open patrols, so two taps on "start" make one patrol.
        open_patrols = Activity.objects.select_for_update().filter(
            kind=ActivityKind.PATROL, recorded_by=actor, ended_at__isnull=True
        )
        if open_patrols.exists():
            raise Conflict(errors.PATROL_OPEN)
        patrol = Activity(
            kind=ActivityKind.PATROL,
            topic=topic.strip(),
            started_at=now,
            recorded_by=actor,
            created_at=now,
        )
        patrol.set_region_code(place)
        patrol.save()
        patrol.participants.set([actor])
        audit_record(
            actor=actor,
            action="activities.patrol_start",
            object_type="activity",
            object_id=patrol.pk,
            region_code=place,
        )
    return patrol


def _locate_within(
    actor: Any, latitude: float | None, longitude: float | None
) -> tuple[str, float, float]:
    """The (micro-)grid a position lies in, which must be where the actor may log."""
    if latitude is None or longitude is None:
        raise ValidationFailed.on("location", errors.POINT_REQUIRED)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationFailed.on("location", errors.POINT_RANGE)
    try:
        location = locate_point(lng=longitude, lat=latitude)
    except PointOutsideGrids as error:
        raise ValidationFailed.on("location", errors.POINT_OUTSIDE_GRIDS) from error
    allowed = actor.jurisdiction_codes(Perm.ACTIVITIES_LOG)
    if not any(codes.is_within(location.region_code, top) for top in allowed):
        raise ValidationFailed.on("location", errors.POINT_OUTSIDE_YOURS, grid=location.grid_code)
    return location.region_code, latitude, longitude


def patrol_check_in(
    *,
    actor: Any,
    patrol: Activity,
    latitude: float | None,
    longitude: float | None,
    accuracy_m: int | None = None,
    note: str = "",
) -> CheckIn:
    """A point of the patrol's route, now, where the worker's phone places them."""
    require_permission(actor, Perm.ACTIVITIES_LOG)
    _own_open_patrol(actor, patrol)
    if len(note.strip()) > NOTE_MAX_LENGTH:
        raise ValidationFailed.on("note", TOO_LONG, limit=NOTE_MAX_LENGTH)
    region_code, latitude, longitude = _locate_within(actor, latitude, longitude)
    if accuracy_m is not None and not 0 <= accuracy_m <= 100_000:
        accuracy_m = None
    with transaction.atomic():
        check_in = CheckIn(
            activity=patrol,
            at=timezone.now(),
            latitude=latitude,
            longitude=longitude,
            accuracy_m=accuracy_m,
            note=note.strip(),
        )
        check_in.set_region_code(region_code)
        check_in.save()
        audit_record(
            actor=actor,
            action="activities.check_in",
            object_type="activity",
            object_id=patrol.pk,
            region_code=region_code,
        )
    return check_in


def patrol_report_problem(
    *, actor: Any, patrol: Activity, data: CaseInput, client_address: str | None = None
) -> Case:
    """Report a problem found on the patrol as a grid-patrol case, linked to the patrol, with a
    check-in where it was found: all or nothing."""
    require_permission(actor, Perm.ACTIVITIES_LOG)
    _own_open_patrol(actor, patrol)
    data.channel = Channel.GRID_PATROL
    with transaction.atomic():
        case = case_report(actor=actor, data=data, client_address=client_address)
        if data.latitude is not None and data.longitude is not None:
            region_code, latitude, longitude = _locate_within(actor, data.latitude, data.longitude)
            check_in = CheckIn(
                activity=patrol,
                at=case.created_at,
                latitude=latitude,
                longitude=longitude,
                note=case.number,
            )
            check_in.set_region_code(region_code)
            check_in.save()
        patrol.cases.add(case)
        audit_record(
            actor=actor,
            action="activities.patrol_case",
            object_type="activity",
            object_id=patrol.pk,
            region_code=patrol.region_code,
            detail={"case": case.number},
        )
    return case


def patrol_finish(
    *,
    actor: Any,
    patrol: Activity,
    outcome: str = "",
    photos: Sequence[UploadedFile] = (),
) -> Activity:
    """End the patrol now, with what came of it and any photos."""
    require_permission(actor, Perm.ACTIVITIES_LOG)
    problems: dict[str, list[Problem]] = _text_problems(
        {"outcome": (outcome.strip(), OUTCOME_MAX_LENGTH)}
    )
    checked, photo_problems = check_photos(list(photos))
    if photo_problems:
        problems["photos"] = photo_problems
    with transaction.atomic():
        patrol = Activity.objects.select_for_update().get(pk=patrol.pk)
        _own_open_patrol(actor, patrol)
        if problems:
            raise ValidationFailed(problems)
        patrol.ended_at = timezone.now()
        patrol.outcome = outcome.strip()
        patrol.save(update_fields=["ended_at", "outcome"])
        _save_photos(patrol, checked)
        audit_record(
            actor=actor,
            action="activities.patrol_finish",
            object_type="activity",
            object_id=patrol.pk,
            region_code=patrol.region_code,
            detail={"check_ins": patrol.check_ins.count(), "cases": patrol.cases.count()},
        )
    return patrol
