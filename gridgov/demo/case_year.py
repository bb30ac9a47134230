"""A year of reports ending now (seasons, places, channels), their duplicates and the demo
logins' own cases, numbered and played in report order into a plan."""

from __future__ import annotations

import hashlib
import itertools
import math
import random
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from django.conf import settings

from gridgov.cases import notices
from gridgov.cases.models import Case, Channel, Urgency
from gridgov.cases.services.intake import DUPLICATE_RADIUS_M, DUPLICATE_WINDOW, distance_m
from gridgov.cases.states import OPEN_STATES, Action
from gridgov.cases.tracking import new_tracking_code
from gridgov.core import codes
from gridgov.core.pii import EncryptedValue, search_hash
from gridgov.demo import case_texts, names
from gridgov.demo.case_life import CaseContext, Flags, Life
from gridgov.demo.case_story import DAY, LeafCategory, Story
from gridgov.demo.case_weights import (
    CHANNEL_WEIGHTS,
    CHANNELS,
    CONSENT_SHARE,
    CONTACT_SHARE,
    DEVICE_CATEGORIES,
    ELSEWHERE,
    HOUR_WEIGHTS,
    LEAF_SHARES,
    MOBILE_PREFIXES,
    POINT_SHARE,
    REJECT_SHARE,
    SHOWCASE,
    SPRING_FESTIVAL,
    TOP_SHARES,
    URGENT_SHARE,
    WEEKEND_FACTOR,
    ScriptStep,
)
from gridgov.notifications.models import Notification


def _bump(
    days: list[date], centres: Callable[[int], date], sigma: float, shift: int = 0
) -> np.ndarray:
    """exp(-x²/2σ²) of each day's distance x (in days) to the nearest yearly `centres(year)`."""
    values = []
    for day in days:
        nearest = min(
            abs((day - centres(year) - timedelta(days=shift)).days)
            for year in (day.year - 1, day.year, day.year + 1)
        )
        values.append(math.exp(-(nearest**2) / (2 * sigma**2)))
    return np.array(values)


def _fixed(month: int, day: int) -> Callable[[int], date]:
    return lambda year: date(year, month, day)


def _festival(year: int) -> date:
    return SPRING_FESTIVAL.get(year, date(year, 2, 5))


def _seasons(days: list[date]) -> dict[str, np.ndarray]:
    """Multipliers by (top-level or leaf) category code for each day of the year."""
    festival = _bump(days, _festival, 21)  # migrant workers home, family and wage matters
    wheat = _bump(days, _fixed(6, 5), 12)  # the Guanzhong wheat harvest
    autumn = _bump(days, _fixed(10, 5), 15)  # maize
    return {
        "dispute": 1 + 0.9 * festival + 0.4 * wheat + 0.3 * autumn,
        # Wage claims peak in the weeks before the festival.
        "dispute-labour": 1 + 2.0 * _bump(days, _festival, 15, shift=-20),
        "dispute-land": 1 + 1.2 * (wheat + autumn),
        "environment": 1 + 0.9 * _bump(days, _fixed(7, 20), 40),
        "environment-pollution": 1
        + 1.5 * (_bump(days, _fixed(6, 12), 10) + _bump(days, _fixed(10, 12), 12)),
        "infrastructure": 1 + 0.5 * _bump(days, _fixed(7, 25), 25),
        "infrastructure-water": 1 + 0.8 * _bump(days, _fixed(1, 10), 20),  # frozen pipes
        "safety": 1 + 0.3 * _bump(days, _fixed(8, 15), 30),
        "safety-fire": 1 + 0.8 * _bump(days, _fixed(1, 15), 40) + 1.0 * _bump(days, _festival, 7),
        "safety-building": 1 + 1.5 * _bump(days, _fixed(8, 25), 25),  # the rainy season
        "livelihood": 1 + 0.5 * _bump(days, _festival, 25, shift=-10),
        "epidemic": 1 + 1.5 * _bump(days, _fixed(1, 1), 40),
        "policy": 1 + 0.5 * _bump(days, _fixed(11, 1), 40),  # medical insurance contributions
        "stability": 1 + 0.4 * festival,
    }


