"""Every read of the front lines' log, scoped to the actor; and the patrol coverage the
assessment scores grid workers by."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from gridgov.activities import errors
from gridgov.activities.models import Activity, ActivityKind, CheckIn
from gridgov.core.access import Perm
from gridgov.core.audit import audit_out_of_jurisdiction
from gridgov.core.codes import SCOPE_COLUMN_BY_LENGTH
from gridgov.core.errors import NotFound
from gridgov.core.scoping import Actor, require_permission, scope_queryset

EARLIEST = date(1900, 1, 1)
LATEST = date(9000, 1, 1)


def local_start(day: date) -> datetime:
    """The first moment of a day in the installation's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class ActivityFilters:
    kind: str = ""
    region_code: str = ""  # this place and the places below it
    person: str = ""  # a participant's username
    recorder_id: int | None = None  # whose record it is (the patrols a score counted)
    since: date | None = None  # started on or after this day
    until: date | None = None  # started on or before this day
    open_only: bool = False
    finished_only: bool = False


def activity_queryset(*, actor: Actor, log: bool = False) -> QuerySet[Activity]:
    permission = Perm.ACTIVITIES_LOG if log else Perm.ACTIVITIES_VIEW
    return scope_queryset(Activity.objects.all(), actor=actor, permission=permission)


def activity_list(*, actor: Actor, filters: ActivityFilters | None = None) -> QuerySet[Activity]:
    """The activities of the actor's jurisdiction, newest first."""
    filters = filters or ActivityFilters()
    activities = activity_queryset(actor=actor)
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.region_code:
        column = SCOPE_COLUMN_BY_LENGTH.get(len(filters.region_code), "region_code")
        activities = activities.filter(**{column: filters.region_code})
    if filters.person:
        activities = activities.filter(participants__username=filters.person)
    if filters.recorder_id is not None:
        activities = activities.filter(recorded_by_id=filters.recorder_id)
    # Days at the ends of the calendar bound nothing (and have no moment in every time zone).
    if filters.since is not None and filters.since > EARLIEST:
        activities = activities.filter(started_at__gte=local_start(filters.since))
    if filters.until is not None and filters.until < LATEST:
        activities = activities.filter(
            started_at__lt=local_start(filters.until + timedelta(days=1))
        )
    if filters.open_only:
        activities = activities.filter(kind=ActivityKind.PATROL, ended_at__isnull=True)
    if filters.finished_only:
        activities = activities.filter(ended_at__isnull=False)
    return (
        activities.select_related("recorded_by")
        .prefetch_related("participants")
        .annotate(check_in_count=Count("check_ins", distinct=True))
        .order_by("-started_at", "-id")
    )


def activity_get(*, actor: Actor, activity_id: int, log: bool = False) -> Activity:
    """The activity, or NotFound when missing or outside the actor's jurisdiction (audited)."""
    found = (
        activity_queryset(actor=actor, log=log)
        .select_related("recorded_by", "visit")
        .prefetch_related(
            "participants",
            "team_members",
            "photos",
            Prefetch("check_ins", queryset=CheckIn.objects.order_by("at", "id")),
            "cases",
        )
        .filter(pk=activity_id)
        .first()
    )
    if found is None:
        outside = (
            Activity.objects.filter(pk=activity_id).values_list("region_code", flat=True).first()
        )
        if outside is not None:
            audit_out_of_jurisdiction(
                actor=actor, object_type="activity", object_id=str(activity_id), region_code=outside
            )
        raise NotFound(errors.ACTIVITY_NOT_FOUND)
    return found


def open_patrol(*, actor: Any) -> Activity | None:
    """The actor's own patrol under way, if any."""
    require_permission(actor, Perm.ACTIVITIES_LOG)
    return (
        Activity.objects.filter(kind=ActivityKind.PATROL, recorded_by=actor, ended_at__isnull=True)
        .order_by("-started_at")
        .first()
    )


def kind_counts(*, actor: Actor, filters: ActivityFilters | None = None) -> dict[str, int]:
    """How many activities of each kind the filters find (their kind filter aside)."""
    filters = filters or ActivityFilters()
    base = ActivityFilters(
        region_code=filters.region_code,
        person=filters.person,
        recorder_id=filters.recorder_id,
        finished_only=filters.finished_only,
        since=filters.since,
        until=filters.until,
    )
    rows = (
        activity_list(actor=actor, filters=base)
        .order_by()
        .values("kind")
        .annotate(n=Count("id", distinct=True))
    )
    return {row["kind"]: row["n"] for row in rows}


@dataclass
class PatrolCoverage:
    """A grid worker's patrols in a period: how many they finished and the grids their
    check-ins covered."""

    user_id: int
    patrols: int = 0
    grids: set[str] = field(default_factory=set)


def patrol_coverage(
    *, scope_code: str, since: datetime, until: datetime, actor: Actor | None = None
) -> dict[int, PatrolCoverage]:
    """Per recorder (user id): the finished patrols started in [since, until) within the region
    `scope_code` (every region when it is empty), and the grids their check-ins lay in. With
    `actor`, limited to what the actor may see (the assessment's scheduled computation reads
    the whole installation without one)."""
    patrols = Activity.objects.filter(
        kind=ActivityKind.PATROL,
        ended_at__isnull=False,
        started_at__gte=since,
        started_at__lt=until,
    )
    if scope_code:
        patrols = patrols.filter(**{SCOPE_COLUMN_BY_LENGTH[len(scope_code)]: scope_code})
    if actor is not None:
        patrols = scope_queryset(patrols, actor=actor, permission=Perm.ACTIVITIES_VIEW)
    result: dict[int, PatrolCoverage] = {}
    for user_id, count in (
        patrols.order_by()
        .values_list("recorded_by")
        .annotate(n=Count("id"))
        .values_list("recorded_by", "n")
    ):
        result[user_id] = PatrolCoverage(user_id=user_id, patrols=count)
    covered = (
        CheckIn.objects.filter(activity__in=patrols.values("pk"))
        .exclude(grid_code="")
        .order_by()
        .values_list("activity__recorded_by", "grid_code")
        .distinct()
    )
    for user_id, grid_code in covered:
        result.setdefault(user_id, PatrolCoverage(user_id=user_id)).grids.add(grid_code)
    return result
