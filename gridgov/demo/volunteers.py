"""The demo's volunteer service: a year of events at the villages, communities and towns (each
village's monthly service, each community's neighbourhood festival, each town's volunteer
station kept daily by its regulars) with sign-ups checked in and out, so that someone has reached
every star level; the coming weeks' events at 祥云社区, open to the demo volunteer; and residents'
micro-wishes in every state, each waiting state on someone's list.

Minutes are computed from the check-in and check-out by the same rule the service applies.
Deterministic for any load date: the draws are the same whatever the day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import numpy as np
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.core.pii import EncryptedValue
from gridgov.demo import logins, names
from gridgov.regions.models import Region
from gridgov.teams.models import TeamKind, TeamMember
from gridgov.volunteers.models import MicroWish, ServiceEvent, SignUp, WishState
from gridgov.volunteers.rules import served_minutes

if TYPE_CHECKING:
    from gridgov.demo.county import DemoBuild

_PLACES = {account["username"]: account["region_code"] for account in logins.DEMO_ACCOUNTS}
XIANGYUN = _PLACES["volunteer_xiangyun"]
CHENGGUAN = _PLACES["town_chengguan"]
DAYS = 365
# A town's station regulars: the hours each serves in the year, so every star level is reached
# (a regular serves an 8-hour day at the station).
STATION_HOURS = (60, 120, 360, 640, 1040, 1560)
SHIFT_HOURS = 8
VILLAGE_TOPICS = ("环境卫生整治", "敬老院助老服务", "文明交通劝导", "义诊进村", "关爱留守儿童")
FESTIVALS = ("邻里节", "中秋游园会", "重阳敬老节", "元宵灯会")
COMING = (("社区邻里节志愿服务", 6), ("文明交通劝导", 3), ("关爱空巢老人上门服务", 10))
WISHES = (
    ("一双冬季棉鞋", "孩子上学需要保暖的棉鞋"),
    ("修理家中电灯", "卧室电灯不亮，老人行动不便"),
    ("陪同去医院复查", "子女在外，需要有人陪同"),
    ("一套课外读物", "孩子想要一套科普读物"),
    ("帮忙代购生活用品", "行动不便，希望有人帮忙买米面油"),
)
WISHES_PER_VILLAGE = 4
# The states a village's wishes take, in turn; 祥云社区 has one of each at least.
WISH_STATES = (
    WishState.POSTED,
    WishState.TAKEN,
    WishState.FULFILLED,
    WishState.CONFIRMED,
    WishState.WITHDRAWN,
)


def _at(day: date, hour: float) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min)) + timedelta(hours=hour)


def _entry(
    event: ServiceEvent, member_id: int, *, signed: datetime, late: float, early: float
) -> SignUp:
    """A finished sign-up: checked in `late` hours after the start, out `early` before the end."""
    checked_in = event.starts_at + timedelta(hours=late)
    checked_out = event.ends_at - timedelta(hours=early)
    minutes = served_minutes(
        checked_in_at=checked_in,
        checked_out_at=checked_out,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
    )
    return SignUp(
        event=event,
        member_id=member_id,
        signed_up_at=signed,
        checked_in_at=checked_in,
        checked_out_at=checked_out,
        minutes=minutes,
    )


def _event(
    title: str, code: str, starts: datetime, hours: float, capacity: int, by: int | None
) -> ServiceEvent:
    event = ServiceEvent(
        title=title,
        address="",
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        capacity=capacity,
        created_by_id=by,
        created_at=starts - timedelta(days=7),
    )
    event.set_region_code(code)
    return event


def _members() -> dict[str, list[int]]:
    """The volunteers serving at each village or town, by place."""
    members: dict[str, list[int]] = defaultdict(list)
    for member_id, code in (
        TeamMember.objects.filter(team__kind=TeamKind.VOLUNTEERS, left_on__isnull=True)
        .order_by("team__region_code", "id")
        .values_list("id", "team__region_code")
    ):
        members[code].append(member_id)
    return members


def load(build: DemoBuild, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    today = timezone.localdate(now)
    rng = np.random.default_rng([build.seed, 31])
    places = list(
        Region.objects.filter(county_code=names.COUNTY_CODE, level__in=["town", "village"])
        .order_by("region_code")
        .values_list("region_code", "name", "level", "kind")
    )
    members = _members()
    # The street's official organises (the demo's organiser login); without it, nobody named.
    organiser_id = (
        User.objects.filter(username="town_chengguan").values_list("pk", flat=True).first()
    )
    events: list[ServiceEvent] = []
    # Per event: (member, late, early) of each who served.
    served: list[list[tuple[int, float, float]]] = []
    first_day = today - timedelta(days=DAYS)
    for code, place, level, kind in places:
        team = members.get(code, [])
        if level == "town":
            # The station, daily: each regular serves a drawn set of the year's days, as many
            # as their hours take (so the stars they reach are certain, not drawn).
            regulars = team[: len(STATION_HOURS)]
            rosters = [
                set(rng.choice(DAYS, hours // SHIFT_HOURS, replace=False).tolist())
                for hours in STATION_HOURS
            ]
            for offset in range(DAYS):
                day = first_day + timedelta(days=offset)
                who = [
                    (member, 0.0, 0.0)
                    for index, member in enumerate(regulars)
                    if offset in rosters[index]
                ]
                if not who:
                    continue
                events.append(
                    _event(
                        f"{place}志愿服务站值守", code, _at(day, 9), SHIFT_HOURS, 6, organiser_id
                    )
                )
                served.append(who)
            continue
        # The village's monthly service, and a community's festival twice a year.
        fractions = rng.random(12)
        topics = rng.integers(0, len(VILLAGE_TOPICS), 12)
        turnout = rng.random((12, max(len(team), 1)))
        lateness = rng.random((12, max(len(team), 1)))
        for month in range(12):
            day = first_day + timedelta(days=int(30 * month + 29 * fractions[month]))
            title = VILLAGE_TOPICS[int(topics[month])]
            hours = 3.0
            if kind == "community" and month in (3, 9):
                title, hours = f"{place}{FESTIVALS[month % len(FESTIVALS)]}", 6.0
            events.append(_event(title, code, _at(day, 8.5), hours, 30, organiser_id))
            served.append(
                [
                    (member, round(0.5 * lateness[month, index], 2), 0.0)
                    for index, member in enumerate(team)
                    if turnout[month, index] < 0.55
                ]
            )
    # The coming weeks at 祥云社区: open for sign-up, the demo volunteer on one of them.
    coming: list[ServiceEvent] = []
    for index, (title, hours) in enumerate(COMING):
        day = today + timedelta(days=3 + 4 * index)
        coming.append(_event(title, XIANGYUN, _at(day, 9), hours, 12, organiser_id))
    ServiceEvent.objects.bulk_create(events + coming, batch_size=2000)
    entries: list[SignUp] = []
    for event, who in zip(events, served, strict=True):
        signed = event.starts_at - timedelta(days=2)
        for member, late, early in who:
            entries.append(_entry(event, member, signed=signed, late=late, early=early))
    volunteer = (
        TeamMember.objects.filter(
            user__username="volunteer_xiangyun", team__kind=TeamKind.VOLUNTEERS
        )
        .values_list("pk", flat=True)
        .first()
    )
    neighbours = [m for m in members.get(XIANGYUN, []) if m != volunteer]
    for index, event in enumerate(coming):
        for member in neighbours[index : index + 3]:
            entries.append(SignUp(event=event, member_id=member, signed_up_at=now))
    if volunteer is not None:
        entries.append(SignUp(event=coming[-1], member_id=volunteer, signed_up_at=now))
    SignUp.objects.bulk_create(entries, batch_size=5000)
    build.summary.volunteer_events = len(events) + len(coming)
    build.summary.volunteer_sign_ups = len(entries)
    build.summary.micro_wishes = _wishes(rng, places, members, volunteer, organiser_id, now)


def _wishes(
    rng: np.random.Generator,
    places: list[tuple[str, str, str, str]],
    members: dict[str, list[int]],
    volunteer: int | None,
    organiser_id: int | None,
    now: datetime,
) -> int:
    """A few wishes in every village, their states in turn; at 祥云社区 the taken ones are the
    demo volunteer's."""
    wishes: list[MicroWish] = []
    turn = 0
    for code, _place, level, _kind in places:
        if level != "village":
            continue
        team = members.get(code, [])
        count = WISHES_PER_VILLAGE + (len(WISH_STATES) if code == XIANGYUN else 0)
        picks = rng.integers(0, len(WISHES), count)
        ages = rng.integers(2, 60, count)
        phones = rng.integers(10**8, 10**9 - 1, count)
        for index in range(count):
            state = WISH_STATES[turn % len(WISH_STATES)]
            turn += 1
            title, detail = WISHES[int(picks[index])]
            posted = now - timedelta(days=int(ages[index]))
            wish = MicroWish(
                title=title,
                detail=detail,
                resident_name=names.person_name(rng),
                resident_phone=EncryptedValue(f"+86139{int(phones[index]) % 10**8:08d}", "phone"),
                state=state,
                posted_at=posted,
                recorded_by_id=organiser_id,
            )
            wish.set_region_code(code)
            if state != WishState.POSTED and state != WishState.WITHDRAWN:
                taker = volunteer if code == XIANGYUN and volunteer else None
                taker = taker or (team[index % len(team)] if team else None)
                if taker is None:
                    wish.state = WishState.POSTED
                else:
                    wish.taken_by_id = taker
                    wish.taken_at = posted + timedelta(days=1)
            if wish.state in (WishState.FULFILLED, WishState.CONFIRMED):
                wish.fulfilled_at = posted + timedelta(days=2)
                wish.fulfilment_note = "已送达并向居民说明"
            if wish.state == WishState.CONFIRMED:
                wish.closed_at = posted + timedelta(days=3)
                wish.closing_note = "居民确认已实现"
            if wish.state == WishState.WITHDRAWN:
                wish.closed_at = posted + timedelta(days=1)
                wish.closing_note = "居民已自行解决"
            wishes.append(wish)
    MicroWish.objects.bulk_create(wishes, batch_size=2000)
    return len(wishes)


__all__ = ["load"]