def _day_factors(days: list[date], now_local: datetime) -> np.ndarray:
    factors = np.linspace(0.85, 1.15, len(days))  # more reports as the platform gets known
    for index, day in enumerate(days):
        if day.weekday() >= 5:
            factors[index] *= 0.78
        if 0 <= (day - _festival(day.year)).days <= 6:
            factors[index] *= 0.6
    elapsed = (now_local.hour * 3600 + now_local.minute * 60 + now_local.second) / 86400
    factors[-1] *= max(elapsed, 0.01)
    return factors


@dataclass
class Seed:
    """What a report carries before its life is played."""

    story: Story
    reported_at: datetime
    actor: int | None
    flags: Flags
    script: list[ScriptStep] = field(default_factory=list)
    people: dict[str, int | None] = field(default_factory=dict)


@dataclass
class CasePlan:
    """Cases (in the order of their numbers) with their timelines, inboxes and day sequences."""

    stories: list[Story]
    sequences: dict[date, int]
    notifications: list[tuple[Notification, datetime]]
    now: datetime

    def digest(self) -> str:
        return cases_digest((s.case.number, s.case.state) for s in self.stories)

    @property
    def event_count(self) -> int:
        return sum(len(story.events) + (story.merged_in is not None) for story in self.stories)


def cases_digest(rows: Iterable[tuple[str, str]]) -> str:
    """SHA-256 over (number, state) pairs in number order."""
    digest = hashlib.sha256()
    for number, state in sorted(rows):
        digest.update(f"{number} {state}\n".encode())
    return digest.hexdigest()


Script = tuple[str, str, str, list[ScriptStep]]


def _older(steps: list[ScriptStep], hours: float) -> list[ScriptStep]:
    return [replace(step, hours_ago=step.hours_ago + hours) for step in steps]


