"""How the demo's year of cases is spread: the shares of categories and channels, the hours each
channel keeps, how often a report has a map point or a contact, and the demo logins' own cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gridgov.cases.models import Channel

# Shares of the top-level categories in a year, and of their sub-categories: livelihood requests
# and disputes are the common business of a grid; medical disputes and epidemics are rare.
TOP_SHARES = {
    "livelihood": 0.19,
    "dispute": 0.19,
    "environment": 0.14,
    "infrastructure": 0.14,
    "safety": 0.10,
    "policy": 0.09,
    "other": 0.06,
    "stability": 0.04,
    "epidemic": 0.05,
}
LEAF_SHARES = {
    "dispute-neighbour": 0.30,
    "dispute-family": 0.18,
    "dispute-land": 0.17,
    "dispute-labour": 0.12,
    "dispute-property": 0.06,
    "dispute-consumer": 0.07,
    "dispute-medical": 0.02,
    "dispute-traffic": 0.08,
    "safety-fire": 0.30,
    "safety-building": 0.15,
    "safety-traffic": 0.30,
    "safety-security": 0.25,
    "environment-waste": 0.50,
    "environment-pollution": 0.25,
    "environment-sewage": 0.25,
    "infrastructure-road": 0.30,
    "infrastructure-water": 0.25,
    "infrastructure-power": 0.15,
    "infrastructure-streetlight": 0.30,
    "livelihood-assistance": 0.40,
    "livelihood-elderly": 0.30,
    "livelihood-employment": 0.30,
    "stability-petition": 0.80,
    "stability-collective": 0.20,
}
CHANNELS = [
    Channel.GRID_PATROL,
    Channel.RESIDENT_WEB,
    Channel.HOTLINE,
    Channel.GROUP_CHAT,
    Channel.WALK_IN,
    Channel.DEVICE_ALARM,
    Channel.OPEN311,
]
# Channel weights by top-level category, in the order of CHANNELS.
CHANNEL_WEIGHTS: dict[str, tuple[float, ...]] = {
    "dispute": (35, 8, 16, 14, 24, 0, 3),
    "safety": (45, 10, 12, 8, 3, 20, 2),
    "environment": (40, 20, 12, 12, 3, 10, 3),
    "infrastructure": (40, 22, 18, 12, 3, 2, 3),
    "livelihood": (40, 15, 18, 10, 17, 0, 0),
    "policy": (15, 30, 35, 12, 8, 0, 0),
    "stability": (40, 5, 15, 15, 25, 0, 0),
    "epidemic": (50, 15, 15, 15, 5, 0, 0),
    "other": (35, 25, 15, 15, 7, 0, 3),
}
# Cameras and sensors raise alarms only for what they can see.
DEVICE_CATEGORIES = frozenset(
    {
        "safety-fire",
        "safety-security",
        "safety-traffic",
        "environment-waste",
        "environment-pollution",
        "infrastructure-streetlight",
    }
)
WEEKEND_FACTOR: dict[str, float] = {Channel.GRID_PATROL: 0.6, Channel.WALK_IN: 0.25}
# Relative weight of each hour of the day (local time) by channel.
_OFFICE = (0, 0, 0, 0, 0, 0, 0, 0.5, 2, 3, 3, 2.5, 1, 1, 2.5, 3, 2.5, 1.5, 0.5, 0.2, 0.05, 0, 0, 0)
_EVENING = (
    *(0.1,) * 6,
    *(0.3, 0.8, 1.5, 1.5, 1.5, 1.5, 1.2, 1.2, 1.4, 1.4, 1.4, 1.4, 1.6, 1.6, 1.6, 1.6, 0.8, 0.3),
)
HOUR_WEIGHTS: dict[str, tuple[float, ...]] = {
    Channel.GRID_PATROL: _OFFICE,
    Channel.RESIDENT_WEB: _EVENING,
    Channel.OPEN311: _EVENING,
    Channel.GROUP_CHAT: _EVENING,
    Channel.HOTLINE: (*(0.05,) * 7, 0.5, 2, 2, 2, 2, 1.2, 1.2, 2, 2, 2, 2, 1, 1, 1, 0.3, 0.3, 0.3),
    Channel.WALK_IN: (*(0,) * 8, 1, 3, 3, 3, 0.5, 0.5, 2.5, 2.5, 2.5, 2.5, *(0,) * 6),
    Channel.DEVICE_ALARM: (*(1.5,) * 6, *(1,) * 16, 1.5, 1.5),
}
# How often a report comes with a map point, and with the reporter's name and phone.
POINT_SHARE: dict[str, float] = {
    Channel.GRID_PATROL: 0.95,
    Channel.RESIDENT_WEB: 0.85,
    Channel.OPEN311: 1.0,
    Channel.DEVICE_ALARM: 1.0,
    Channel.GROUP_CHAT: 0.4,
    Channel.HOTLINE: 0.0,
    Channel.WALK_IN: 0.1,
}
CONTACT_SHARE: dict[str, float] = {
    Channel.HOTLINE: 1.0,
    Channel.WALK_IN: 1.0,
    Channel.RESIDENT_WEB: 0.75,
    Channel.OPEN311: 0.5,
    Channel.GROUP_CHAT: 0.45,
    Channel.GRID_PATROL: 0.2,
    Channel.DEVICE_ALARM: 0.0,
}
# Residents who tick "may be published" (Open311 GET requests), by public channel; hotline
# operators ask callers less often than a form offers the box.
CONSENT_SHARE: dict[str, float] = {
    Channel.RESIDENT_WEB: 0.6,
    Channel.OPEN311: 0.7,
    Channel.HOTLINE: 0.3,
}
# Reports not accepted (out of scope, unreachable reporter, false alarm), by channel.
REJECT_SHARE: dict[str, float] = {
    Channel.RESIDENT_WEB: 0.06,
    Channel.OPEN311: 0.06,
    Channel.GROUP_CHAT: 0.04,
    Channel.DEVICE_ALARM: 0.10,
    Channel.HOTLINE: 0.03,
}
URGENT_SHARE: dict[str, float] = {
    "safety": 0.25,
    "stability-collective": 0.4,
    "epidemic": 0.3,
    "infrastructure-power": 0.15,
    "infrastructure-water": 0.15,
    "dispute": 0.08,
}
MOBILE_PREFIXES = [
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "199",
]
# Spring Festival dates (disputes and wage claims gather around them); others default to Feb 5.
SPRING_FESTIVAL = {
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
}


# The demo logins' own cases: category, urgency, channel, then the steps, each an action, the hours
# before now it happened, who took it (and for a dispatch, to whom).
SHOWCASE_SCRIPT = """
# The grid worker's task list: new, due soon (warned), returned for rework, and two tasks the
# county dispatched that are days overdue.
infrastructure-streetlight normal grid_patrol: report 5 worker, accept 4.5 secretary,
    dispatch 3 secretary worker
