"""Every read of mediation, scoped to the actor: centres, files, a mediator's day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils import timezone

from gridgov.accounts.models import RoleAssignment, User
from gridgov.core.access import ROLE_SPECS, Perm, Role
from gridgov.core.audit import audit_out_of_jurisdiction
from gridgov.core.codes import is_within
from gridgov.core.errors import NotFound, ValidationFailed
from gridgov.core.scoping import Actor, require_permission, scope_queryset
from gridgov.mediation import errors
from gridgov.mediation.models import (
    AGREED,
    RISK_LEVEL_ORDER,
    URGENT_LEVELS,
    Centre,
    JointMeeting,
    MediationFile,
    MediationSession,
    MeetingTask,
    Referral,
    Risk,
    RiskFollowUp,
    RiskLevel,
    RiskStatus,
    Track,
)
from gridgov.regions.models import Level
from gridgov.regions.selectors import region_queryset

# The levels an analysis report is asked for.
REPORT_LEVELS = (Level.COUNTY, Level.TOWN, Level.VILLAGE)
# Sessions and follow-ups "due" on a mediator's home: from now to this many days ahead.
DUE_WINDOW = timedelta(days=7)


def centre_list(*, actor: Actor, level: str = "", within: str = "") -> QuerySet[Centre]:
    centres = scope_queryset(Centre.objects.all(), actor=actor, permission=Perm.MEDIATION_VIEW)
    if level:
        centres = centres.filter(level=level)
    if within:
        centres = centres.filter(region_code__startswith=within)
    return centres.order_by("region_code")


def centre_get(*, actor: Actor, centre_id: int, work: bool = False) -> Centre:
    """The centre, or NotFound when it is missing or outside the jurisdiction (for viewing, or
    with `work` for registering disputes there)."""
    permission = Perm.MEDIATION_WORK if work else Perm.MEDIATION_VIEW
    centre = scope_queryset(Centre.objects.all(), actor=actor, permission=permission).filter(
        pk=centre_id
    )
    found = centre.first()
    if found is None:
        raise NotFound(errors.CENTRE_NOT_FOUND)
    return found


def centre_mediators(*, centre: Centre) -> list[User]:
    """The mediators of a centre: holders of the mediator role at its region."""
    user_ids = RoleAssignment.objects.filter(
        role=Role.MEDIATOR, region_code=centre.region_code, is_active=True
    ).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("username"))


@dataclass(frozen=True)
class DeskMediator:
    username: str
    name: str
    region_code: str  # where they mediate
    centre: str  # the name of the centre there


def desk_mediators(*, actor: Actor, limit: int = 300) -> list[DeskMediator]:
    """Whom the desk may name to mediate: the mediators at the centres of the actor's
    jurisdiction and of the places above it (a county mediator helps a town's desk), the
    nearest first, by name."""
    allowed = require_permission(actor, Perm.MEDIATION_WORK)
    above = {code[:length] for code in allowed for length in (6, 9, 12) if length < len(code)}
    within = Q(region_code__in=above)
    for code in allowed:
        within |= Q(region_code__startswith=code)
    assignments = dict(
        RoleAssignment.objects.filter(within, role=Role.MEDIATOR, is_active=True)
        .order_by("user_id", "region_code")
        .values_list("user_id", "region_code")
    )
    users = User.objects.filter(pk__in=assignments, is_active=True).only("username", "display_name")
    centres = dict(
        Centre.objects.filter(region_code__in=set(assignments.values())).values_list(
            "region_code", "name"
        )
    )
    found = [
        DeskMediator(
            username=user.username,
            name=user.display_name or user.username,
            region_code=assignments[user.pk],
            centre=centres.get(assignments[user.pk], ""),
        )
        for user in users
    ]

    # The desk's own places first, then the places below them, then those above; by centre.
    def nearness(mediator: DeskMediator) -> int:
        if mediator.region_code in allowed:
            return 0
        return 1 if any(is_within(mediator.region_code, code) for code in allowed) else 2

    found.sort(key=lambda m: (nearness(m), m.region_code, m.name))
    return found[:limit]


def desk_centres(*, actor: Actor) -> QuerySet[Centre]:
    """The centres where the actor may register disputes."""
    return scope_queryset(Centre.objects.all(), actor=actor, permission=Perm.MEDIATION_WORK)


def _may_mediate_at(user: User, centre: Centre) -> bool:
    if not user.has_role(Role.MEDIATOR):
        return False
    return any(
        is_within(centre.region_code, a.region_code) or is_within(a.region_code, centre.region_code)
        for a in user.active_assignments()
        if a.role == Role.MEDIATOR
    )


def mediators_named(*, usernames: list[str], centre: Centre, actor: Any) -> list[User]:
    """The named users, each a mediator at, above or below the centre's region; with no names,
    the actor when they are one (else nobody yet)."""
    names = [name.strip() for name in usernames if name.strip()]
    if not names:
        return [actor] if _may_mediate_at(actor, centre) else []
    users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    problems = [
        errors.NOT_A_MEDIATOR.bind(username=name)
        for name in names
        if name not in users or not _may_mediate_at(users[name], centre)
    ]
    if problems:
        raise ValidationFailed({"mediators": problems})
    return [users[name] for name in dict.fromkeys(names)]


def file_queryset(*, actor: Actor, work: bool = False) -> QuerySet[MediationFile]:
    permission = Perm.MEDIATION_WORK if work else Perm.MEDIATION_VIEW
    return scope_queryset(MediationFile.objects.all(), actor=actor, permission=permission)


@dataclass(frozen=True)
class FileFilters:
    region_code: str = ""
    centre_id: int | None = None
    open_only: bool = False
    mine: bool = False
    outcome: str = ""  # an outcome, or "agreed" for an agreement or a partial one
    centre_level: str = ""
    registered_from: datetime | None = None
    registered_before: datetime | None = None
    concluded_from: datetime | None = None
    concluded_before: datetime | None = None
    # Files referred out of people's mediation within the period.
    referred_from: datetime | None = None
    referred_before: datetime | None = None


def file_list(*, actor: Actor, filters: FileFilters | None = None) -> QuerySet[MediationFile]:
    filters = filters or FileFilters()
    files = file_queryset(actor=actor).select_related("centre", "case")
    if filters.region_code:
        files = files.filter(region_code__startswith=filters.region_code)
    if filters.centre_id is not None:
        files = files.filter(centre_id=filters.centre_id)
    if filters.open_only:
        files = files.filter(outcome="")
    if filters.outcome == "agreed":
        files = files.filter(outcome__in=AGREED)
    elif filters.outcome:
        files = files.filter(outcome=filters.outcome)
    if filters.centre_level:
        files = files.filter(centre__level=filters.centre_level)
    if filters.registered_from is not None:
        files = files.filter(created_at__gte=filters.registered_from)
    if filters.registered_before is not None:
        files = files.filter(created_at__lt=filters.registered_before)
    if filters.concluded_from is not None:
        files = files.filter(outcome_at__gte=filters.concluded_from)
    if filters.concluded_before is not None:
        files = files.filter(outcome_at__lt=filters.concluded_before)
    if filters.referred_from is not None or filters.referred_before is not None:
        referrals = Referral.objects.filter(from_track=Track.PEOPLE)
        if filters.referred_from is not None:
            referrals = referrals.filter(created_at__gte=filters.referred_from)
        if filters.referred_before is not None:
            referrals = referrals.filter(created_at__lt=filters.referred_before)
        files = files.filter(pk__in=referrals.values("file_id"))
    if filters.mine:
        files = files.filter(mediators__id=cast(int, actor.pk))
    return files.order_by("-created_at", "-id")


def file_get(*, actor: Actor, number: str, work: bool = False) -> MediationFile:
    """The file, or NotFound when missing or outside the jurisdiction (audited)."""
    found = (
        file_queryset(actor=actor, work=work)
        .select_related("centre", "case", "case__category", "registered_by")
        .prefetch_related("parties", "sessions", "mediators")
        .filter(number=number)
        .first()
    )
    if found is None:
        outside = (
            MediationFile.objects.filter(number=number)
            .values_list("region_code", flat=True)
            .first()
        )
        if outside is not None:
            audit_out_of_jurisdiction(
                actor=actor, object_type="mediation_file", object_id=number, region_code=outside
            )
        raise NotFound(errors.FILE_NOT_FOUND, number=number)
    return found


def session_get(*, actor: Actor, file: MediationFile, session_id: int) -> MediationSession:
    session = file.sessions.filter(pk=session_id).first()
    if session is None:
        raise NotFound(errors.SESSION_NOT_FOUND)
    return session


@dataclass(frozen=True)
class MediatorDay:
    open_files: list[MediationFile]
    sessions_due: list[MediationSession]
    follow_ups_due: list[MediationFile]
    overdue: int


def mediator_day(*, actor: Actor) -> MediatorDay:
    """A mediator's home: their open disputes (soonest due first), sessions not yet held up to a
    week ahead (past ones included), agreements whose follow-up visit falls due within a week."""
    now = timezone.now()
    mine = file_queryset(actor=actor).filter(mediators__id=cast(int, actor.pk))
    open_files = list(
        mine.filter(outcome="").select_related("centre", "case").order_by("due_at", "id")[:50]
    )
    sessions = list(
        MediationSession.objects.filter(
            file__in=mine.filter(outcome=""), held_at=None, starts_at__lte=now + DUE_WINDOW
        )
        .select_related("file")
        .order_by("starts_at", "id")[:50]
    )
    follow_ups = list(
        mine.filter(
            Q(follow_up_due_on__lte=timezone.localdate(now) + DUE_WINDOW),
            followed_up_at=None,
        )
        .select_related("centre", "case")
        .order_by("follow_up_due_on", "id")[:50]
    )
    overdue = mine.filter(outcome="", due_at__lt=now).count()
    return MediatorDay(open_files, sessions, follow_ups, overdue)


@dataclass(frozen=True)
class ReferralCount:
    from_track: str
    to_track: str
    count: int


DIRECTIONS: tuple[tuple[str, str], ...] = (
    ("people", "administrative"),
    ("people", "judicial"),
    ("administrative", "people"),
    ("judicial", "people"),
)


def referral_queryset(*, actor: Actor) -> QuerySet[Referral]:
    return scope_queryset(Referral.objects.all(), actor=actor, permission=Perm.MEDIATION_VIEW)


def referral_counts(
    *,
    actor: Actor,
    region_code: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[ReferralCount]:
    """Referrals by direction in the actor's jurisdiction (within a region and a period), every
    direction listed, a zero where there were none."""
    referrals = referral_queryset(actor=actor)
    if region_code:
        referrals = referrals.filter(region_code__startswith=region_code)
    if since is not None:
        referrals = referrals.filter(created_at__gte=since)
    if until is not None:
        referrals = referrals.filter(created_at__lt=until)
    found = {
        (row["from_track"], row["to_track"]): row["n"]
        for row in referrals.values("from_track", "to_track").annotate(n=Count("id"))
    }
    return [ReferralCount(a, b, found.get((a, b), 0)) for a, b in DIRECTIONS]


@dataclass(frozen=True)
class RiskFilters:
    region_code: str = ""
    level: str = ""
    status: str = ""
    open_only: bool = False
    # Red and orange only (the command centre's count of urgent risks).
    urgent_only: bool = False
    found_from: datetime | None = None
    found_before: datetime | None = None
    resolved_from: datetime | None = None
    resolved_before: datetime | None = None


def risk_list(*, actor: Actor, filters: RiskFilters | None = None) -> QuerySet[Risk]:
    """Risks of the jurisdiction, the most severe first (red and orange at the top), then
    newest; open ones (not resolved) with `open_only`."""
    filters = filters or RiskFilters()
    risks = scope_queryset(
        Risk.objects.all(), actor=actor, permission=Perm.MEDIATION_VIEW
    ).select_related("responsible")
    if filters.region_code:
        risks = risks.filter(region_code__startswith=filters.region_code)
    if filters.level:
        risks = risks.filter(level=filters.level)
    if filters.status:
        risks = risks.filter(status=filters.status)
    if filters.open_only:
        risks = risks.exclude(status=RiskStatus.RESOLVED)
    if filters.urgent_only:
        risks = risks.filter(level__in=URGENT_LEVELS)
    if filters.found_from is not None:
        risks = risks.filter(created_at__gte=filters.found_from)
    if filters.found_before is not None:
        risks = risks.filter(created_at__lt=filters.found_before)
    if filters.resolved_from is not None:
        risks = risks.filter(resolved_at__gte=filters.resolved_from)
    if filters.resolved_before is not None:
        risks = risks.filter(resolved_at__lt=filters.resolved_before)
    severity = Case(
        *(When(level=level, then=Value(rank)) for level, rank in RISK_LEVEL_ORDER.items()),
        default=Value(len(RISK_LEVEL_ORDER)),
        output_field=IntegerField(),
    )
    return risks.annotate(severity=severity).order_by("severity", "-created_at", "-id")


def risk_get(*, actor: Actor, risk_id: int, work: bool = False) -> Risk:
    """The risk, or NotFound when missing or outside the jurisdiction (for viewing, or with
    `work` for following it up)."""
    permission = Perm.MEDIATION_WORK if work else Perm.MEDIATION_VIEW
    risk = (
        scope_queryset(Risk.objects.all(), actor=actor, permission=permission)
        .select_related("responsible", "raised_by")
        .prefetch_related("cases", "follow_ups")
        .filter(pk=risk_id)
        .first()
    )
    if risk is None:
        raise NotFound(errors.RISK_NOT_FOUND)
    return risk


def urgent_risks(*, actor: Actor, region_code: str = "") -> list[Risk]:
    """Open red and orange risks of the jurisdiction (within a region): what the county's view
    shows as soon as they are raised. None for an actor who may not see risks."""
    if not actor.jurisdiction_codes(Perm.MEDIATION_VIEW):
        return []
    filters = RiskFilters(open_only=True, urgent_only=True, region_code=region_code)
    return list(risk_list(actor=actor, filters=filters)[:50])


def urgent_risk_count(*, actor: Actor, region_code: str = "") -> int | None:
    """How many open red and orange risks the jurisdiction has within a region (what the risk
    register lists with `?region=...&urgent=1`); None for an actor who may not see risks."""
    if not actor.jurisdiction_codes(Perm.MEDIATION_VIEW):
        return None
    filters = RiskFilters(open_only=True, urgent_only=True, region_code=region_code)
    return risk_list(actor=actor, filters=filters).count()


def report_places(*, actor: Actor) -> list[tuple[str, str]]:
    """The places an analysis report can be asked for (the county, towns, villages and
    communities of the actor's jurisdiction), each named with the place it lies in; the
    actor's own largest places first."""
    require_permission(actor, Perm.MEDIATION_VIEW)
    rows = region_queryset(actor=actor).filter(level__in=REPORT_LEVELS)
    ordered = rows.annotate(code_length=Length("region_code")).order_by(
        "code_length", "region_code"
    )
    return [
        (code, f"{name} · {within}" if within else name)
        for code, name, within in ordered.values_list("region_code", "name", "parent__name")[:500]
    ]


def meeting_list(
    *, actor: Actor, region_code: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[JointMeeting]:
    """Joint meetings of the jurisdiction, newest first; with a region and a period, those held
    on that place's report for exactly that period."""
    meetings = scope_queryset(
        JointMeeting.objects.all(), actor=actor, permission=Perm.MEDIATION_VIEW
    ).select_related("recorded_by")
    if region_code:
        meetings = meetings.filter(region_code=region_code)
    if since is not None:
        meetings = meetings.filter(since=since)
    if until is not None:
        meetings = meetings.filter(until=until)
    return meetings.order_by("-held_on", "-id")


def meeting_get(*, actor: Actor, meeting_id: int) -> JointMeeting:
    meeting = (
        meeting_list(actor=actor)
        .prefetch_related("cases", "risks", "tasks__owner")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound(errors.MEETING_NOT_FOUND)
    return meeting


def task_get(*, actor: Actor, task_id: int) -> MeetingTask:
    """A task of a meeting the actor sees, or NotFound."""
    task = (
        MeetingTask.objects.filter(meeting__in=meeting_list(actor=actor).order_by())
        .select_related("meeting")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise NotFound(errors.TASK_NOT_FOUND)
    return task


def my_tasks(*, actor: Actor) -> list[MeetingTask]:
    """The meeting tasks the actor owns and has not done, soonest deadline first."""
    return list(
        MeetingTask.objects.filter(owner_id=cast(int, actor.pk), done_at=None)
        .select_related("meeting")
        .order_by("due_on", "id")[:50]
    )


def task_owners(*, actor: Actor, region_code: str) -> list[User]:
    """Who may own a meeting's follow-up task in a place: active accounts doing mediation work
    at, above or below it (among those with a role at all in the actor's county)."""
    require_permission(actor, Perm.MEDIATION_WORK)
    roles = [role for role, spec in ROLE_SPECS.items() if Perm.MEDIATION_WORK in spec.permissions]
    county = region_code[:6]
    assignments = RoleAssignment.objects.filter(
        role__in=roles, is_active=True, region_code__startswith=county
    ).values_list("user_id", "region_code")
    user_ids = {
        user_id
        for user_id, code in assignments
        if is_within(region_code, code) or is_within(code, region_code)
    }
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("username")[:200])


def risk_follow_ups_due(*, actor: Actor) -> list[RiskFollowUp]:
    """The scheduled follow-ups of open risks the actor answers for, falling due within a week
    (overdue ones included), soonest first."""
    horizon = timezone.localdate() + DUE_WINDOW
    return list(
        RiskFollowUp.objects.filter(
            risk__in=risk_list(actor=actor).filter(responsible_id=cast(int, actor.pk)).order_by(),
            done_at=None,
            due_on__lte=horizon,
        )
        .exclude(risk__status=RiskStatus.RESOLVED)
        .select_related("risk")
        .order_by("due_on", "id")[:50]
    )


@dataclass(frozen=True)
class RiskBrief:
    id: int
    title: str
    level: str
    status: str
    region_code: str

    @property
    def level_label(self) -> str:
        return str(RiskLevel(self.level).label) if self.level in RiskLevel.values else self.level

    @property
    def status_label(self) -> str:
        return (
            str(RiskStatus(self.status).label) if self.status in RiskStatus.values else self.status
        )


def risk_briefs(*, risk_ids: list[int]) -> dict[int, RiskBrief]:
    """Where each of these risks stands (for an official's package of responsibility)."""
    rows = Risk.objects.filter(pk__in=risk_ids).values_list(
        "pk", "title", "level", "status", "region_code"
    )
    return {row[0]: RiskBrief(*row) for row in rows}


def risks_answered_by(*, user_id: int) -> list[RiskBrief]:
    """The open risks an official is the responsible official (包抓) of, most severe first."""
    rows = (
        Risk.objects.filter(responsible_id=user_id)
        .exclude(status=RiskStatus.RESOLVED)
        .values_list("pk", "title", "level", "status", "region_code")
    )
    briefs = [RiskBrief(*row) for row in rows]
    return sorted(briefs, key=lambda r: (RISK_LEVEL_ORDER.get(r.level, 9), -r.id))


def open_risk_counts(*, region_codes: list[str]) -> dict[str, int]:
    """How many risks are open (not resolved) in each of these places."""
    return {
        code: Risk.objects.filter(region_code__startswith=code)
        .exclude(status=RiskStatus.RESOLVED)
        .count()
        for code in region_codes
    }


def risk_in_jurisdiction(*, actor: Actor, risk_id: int) -> Risk | None:
    """The risk when it lies where the actor may assign package responsibility, else None."""
    return (
        scope_queryset(Risk.objects.all(), actor=actor, permission=Perm.PACKAGE_ASSIGN)
        .filter(pk=risk_id)
        .first()
    )
