"""The choices of a plausible case life: who acts at each step and when (office hours, punctual
units, a few late ones that the sweep escalates), from the county's staff as stored."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from django.conf import settings

from gridgov.accounts.models import RoleAssignment, User
from gridgov.cases import notices
from gridgov.cases.models import (
    LEVEL_CODE_LENGTH,
    LEVEL_ORDER,
    HandlingLevel,
    Urgency,
)
from gridgov.cases.states import TERMINAL_STATES, Action, State
from gridgov.core import codes
from gridgov.core.access import Perm, Role, roles_granting
from gridgov.demo import case_texts
from gridgov.demo.case_story import DAY, Entry, LeafCategory, Story, leaf_categories, sweep_tick
from gridgov.regions.geometry import to_shape
from gridgov.regions.locator import Locator, current_version
from gridgov.regions.models import Region


@dataclass
class CaseContext:
    """The county as the cases need it: categories, places and who works where."""

    county_code: str
    categories: list[LeafCategory]
    micro_codes: list[str]
    micro_shapes: np.ndarray  # shapely polygons, prepared, in the order of micro_codes
    micro_population: np.ndarray
    community_villages: frozenset[str]
    village_names: dict[str, str]
    grids_of_village: dict[str, list[str]]
    grid_workers: dict[str, int]  # grid code -> user id
    officers: dict[str, list[tuple[str, int]]]  # grid code -> (region code, user id)
    routers: dict[str, list[int]]  # village, town or county code -> users who route there
    mediators: dict[str, list[int]]  # town or county code -> mediators
    usernames: dict[int, str]
    demo_users: dict[str, int]  # demo username -> user id
    locator: Locator

    @cached_property
    def demo_ids(self) -> frozenset[int]:
        return frozenset(self.demo_users.values())

    @classmethod
    def load(cls, county_code: str, demo_usernames: Iterable[str] = ()) -> CaseContext:
        categories = leaf_categories()
        micro = list(
            Region.objects.filter(county_code=county_code, level="micro_grid")
            .order_by("region_code")
            .values_list("region_code", "boundary", "population")
        )
        micro = [row for row in micro if row[1]]
        shapes = np.empty(len(micro), dtype=object)
        shapes[:] = [to_shape(boundary) for _, boundary, _ in micro if boundary]
        shapely.prepare(shapes)
        villages = list(
            Region.objects.filter(county_code=county_code, level="village")
            .order_by("region_code")
            .values_list("region_code", "name", "kind")
        )
        grids_of_village: dict[str, list[str]] = {}
        for code in (
            Region.objects.filter(county_code=county_code, level="grid")
            .order_by("region_code")
            .values_list("region_code", flat=True)
        ):
            grids_of_village.setdefault(code[: codes.VILLAGE_LEN], []).append(code)
        grid_workers: dict[str, int] = {}
        officers: dict[str, list[tuple[str, int]]] = {}
        routers: dict[str, list[int]] = {}
        mediators: dict[str, list[int]] = {}
        route_roles = set(roles_granting(Perm.CASES_ROUTE))
        assignments = (
            RoleAssignment.objects.filter(county_code=county_code, is_active=True)
            .order_by("region_code", "user__username")
            .values_list("role", "region_code", "user_id")
        )
        for role, code, user_id in assignments:
            if role == Role.GRID_WORKER:
                grid_workers.setdefault(code, user_id)
            elif role == Role.INFO_OFFICER:
                officers.setdefault(code[: codes.GRID_LEN], []).append((code, user_id))
            elif role == Role.MEDIATOR and len(code) <= codes.TOWN_LEN:
                mediators.setdefault(code, []).append(user_id)
            elif role in route_roles:
                routers.setdefault(code, []).append(user_id)
        user_ids = {user_id for _, _, user_id in assignments}
        usernames = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "username"))
        demo = dict(
            User.objects.filter(username__in=list(demo_usernames)).values_list("username", "pk")
        )
        return cls(
            county_code=county_code,
            categories=categories,
            micro_codes=[code for code, _, _ in micro],
            micro_shapes=shapes,
            micro_population=np.array([max(p, 1) for _, _, p in micro], dtype=float),
            community_villages=frozenset(c for c, _, kind in villages if kind == "community"),
            village_names={code: name for code, name, _ in villages},
            grids_of_village=grids_of_village,
            grid_workers=grid_workers,
            officers=officers,
            routers=routers,
            mediators=mediators,
            usernames=usernames,
            demo_users=demo,
            # A locator of its own, built from the rows just written: the shared one is rebuilt
            # only when the boundaries' version moves, which load_demo does after its steps.
            locator=Locator.from_database(current_version()),
        )


# --- Who does what --------------------------------------------------------------------------


@dataclass
class Flags:
    """How this case's life goes, drawn once (each flag is used up when it happens)."""

    reject: bool = False
    late_accept: bool = False
    escalations: int = 0
    escalate_in_progress: bool = False
    refer_down: bool = False
    transfer: str = ""  # "department" or "court"
    suspend: bool = False
    rework: int = 0
    slow: bool = False
    reopen: bool = False
    rate: bool = False
    grid_code: str = ""
    merge_into: Story | None = None