epidemic normal group_chat: report 70 worker, accept 68 secretary, dispatch 67.5 secretary worker,
    start 60 worker
dispute-neighbour normal grid_patrol: report 144 worker, accept 143 secretary,
    dispatch 142 secretary worker, start 120 worker, resolve 48 worker, return 20 secretary
stability-petition normal walk_in: report 480 secretary, accept 479 secretary,
    escalate 456 secretary, escalate 408 town, dispatch 405 operator worker, start 384 worker
environment-pollution normal grid_patrol: report 288 worker, accept 287 secretary,
    escalate 264 secretary, escalate 240 town, dispatch 238 operator worker, start 216 worker
# The secretary's queue: to accept (one urgent, warned), to dispatch, to verify, to close.
livelihood-elderly normal resident_web: report 1.5 resident
safety-building urgent hotline: report 0.5 operator
environment-waste normal grid_patrol: report 6 worker, accept 2 secretary
infrastructure-water normal grid_patrol: report 96 worker, accept 95 secretary,
    dispatch 94 secretary worker, start 72 worker, resolve 10 worker
dispute-family normal walk_in: report 120 secretary, accept 119 secretary,
    dispatch 118 secretary worker, start 96 worker, resolve 24 worker, verify 3 secretary
# The town's: one the sweep sent up unaccepted, one the village sent up, one in mediation.
other normal resident_web: report 28 resident
dispute-land normal grid_patrol: report 48 worker, accept 47 secretary, escalate 5 secretary
dispute-labour normal walk_in: report 144 secretary, accept 143 secretary, escalate 120 secretary,
    dispatch 118 town mediator, start 96 mediator
# The county's: escalated twice, waiting to be dispatched.
stability-collective normal walk_in: report 72 secretary, accept 71.5 secretary,
    escalate 48 secretary, escalate 8 town
"""


@dataclass(frozen=True)
class ScriptStep:
    action: str
    hours_ago: float
    who: str
    assignee: str = ""


def parse_script(text: str) -> list[tuple[str, str, str, list[ScriptStep]]]:
    """SHOWCASE_SCRIPT as (category, urgency, channel, steps)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    joined = "\n".join(lines).replace("\n    ", " ")
    scripts = []
    for line in joined.splitlines():
        head, _, body = line.partition(":")
        category, urgency, channel = head.split()
        steps = []
        for part in body.split(","):
            action, hours, who, *assignee = part.split()
            steps.append(ScriptStep(action, float(hours), who, *assignee))
        scripts.append((category, urgency, channel, steps))
    return scripts


SHOWCASE = parse_script(SHOWCASE_SCRIPT)

# Elsewhere in the county, for the county's list of overdue cases: in each town without demo
# logins, one case that went up to the county, was dispatched there and is days overdue (each
# town's a day older than the one before).
ELSEWHERE_SCRIPT = """
stability-petition normal walk_in: report 400 secretary, accept 399 secretary,
    escalate 380 secretary, escalate 340 town, dispatch 336 operator worker, start 320 worker
"""
ELSEWHERE = parse_script(ELSEWHERE_SCRIPT)
