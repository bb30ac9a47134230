"""Every read of volunteer service, scoped to the actor: events, sign-ups, hours and stars,
micro-wishes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet, Sum

from gridgov.core.access import Perm
from gridgov.core.audit import audit_out_of_jurisdiction
from gridgov.core.errors import NotFound
from gridgov.core.scoping import Actor, jurisdiction_q, require_permission, scope_queryset
from gridgov.teams.models import TeamKind, TeamMember
from gridgov.teams.selectors import memberships_of
from gridgov.volunteers import errors, rules, states
from gridgov.volunteers.models import MicroWish, ServiceEvent, SignUp, WishState


@dataclass(frozen=True)
class EventFilters:
    region_code: str = ""  # this place and those below it
    starts_after: datetime | None = None
    starts_before: datetime | None = None


def _events_of(actor: Actor, permission: str) -> QuerySet[ServiceEvent]:
    """The events of the actor's places under `permission`; for a volunteer (who serves), also
    those held at the village and town above where they serve."""
    condition = jurisdiction_q(require_permission(actor, permission))
    if permission != Perm.VOLUNTEERS_MANAGE:
        above = rules.places_above(actor.jurisdiction_codes(Perm.VOLUNTEERS_SERVE))
        if above:
            condition |= Q(region_code__in=above)
    return ServiceEvent.objects.filter(condition)


def event_list(*, actor: Actor, filters: EventFilters | None = None) -> QuerySet[ServiceEvent]:
    """The events of the actor's places (a volunteer's with those of their village and town),
    the latest first, each with how many signed up and checked in."""
    filters = filters or EventFilters()
    events = _events_of(actor, Perm.VOLUNTEERS_VIEW)
    if filters.region_code:
        events = events.filter(region_code__startswith=filters.region_code)
    if filters.starts_after:
        events = events.filter(starts_at__gte=filters.starts_after)
    if filters.starts_before:
        events = events.filter(starts_at__lt=filters.starts_before)
    active = Q(sign_ups__withdrawn_at__isnull=True)
    return events.annotate(
        signed_up=Count("sign_ups", filter=active),
        checked_in=Count("sign_ups", filter=active & Q(sign_ups__checked_in_at__isnull=False)),
    ).order_by("-starts_at", "-id")


def event_get(
    *, actor: Actor, event_id: int, permission: str = Perm.VOLUNTEERS_VIEW
) -> ServiceEvent:
    """The event, or NotFound when missing or outside the actor's jurisdiction (audited)."""
    event = _events_of(actor, permission).filter(pk=event_id).first()
    if event is None:
        outside = (
            ServiceEvent.objects.filter(pk=event_id).values_list("region_code", flat=True).first()
        )
        if outside is not None:
            audit_out_of_jurisdiction(
                actor=actor,
                object_type="volunteer_event",
                object_id=str(event_id),
                region_code=outside,
            )
        raise NotFound(errors.EVENT_NOT_FOUND)
    return event


def event_sign_ups(*, event: ServiceEvent, include_withdrawn: bool = False) -> QuerySet[SignUp]:
    """The event's volunteers (the caller has the event through `event_get`), in sign-up order."""
    entries = event.sign_ups.select_related("member")
    if not include_withdrawn:
        entries = entries.filter(withdrawn_at__isnull=True)
    return entries.order_by("signed_up_at", "id")


def own_sign_up(*, actor: Actor, event: ServiceEvent) -> SignUp | None:
    """The actor's own place at the event, when they are a volunteer signed up for it."""
    member_ids = list(
        memberships_of(user_id=int(str(actor.pk)), kind=TeamKind.VOLUNTEERS).values_list(
            "pk", flat=True
        )
    )
    return event.sign_ups.filter(member_id__in=member_ids).order_by("-signed_up_at").first()


def own_event_ids(*, actor: Actor, event_ids: set[int]) -> set[int]:
    """Of these events, those the actor (a volunteer) is signed up for."""
    member_ids = list(
        memberships_of(user_id=int(str(actor.pk)), kind=TeamKind.VOLUNTEERS).values_list(
            "pk", flat=True
        )
    )
    if not member_ids:
        return set()
    return set(
        SignUp.objects.filter(
            event_id__in=event_ids, member_id__in=member_ids, withdrawn_at__isnull=True
        ).values_list("event_id", flat=True)
    )


def own_volunteer(*, actor: Actor) -> TeamMember | None:
    """The actor's place on a volunteer team, when they have one."""
    return memberships_of(user_id=int(str(actor.pk)), kind=TeamKind.VOLUNTEERS).first()


@dataclass(frozen=True)
class VolunteerHours:
    member_id: int
    name: str
    region_code: str
    minutes: int
    events: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def stars(self) -> int:
        return rules.star_level(self.minutes / 60)

    @property
    def to_next_star(self) -> float | None:
        return rules.hours_to_next_star(self.minutes / 60)