class Planner:
    def __init__(self, context: CaseContext, rng: np.random.Generator, now: datetime) -> None:
        self.context = context
        self.rng = rng
        self.rnd = random.Random(int(rng.integers(2**62)))
        self.now = now
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.life = Life(context, self.rnd, now)
        self.categories = {c.code: c for c in context.categories}
        # Its own stream, so consent draws leave the rest of the year as it was.
        self.consent_rnd = random.Random(311)
        self.hour_cumulative = {
            channel: list(itertools.accumulate(weights))
            for channel, weights in HOUR_WEIGHTS.items()
        }

    # Reports -------------------------------------------------------------------------------

    def text(self, category: LeafCategory, village: str) -> tuple[str, str, str]:
        """Title, description and a written address for a report in `village`."""
        rnd = self.rnd
        templates = case_texts.REPORTS.get(category.code) or case_texts.REPORTS.get(
            category.top, case_texts.REPORTS["other"]
        )
        first, detail = rnd.choice(templates)
        community = village in self.context.community_villages
        who, who2 = rnd.sample(names.SURNAMES, 2)
        slots = {
            "place": self.context.village_names.get(village, ""),
            "n": rnd.randint(1, 30 if community else 12),
            "who": who + "某",
            "who2": who2 + "某",
            "unit": rnd.randint(1, 4),
        }
        title = first.format(**slots)[:120]
        address = case_texts.ADDRESS_COMMUNITY if community else case_texts.ADDRESS_VILLAGE
        return title, f"{title}\n{detail.format(**slots)}", address.format(**slots)

    def contact(self, channel: str) -> tuple[str, str]:
        rnd = self.rnd
        if rnd.random() >= CONTACT_SHARE[channel]:
            return "", ""
        name = rnd.choice(names.SURNAMES) + rnd.choice(names.GIVEN_NAMES)
        phone = f"+86{rnd.choice(MOBILE_PREFIXES)}{rnd.randrange(10**8):08d}"
        return name, phone

    def new_case(
        self,
        category: LeafCategory,
        channel: str,
        urgency: str,
        region_code: str,
        point: tuple[float, float] | None,
        text: tuple[str, str, str] | None = None,
    ) -> Story:
        village = region_code[: codes.VILLAGE_LEN]
        title, description, written_address = text or self.text(category, village)
        name, phone = self.contact(channel)
        address = written_address if point is None or self.rnd.random() < 0.4 else ""
        case = Case(
            channel=channel,
            category_id=category.id,
            urgency=urgency,
            title=title,
            description=description,
            latitude=point[1] if point else None,
            longitude=point[0] if point else None,
            address=address,
            reporter_name=EncryptedValue(name, "name"),
            reporter_phone=EncryptedValue(phone, "phone"),
            reporter_phone_hash=search_hash(phone) if phone else "",
            publication_consent=self.consent_rnd.random() < CONSENT_SHARE.get(channel, 0.0),
        )
        case.set_region_code(region_code)
        return Story(case, category)

    def reporter(self, channel: str, region_code: str, grid_code: str) -> int | None:
        """Who entered the report: staff for patrols, chats, calls and walk-ins; nobody for a
        resident's own report, an Open311 client or a device."""
        rnd, context = self.rnd, self.context
        if channel in {Channel.RESIDENT_WEB, Channel.OPEN311, Channel.DEVICE_ALARM}:
            return None
        if channel == Channel.HOTLINE:
            return rnd.choice(context.routers[context.county_code])
        if channel == Channel.WALK_IN:
            unit = region_code[: codes.VILLAGE_LEN if rnd.random() < 0.75 else codes.TOWN_LEN]
            return self.life.router(unit)
        officers = [
            uid for code, uid in context.officers.get(grid_code, []) if region_code.startswith(code)
        ]
        if officers and rnd.random() < 0.25:
            return rnd.choice(officers)
        return context.grid_workers[grid_code]

    def flags(self, category: LeafCategory, channel: str, grid_code: str) -> Flags:
        rnd, code, top = self.rnd, category.code, category.top
        flags = Flags(grid_code=grid_code)
        flags.reject = rnd.random() < REJECT_SHARE.get(channel, 0.015)
        flags.late_accept = rnd.random() < 0.012
        escalate = {
            "stability-collective": 0.5,
            "stability-petition": 0.25,
            "dispute-land": 0.10,
            "dispute-labour": 0.10,
            "dispute-medical": 0.30,
            "safety-building": 0.10,
        }.get(code, 0.02)
        if rnd.random() < escalate:
            flags.escalations = 2 if rnd.random() < (0.4 if top == "stability" else 0.1) else 1
            flags.escalate_in_progress = rnd.random() < 0.3
        flags.refer_down = rnd.random() < 0.4
        if top == "dispute":
            court_prone = code in {
                "dispute-labour",
                "dispute-traffic",
                "dispute-medical",
                "dispute-family",
            }
            if rnd.random() < (0.08 if court_prone else 0.03):
                flags.transfer = "court" if rnd.random() < 0.7 else "department"
        elif rnd.random() < {"infrastructure": 0.06, "environment": 0.05, "safety": 0.04}.get(
            top, 0.01
        ):
            flags.transfer = "department"
        flags.suspend = rnd.random() < (0.04 if top == "dispute" else 0.015)
        flags.rework = 1 if rnd.random() < 0.05 else 0
        flags.slow = rnd.random() < 0.035
        flags.reopen = rnd.random() < 0.012
        flags.rate = rnd.random() < 0.78
        return flags

    def moment(self, day: date, channel: str) -> datetime:
        """A time on `day` (local) following the channel's hours, before now."""
        cumulative = self.hour_cumulative[channel]
        for _attempt in range(12):
            hour = self.rnd.choices(range(24), cum_weights=cumulative)[0]
            local = datetime(day.year, day.month, day.day, hour, tzinfo=self.zone)
            at = (local + timedelta(seconds=self.rnd.uniform(0, 3600))).astimezone(UTC)
            if at < self.now - timedelta(minutes=2):
                return at
        midnight = datetime(day.year, day.month, day.day, tzinfo=self.zone).astimezone(UTC)
        return midnight + (self.now - timedelta(minutes=2) - midnight) * self.rnd.random()

    def points(self, micro: np.ndarray) -> list[tuple[tuple[float, float], str] | None]:
        """A point inside each micro-grid (rounded like a phone's fix) and where the locator
        places it (the intake's region_code), or None when it cannot place one."""
        shapes = self.context.micro_shapes[micro]
        bounds = shapely.bounds(shapes)
        lng, lat = np.zeros(len(micro)), np.zeros(len(micro))
        pending = np.arange(len(micro))
        for _attempt in range(200):
            if not len(pending):
                break
            box = bounds[pending]
            x = np.round(box[:, 0] + self.rng.random(len(pending)) * (box[:, 2] - box[:, 0]), 6)
            y = np.round(box[:, 1] + self.rng.random(len(pending)) * (box[:, 3] - box[:, 1]), 6)
            inside = shapely.contains_xy(shapes[pending], x, y)
            lng[pending[inside]], lat[pending[inside]] = x[inside], y[inside]
            pending = pending[~inside]
        # Points never placed stay at (0, 0), which the locator places nowhere.
        located = self.context.locator.locate_many(lng, lat)
        return [
            ((x, y), where.region_code) if where is not None else None
            for x, y, where in zip(lng.tolist(), lat.tolist(), located, strict=True)
        ]

    def year(self, count: int) -> list[Seed]:
        """`count` reports over the 365 days ending now."""
        context, rng, rnd = self.context, self.rng, self.rnd
        now_local = self.now.astimezone(self.zone)
        days = [now_local.date() - timedelta(days=364 - i) for i in range(365)]
        seasons = _seasons(days)
        shares = np.array(
            [TOP_SHARES.get(c.top, 0.01) * LEAF_SHARES.get(c.code, 1.0) for c in context.categories]
        )
        weights = np.ones((len(days), len(context.categories))) * shares
        for index, category in enumerate(context.categories):
            for key in {category.top, category.code}:
                if key in seasons:
                    weights[:, index] *= seasons[key]
        weights *= _day_factors(days, now_local)[:, None]
        per_day = rng.multinomial(count, weights.sum(axis=1) / weights.sum())
        day_of, category_of = [], []
        for index, total in enumerate(per_day.tolist()):
            split = rng.multinomial(total, weights[index] / weights[index].sum())
            for category_index, n in enumerate(split.tolist()):
                day_of += [index] * n
                category_of += [category_index] * n
        # Where: micro-grids by population; property disputes in communities, land in villages.
        population = context.micro_population
        community = np.array([c[:12] in context.community_villages for c in context.micro_codes])
        micro = rng.choice(len(population), size=count, p=population / population.sum())
        for code, mask in (("dispute-property", community), ("dispute-land", ~community)):
            if code not in self.categories or not mask.any():
                continue
            index = next(i for i, c in enumerate(context.categories) if c.code == code)
            chosen = np.flatnonzero(np.array(category_of) == index)
            p = np.where(mask, population, 0)
            micro[chosen] = rng.choice(len(population), size=len(chosen), p=p / p.sum())
        seeds: list[Seed] = []
        wants_point: list[bool] = []
        for i in range(count):
            day = days[day_of[i]]
            category = context.categories[category_of[i]]
            micro_code = context.micro_codes[micro[i]]
            urban = micro_code[:12] in context.community_villages
            channel_weights: list[float] = list(
                CHANNEL_WEIGHTS.get(category.top, CHANNEL_WEIGHTS["other"])
            )
            for c_index, channel in enumerate(CHANNELS):
                if day.weekday() >= 5:
                    channel_weights[c_index] *= WEEKEND_FACTOR.get(channel, 0.9)
                if urban and channel in {Channel.RESIDENT_WEB, Channel.OPEN311}:
                    channel_weights[c_index] *= 1.5 if channel == Channel.RESIDENT_WEB else 2
            if category.code not in DEVICE_CATEGORIES:
                channel_weights[CHANNELS.index(Channel.DEVICE_ALARM)] = 0
            channel = rnd.choices(CHANNELS, weights=channel_weights)[0]
            urgent = URGENT_SHARE.get(category.code, URGENT_SHARE.get(category.top, 0.04))
            if channel == Channel.DEVICE_ALARM:
                urgent *= 1.5
            urgency = Urgency.URGENT if rnd.random() < urgent else Urgency.NORMAL
            point = rnd.random() < POINT_SHARE[channel]
            grid_code = micro_code[: codes.GRID_LEN]
            # Without a point the report names a place: grid staff can only name their grid.
            by_grid_staff = channel in {Channel.GRID_PATROL, Channel.GROUP_CHAT}
            village_wide = not by_grid_staff and rnd.random() < 0.4
            region = micro_code if point else (micro_code[:12] if village_wide else grid_code)
            story = self.new_case(category, channel, urgency, region, None)
            at = self.moment(day, channel)
            seeds.append(Seed(story, at, None, self.flags(category, channel, grid_code)))
            wants_point.append(point)
        with_point = [i for i, wanted in enumerate(wants_point) if wanted]
        located = self.points(micro[with_point])
        for i, place in zip(with_point, located, strict=True):
            if place is None:
                continue  # the address and grid stand (the intake accepts that too)
            (x, y), region_code = place
            case = seeds[i].story.case
            case.longitude, case.latitude = x, y
            case.set_region_code(region_code)
            seeds[i].flags.grid_code = region_code[: codes.GRID_LEN]
            if rnd.random() < 0.6:
                case.address = ""  # a map pin is often all a report gives
        for seed in seeds:
            case = seed.story.case
            seed.actor = self.reporter(case.channel, case.region_code, seed.flags.grid_code)
        return seeds

    def duplicates(self, seeds: list[Seed], count: int) -> list[Seed]:
        """Second reports of something already reported: same category, a short walk away,
        within two days; the unit merges them into the first when it is still open."""
        rnd = self.rnd
        candidates = [
            s
            for s in seeds
            if s.story.case.latitude is not None and s.story.case.channel != Channel.DEVICE_ALARM
        ]
        if not candidates:
            return []
        twins: list[Seed] = []
        for seed in rnd.sample(candidates, min(count, len(candidates))):
            first = seed.story.case
            at = seed.reported_at + timedelta(hours=rnd.uniform(1, 36))
            if at > self.now - timedelta(minutes=10):
                continue
            assert first.latitude is not None
            assert first.longitude is not None
            metres, bearing = rnd.uniform(20, 150), rnd.uniform(0, 2 * math.pi)
            lat = round(first.latitude + metres * math.cos(bearing) / 111_000, 6)
            lng = round(
                first.longitude
                + metres * math.sin(bearing) / (111_000 * math.cos(math.radians(lat))),
                6,
            )
            where = self.context.locator.locate_many(np.array([lng]), np.array([lat]))[0]
            if where is None:
                lng, lat, region_code = first.longitude, first.latitude, first.region_code
            else:
                region_code = where.region_code
            channel = rnd.choice(
                [Channel.RESIDENT_WEB, Channel.GRID_PATROL, Channel.GROUP_CHAT, Channel.OPEN311]
            )
            story = self.new_case(
                seed.story.category,
                channel,
                first.urgency,
                region_code,
                (lng, lat),
                (first.title, first.description, first.address),
            )
            grid_code = region_code[: codes.GRID_LEN]
            flags = self.flags(seed.story.category, channel, grid_code)
            flags.merge_into = seed.story  # replaced by what the intake flags, see _simulate
            twins.append(Seed(story, at, self.reporter(channel, region_code, grid_code), flags))
        return twins

    # The demo logins' own work ---------------------------------------------------------------

    def showcase(self) -> list[Seed]:
        """A handful of cases in the demo logins' units, at known points of their lives, and in
        every other town one overdue at the county."""
        context = self.context
        operator = self._demo_router(context.county_code)
        units: list[tuple[str, dict[str, int | None], list[Script]]] = []
        demo_villages = sorted(
            code
            for code, users in context.routers.items()
            if len(code) == codes.VILLAGE_LEN and any(uid in context.demo_ids for uid in users)
        )
        for village in demo_villages:
            grids = [
                g
                for g in context.grids_of_village.get(village, [])
                if context.grid_workers.get(g) in context.demo_ids
            ]
            if grids:
                units.append((grids[0], self._people(grids[0], operator), SHOWCASE))
        demo_towns = {village[: codes.TOWN_LEN] for village in demo_villages}
        towns = sorted(code for code in context.routers if len(code) == codes.TOWN_LEN)
        for index, town in enumerate(t for t in towns if t not in demo_towns):
            villages = sorted(v for v in context.grids_of_village if v.startswith(town))
            if villages:
                grid = context.grids_of_village[villages[0]][0]
                older = [(c, u, ch, _older(steps, 24 * index)) for c, u, ch, steps in ELSEWHERE]
                units.append((grid, self._people(grid, operator), older))
        seeds: list[Seed] = []
        for grid, people, scripts in units:
            micro = [i for i, code in enumerate(context.micro_codes) if code.startswith(grid)]
            for code, urgency, channel, script in scripts:
                category = self.categories[code]
                point = None
                region_code = grid
                if POINT_SHARE[channel] > 0.5 and micro:
                    place = self.points(np.array([micro[len(seeds) % len(micro)]]))[0]
                    if place is not None and place[1].startswith(grid):
                        point, region_code = place
                story = self.new_case(category, channel, urgency, region_code, point)
                reported_at = self.now - timedelta(hours=script[0].hours_ago)
                flags = Flags(grid_code=grid)
                seeds.append(Seed(story, reported_at, people[script[0].who], flags, script, people))
        return seeds

    def _people(self, grid: str, operator: int) -> dict[str, int | None]:
        """Who plays each part of a script in `grid`'s units (demo logins where they are)."""
        context = self.context
        town = grid[: codes.TOWN_LEN]
        return {
            "worker": context.grid_workers[grid],
            "secretary": self._demo_router(grid[: codes.VILLAGE_LEN]),
            "town": self._demo_router(town),
            "operator": operator,
            "mediator": (context.mediators.get(town) or [context.grid_workers[grid]])[0],
            "resident": None,
        }

    def _demo_router(self, code: str) -> int:
        routers = self.context.routers.get(code) or self.context.routers[self.context.county_code]
        demo = [uid for uid in routers if uid in self.context.demo_ids]
        return (demo or routers)[0]

    def play_script(self, seed: Seed) -> None:
        story, life, people = seed.story, self.life, seed.people
        story.scripted = True
        for step in seed.script[1:]:
            action, who = step.action, step.who
            at = self.now - timedelta(hours=step.hours_ago)
            life.settle(story, at)
            actor = people[who]
            assert actor is not None
            if action == Action.DISPATCH:
                assignee = people[step.assignee]
                assert assignee is not None
                story.dispatch(at, actor, assignee, self.context.usernames[assignee])
                life.notify_user(story, assignee, at, notices.ASSIGNED.key)
            elif action == Action.ESCALATE:
                story.apply(action, at, actor, self.rnd.choice(case_texts.ESCALATE_NOTES))
                life.notify_unit(story, at, notices.ESCALATED.key)
            elif action == Action.RETURN:
                assignee = story.case.assignee_id
                story.apply(action, at, actor, case_texts.RETURN_NOTES[0])
                if assignee is not None:
                    life.notify_user(story, assignee, at, notices.RETURNED.key)
            elif action == Action.RESOLVE:
                story.apply(action, at, actor, case_texts.RESOLVE_NOTES[story.category.top][0])
            else:
                story.apply(action, at, actor)
        life.settle(story, self.now)
        story.warn_if_due(self.now)

    # Playing the year --------------------------------------------------------------------------

    def simulate(self, seeds: list[Seed], issued_before: dict[date, int]) -> CasePlan:
        """Number the reports in time order, then play each life in that order, so the intake's
        duplicate check sees exactly the cases open at each report."""
        seeds.sort(key=lambda s: s.reported_at)
        sequences = self.number(seeds, issued_before)
        nearby: dict[tuple[int, int, int], list[Story]] = {}
        for seed in seeds:
            story, case = seed.story, seed.story.case
            story.report(seed.reported_at, seed.actor)
            case.tracking_token = secrets.token_urlsafe(16)[:22]
            case.tracking_code = new_tracking_code()
            if case.latitude is not None and case.longitude is not None:
                cell = (case.category_id, int(case.latitude / 0.003), int(case.longitude / 0.003))
                story.possible_duplicate_of = self.duplicate_of(case, cell, nearby)
                nearby.setdefault(cell, []).append(story)
            self.life.notify_unit(story, seed.reported_at, notices.NEW_CASE.key)
            if seed.script:
                self.play_script(seed)
                continue
            if seed.flags.merge_into is not None:
                seed.flags.merge_into = story.possible_duplicate_of
            self.life.live(story, seed.flags)
        stories = [seed.story for seed in seeds]
        return CasePlan(stories, sequences, self.inboxes(stories), self.now)

    def number(self, seeds: list[Seed], issued_before: dict[date, int]) -> dict[date, int]:
        """Numbers per local day in report order, after any already issued that day."""
        county = self.context.county_code
        last = issued_before
        issued: dict[date, int] = {}
        for seed in seeds:
            day = seed.reported_at.astimezone(self.zone).date()
            issued[day] = issued.get(day, last.get(day, 0)) + 1
            seed.story.case.number = f"{county}-{day:%Y%m%d}-{issued[day]:06d}"
        return issued

    def duplicate_of(
        self,
        case: Case,
        cell: tuple[int, int, int],
        nearby: dict[tuple[int, int, int], list[Story]],
    ) -> Story | None:
        """Mirrors cases.services.intake.find_duplicate: the nearest case of the same category
        within 200 m, reported in the last 48 hours and open now."""
        assert case.latitude is not None
        assert case.longitude is not None
        since = case.created_at - DUPLICATE_WINDOW
        best: tuple[float, Story] | None = None
        category, row, column = cell
        for d_row in (-1, 0, 1):
            for d_column in (-1, 0, 1):
                for other in reversed(nearby.get((category, row + d_row, column + d_column), [])):
                    if other.case.created_at < since:
                        break
                    state = other.state_at(case.created_at)
                    if state is None or state[0] not in OPEN_STATES:
                        continue
                    assert other.case.latitude is not None
                    assert other.case.longitude is not None
                    metres = distance_m(
                        case.latitude, case.longitude, other.case.latitude, other.case.longitude
                    )
                    if metres <= DUPLICATE_RADIUS_M and (best is None or metres < best[0]):
                        best = (metres, other)
        return best[1] if best else None

    def inboxes(self, stories: list[Story]) -> list[tuple[Notification, datetime]]:
        """The demo logins' inbox rows, with when each arrived; read unless recent."""
        demo_ids = self.context.demo_ids
        rows: list[tuple[Notification, datetime]] = []
        for story in stories:
            case = story.case
            entries = list(story.inbox)
            if case.warned_at is not None:
                # The warning sweep tells the assignee, or before dispatch the unit's routers.
                recipients = (
                    [case.assignee_id]
                    if case.assignee_id
                    else self.context.routers.get(case.handling_code, [])
                )
                entries += [
                    (uid, notices.DEADLINE_WARNING.key, case.warned_at, "warning")
                    for uid in recipients
                    if uid in demo_ids
                ]
            for recipient, key, at, _how in entries:
                recent = self.now - at < 2 * DAY
                read_at = None
                # The demo logins' own cases wait unread; of the rest, some were seen already.
                if not recent or (not story.scripted and self.rnd.random() < 0.3):
                    read_at = min(at + timedelta(hours=self.rnd.uniform(0.1, 20)), self.now)
                notification = Notification(
                    recipient_id=recipient,
                    key=key,
                    params={"number": case.number, "title": case.title},
                    object_type=notices.CASE,
                    object_id=case.number,
                    created_at=at,
                    read_at=read_at,
                )
                rows.append((notification, at))
        return rows


# (category, urgency, channel, steps); a step is (action, hours before now, who[, assignee]).