class Life:
    """Drives one story from its report to now: chooses each next step, its actor and its time,
    and lets the sweep escalate whatever a late step leaves overdue."""

    def __init__(self, context: CaseContext, rnd: random.Random, now: datetime) -> None:
        self.context = context
        self.rnd = rnd
        self.now = now
        self.zone = ZoneInfo(settings.TIME_ZONE)

    # Times ---------------------------------------------------------------------------------

    def after(self, at: datetime, median_hours: float, spread: float = 0.9) -> datetime:
        hours = self.rnd.lognormvariate(math.log(median_hours), spread)
        return at + timedelta(seconds=max(60.0, hours * 3600))

    def office(self, at: datetime, start: int = 8, end: int = 19) -> datetime:
        """Moved into office hours (local time), when routing waits for the morning."""
        local = at.astimezone(self.zone)
        if start <= local.hour < end:
            return at
        day = local if local.hour < start else local + DAY
        opening = day.replace(hour=start, minute=0, second=0, microsecond=0)
        return opening.astimezone(UTC) + timedelta(seconds=self.rnd.uniform(0, 5400))

    def within_due(self, story: Story, at: datetime, wanted: datetime) -> datetime:
        """Keep a step before the deadline the sweep watches (a punctual unit)."""
        due = story.case.due_at
        if due is None or not story.sweepable() or wanted < due - timedelta(minutes=1):
            return wanted
        if due <= at:
            return wanted
        return at + (due - at) * self.rnd.uniform(0.3, 0.9)

    # People --------------------------------------------------------------------------------

    def router(self, code: str) -> int:
        routers = self.context.routers.get(code) or self.context.routers[self.context.county_code]
        return self.rnd.choice(routers)

    def handler(self, story: Story, flags: Flags) -> int:
        case = story.case
        top = story.category.top
        if case.level != HandlingLevel.VILLAGE and top in {"dispute", "stability"}:
            mediators = self.context.mediators.get(case.handling_code)
            if mediators and self.rnd.random() < 0.7:
                return self.rnd.choice(mediators)
        return self.context.grid_workers[flags.grid_code]

    def note(self, choices: tuple[str, ...]) -> str:
        return self.rnd.choice(choices)

    # The story -----------------------------------------------------------------------------

    def live(self, story: Story, flags: Flags) -> None:
        at = story.case.created_at
        for _step in range(80):
            move = self.next_move(story, flags, at)
            if move is None:
                break
            wanted, perform = move
            if story.sweepable():
                assert story.case.due_at is not None
                tick = sweep_tick(story.case.due_at)
                if tick <= min(wanted, self.now):
                    story.sweep_escalate(tick)
                    self.notify_unit(story, tick, "sweep")
                    flags.late_accept = flags.slow = False
                    at = tick
                    continue
            if wanted > self.now:
                break
            perform(wanted)
            at = wanted
        story.warn_if_due(self.now)

    def next_move(
        self, story: Story, flags: Flags, at: datetime
    ) -> tuple[datetime, Callable[[datetime], object]] | None:
        case = story.case
        state, level, rnd = case.state, case.level, self.rnd
        urgent = case.urgency == Urgency.URGENT
        router = self.router(case.handling_code)
        if state == State.REPORTED:
            wanted = self.after(at, 0.4 if urgent else 2.5, 1.0)
            wanted = wanted if urgent else self.office(wanted)
            if flags.merge_into is not None:
                target = flags.merge_into
                flags.merge_into = None
                return self.within_due(story, at, wanted), lambda t: self.merge(story, target, t)
            if flags.late_accept and level == HandlingLevel.VILLAGE:
                assert case.due_at is not None
                wanted = case.due_at + timedelta(hours=rnd.uniform(0.5, 12))
            else:
                wanted = self.within_due(story, at, wanted)
            if flags.reject:
                flags.reject = False
                note = self.note(case_texts.REJECT_NOTES)
                return wanted, lambda t: story.apply(Action.REJECT, t, router, note)
            if level != HandlingLevel.VILLAGE and flags.refer_down and len(case.region_code) >= 12:
                flags.refer_down = False
                note = self.note(case_texts.REFER_DOWN_NOTES)

                def refer(t: datetime) -> None:
                    story.apply(Action.REFER_DOWN, t, router, note)
                    self.notify_unit(story, t, notices.NEW_CASE.key)

                return wanted, refer
            return wanted, lambda t: story.apply(Action.ACCEPT, t, router)
        if state == State.ACCEPTED:
            wanted = self.within_due(story, at, self.office(self.after(at, 0.3 if urgent else 1.5)))
            if flags.escalations and not flags.escalate_in_progress and level != "county":
                flags.escalations -= 1
                return self.within_due(story, at, self.office(self.after(at, 6))), (
                    lambda t: self.escalate(story, t)
                )
            if flags.transfer:
                kind, flags.transfer = flags.transfer, ""
                return wanted, lambda t: self.transfer(story, kind, t)
            if flags.suspend and rnd.random() < 0.5:
                flags.suspend = False
                note = self.note(case_texts.SUSPEND_NOTES)
                return wanted, lambda t: story.apply(Action.SUSPEND, t, router, note)
            assignee = self.handler(story, flags)

            def dispatch(t: datetime) -> None:
                story.dispatch(t, router, assignee, self.context.usernames[assignee])
                self.notify_user(story, assignee, t, notices.ASSIGNED.key)

            return wanted, dispatch
        if state in {State.DISPATCHED, State.RETURNED}:
            assert case.assignee_id is not None
            handler = case.assignee_id
            wanted = self.after(at, 0.3 if urgent else 3)
            wanted = self.within_due(story, at, wanted if urgent else self.office(wanted, 7, 20))
            return wanted, lambda t: story.apply(Action.START, t, handler)
        if state == State.IN_PROGRESS:
            return self.in_progress(story, flags, at, router)
        if state == State.RESOLVED:
            wanted = self.office(self.after(at, 14, 0.8))
            if flags.rework:
                flags.rework -= 1
                note = self.note(case_texts.RETURN_NOTES)
                worker = case.assignee_id

                def send_back(t: datetime) -> None:
                    story.apply(Action.RETURN, t, router, note)
                    if worker is not None:
                        self.notify_user(story, worker, t, notices.RETURNED.key)

                return wanted, send_back
            note = self.note(case_texts.VERIFY_NOTES)
            return wanted, lambda t: story.apply(Action.VERIFY, t, router, note)
        if state == State.VERIFIED:
            wanted = self.office(self.after(at, 2))
            return wanted, lambda t: story.apply(Action.CLOSE, t, router)
        if state == State.CLOSED:
            assert case.closed_at is not None
            if flags.reopen:
                flags.reopen = False
                wanted = case.closed_at + timedelta(days=rnd.uniform(0.5, 6.5))
                reason = self.note(case_texts.REOPEN_NOTES)

                def reopen(t: datetime) -> None:
                    story.reopen_by_resident(t, reason)
                    self.notify_unit(story, t, notices.NEW_CASE.key)

                return wanted, reopen
            if flags.rate:
                flags.rate = False
                rating = self.rating(story)
                comment = self.note(case_texts.RATING_COMMENTS[rating])
                wanted = self.after(at, 10, 1.2)
                return wanted, lambda t: story.rate(t, rating, comment)
            return None
        if state == State.TRANSFERRED:
            court = case.transferred_to.startswith("court:")
            wanted = self.office(self.after(at, 24 * (20 if court else 9), 0.6))
            note = self.note(case_texts.TAKE_BACK_NOTES)
            return wanted, lambda t: story.apply(Action.TAKE_BACK, t, router, note)
        if state == State.SUSPENDED:
            wanted = self.office(self.after(at, 24 * 8, 0.7))
            note = self.note(case_texts.RESUME_NOTES)
            return wanted, lambda t: story.apply(Action.RESUME, t, router, note)
        return None  # not accepted, merged

    def in_progress(
        self, story: Story, flags: Flags, at: datetime, router: int
    ) -> tuple[datetime, Callable[[datetime], object]]:
        case = story.case
        window = story.category.sla[case.level].resolve_within()
        if flags.escalations and flags.escalate_in_progress and case.level != "county":
            flags.escalations -= 1
            flags.escalate_in_progress = False
            wanted = self.within_due(
                story, at, self.office(at + window * self.rnd.uniform(0.1, 0.4))
            )
            return wanted, lambda t: self.escalate(story, t)
        if flags.suspend:
            flags.suspend = False
            note = self.note(case_texts.SUSPEND_NOTES)
            wanted = self.within_due(story, at, self.office(self.after(at, 24)))
            return wanted, lambda t: story.apply(Action.SUSPEND, t, router, note)
        assert case.assignee_id is not None
        handler = case.assignee_id
        # County departments are slower, and no sweep moves a county case on: it stays overdue.
        county_late = case.level == HandlingLevel.COUNTY and self.rnd.random() < 0.3
        if (flags.slow or county_late) and case.due_at is not None:
            flags.slow = False
            wanted = case.due_at + timedelta(hours=self.rnd.lognormvariate(math.log(30), 0.8))
        else:
            fraction = min(0.9, self.rnd.lognormvariate(math.log(0.2), 0.8))
            wanted = self.within_due(story, at, self.office(at + window * fraction, 7, 20))
        note = self.note(case_texts.RESOLVE_NOTES[story.category.top])
        return wanted, lambda t: story.apply(Action.RESOLVE, t, handler, note)

    def escalate(self, story: Story, at: datetime) -> None:
        case = story.case
        upper = case.handling_code[
            : LEVEL_CODE_LENGTH[LEVEL_ORDER[LEVEL_ORDER.index(case.level) + 1]]
        ]
        # The unit sends it up, or the level above pulls it up.
        actor = self.router(case.handling_code if self.rnd.random() < 0.7 else upper)
        story.apply(Action.ESCALATE, at, actor, self.note(case_texts.ESCALATE_NOTES))
        self.notify_unit(story, at, notices.ESCALATED.key)

    def transfer(self, story: Story, kind: str, at: datetime) -> None:
        top = story.category.top
        if kind == "court":
            to = self.rnd.choice(case_texts.COURT_DESKS)
            note = "涉及法律程序，转法院诉调对接。"
        else:
            to = self.rnd.choice(case_texts.DEPARTMENTS.get(top, case_texts.DEPARTMENTS["other"]))
            note = f"属{to}职责范围，转交办理。"
        story.transfer(at, self.router(story.case.handling_code), kind, to, note)

    def merge(self, story: Story, target: Story, at: datetime) -> None:
        """Mirrors cases.services.transitions.case_merge, or accepts the report when the target
        is closed by then (nothing left to merge into)."""
        before = target.state_at(at)
        case = story.case
        if before is None or before[0] in TERMINAL_STATES:
            story.apply(Action.ACCEPT, at, self.router(case.handling_code))
            return
        state, level, handling_code = before
        same_unit = handling_code == case.handling_code
        actor = self.router(case.handling_code if same_unit else self.context.county_code)
        note = self.note(case_texts.MERGE_NOTES)
        event = story.apply(Action.MERGE, at, actor, note, data={"into": target.case.number})
        story.merged_into = target
        merged_in = Entry(
            created_at=at,
            actor_id=actor,
            action="merge_in",
            from_state=state,
            to_state=state,
            level_before=level,
            level_after=level,
            handling_code_after=handling_code,
            note=note,
            data={"merged": case.number},
        )
        story.merged_in = (event, merged_in)

    def rating(self, story: Story) -> int:
        # Residents are less pleased after an escalation or a reopening.
        troubled = any(
            e.action in {Action.ESCALATE, Action.REOPEN, Action.RETURN} for e in story.events
        )
        weights = (2, 4, 8, 24, 62) if not troubled else (6, 10, 20, 30, 34)
        return self.rnd.choices((1, 2, 3, 4, 5), weights=weights)[0]

    # Inboxes (the demo logins' only: nobody reads the synthetic staff's) ---------------------

    def notify_user(self, story: Story, user_id: int, at: datetime, kind: str) -> None:
        if user_id in self.context.demo_ids:
            story.inbox.append((user_id, kind, at, kind))

    def notify_unit(self, story: Story, at: datetime, kind: str) -> None:
        routers = self.context.routers.get(story.case.handling_code, [])
        for user_id in routers:
            if user_id in self.context.demo_ids:
                story.inbox.append(
                    (user_id, notices.ESCALATED.key if kind == "sweep" else kind, at, kind)
                )

    def settle(self, story: Story, until: datetime) -> None:
        """The sweep's escalations up to `until` (for scripted stories)."""
        while story.sweepable():
            assert story.case.due_at is not None
            tick = sweep_tick(story.case.due_at)
            if tick > until:
                return
            story.sweep_escalate(tick)
            self.notify_unit(story, tick, "sweep")