def volunteer_hours(
    *, actor: Actor, region_code: str = "", min_stars: int = 0
) -> list[VolunteerHours]:
    """Each volunteer serving in the actor's places who has served, with their hours in all (at
    any event), most hours first; stars follow from the hours."""
    allowed = require_permission(actor, Perm.VOLUNTEERS_VIEW)
    entries = SignUp.objects.filter(
        jurisdiction_q(allowed, prefix="member__"),
        member__left_on__isnull=True,
        withdrawn_at__isnull=True,
    )
    if region_code:
        entries = entries.filter(member__region_code__startswith=region_code)
    rows = (
        entries.values("member_id", "member__name", "member__region_code")
        .annotate(served=Sum("minutes"), events=Count("id", filter=Q(minutes__gt=0)))
        .filter(served__gt=0)
    )
    if min_stars:
        rows = rows.filter(served__gte=rules.STAR_HOURS[min_stars - 1] * 60)
    ordered = rows.order_by("-served", "member__name", "member_id").values_list(
        "member_id", "member__name", "member__region_code", "served", "events"
    )
    return [VolunteerHours(*row) for row in ordered]


def member_hours(*, member_id: int) -> int:
    """Minutes a member served in all."""
    total = SignUp.objects.filter(member_id=member_id, withdrawn_at__isnull=True).aggregate(
        total=Sum("minutes", default=0)
    )["total"]
    return int(total)


# Micro-wishes


@dataclass(frozen=True)
class WishFilters:
    region_code: str = ""
    state: str = ""
    # "mine": those the actor's own volunteer place took up; "waiting_on_me": whose next move
    # is the actor's (to take up or fulfil as a volunteer, to confirm as an organiser).
    show: str = ""


def wish_list(*, actor: Actor, filters: WishFilters | None = None) -> QuerySet[MicroWish]:
    filters = filters or WishFilters()
    wishes = scope_queryset(
        MicroWish.objects.all(), actor=actor, permission=Perm.VOLUNTEERS_VIEW
    ).select_related("taken_by")
    if filters.region_code:
        wishes = wishes.filter(region_code__startswith=filters.region_code)
    if filters.state:
        wishes = wishes.filter(state=filters.state)
    if filters.show == "mine":
        wishes = wishes.filter(taken_by__user_id=int(str(actor.pk)))
    elif filters.show == "waiting_on_me":
        wishes = wishes.filter(_waiting_on(actor))
    return wishes.order_by("-posted_at", "-id")


def _waiting_on(actor: Actor) -> Q:
    """The wishes whose next move is the actor's."""
    waiting = Q(pk__in=[])
    serving = actor.jurisdiction_codes(Perm.VOLUNTEERS_SERVE)
    if serving:
        waiting |= jurisdiction_q(serving) & Q(state=WishState.POSTED)
        waiting |= Q(state=WishState.TAKEN, taken_by__user_id=int(str(actor.pk)))
    organising = actor.jurisdiction_codes(Perm.VOLUNTEERS_MANAGE)
    if organising:
        waiting |= jurisdiction_q(organising) & Q(state=WishState.FULFILLED)
    return waiting


def wish_get(*, actor: Actor, wish_id: int) -> MicroWish:
    wish = (
        scope_queryset(MicroWish.objects.all(), actor=actor, permission=Perm.VOLUNTEERS_VIEW)
        .select_related("taken_by")
        .filter(pk=wish_id)
        .first()
    )
    if wish is None:
        outside = MicroWish.objects.filter(pk=wish_id).values_list("region_code", flat=True).first()
        if outside is not None:
            audit_out_of_jurisdiction(
                actor=actor, object_type="micro_wish", object_id=str(wish_id), region_code=outside
            )
        raise NotFound(errors.WISH_NOT_FOUND)
    return wish


def wish_waiting_on(wish: MicroWish) -> str:
    """Whose move it is, in words: empty once the wish is closed."""
    template = states.WAITING_LABELS.get(WishState(wish.state))
    if template is None:
        return ""
    volunteer = wish.taken_by.name if wish.taken_by else ""
    return str(template) % {"volunteer": volunteer, "resident": wish.resident_name}


def wish_counts(*, actor: Actor, region_code: str = "") -> dict[str, int]:
    """How many wishes of the actor's places are in each state."""
    wishes = scope_queryset(MicroWish.objects.all(), actor=actor, permission=Perm.VOLUNTEERS_VIEW)
    if region_code:
        wishes = wishes.filter(region_code__startswith=region_code)
    counts = dict(wishes.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {state: counts.get(state, 0) for state in WishState.values}
