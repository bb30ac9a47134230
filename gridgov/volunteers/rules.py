"""The arithmetic of service hours and stars, pure Python: what counts of a check-in and
check-out, and the star level hours earn (the county's levels: 100, 300, 600, 1,000 and 1,500
hours). Stars are always computed from hours, never stored or typed in."""

from __future__ import annotations

from datetime import datetime, timedelta

from gridgov.core.codes import TOWN_LEN, VILLAGE_LEN

# Hours that earn one to five stars.
STAR_HOURS: tuple[int, ...] = (100, 300, 600, 1000, 1500)
# A check-out counts at most this long after the event's scheduled end (clearing up), and a
# check-in no earlier than this before its start (setting up).
SETTING_UP = timedelta(minutes=60)
CLEARING_UP = timedelta(minutes=60)
# No day of service counts more than this, whatever the clock says (a forgotten check-out).
MAX_MINUTES_PER_SIGN_UP = 12 * 60


def served_minutes(
    *, checked_in_at: datetime, checked_out_at: datetime, starts_at: datetime, ends_at: datetime
) -> int:
    """Minutes served between check-in and check-out, counted only within the event's time
    (with an hour to set up before and an hour to clear up after) and at most 12 hours."""
    start = max(checked_in_at, starts_at - SETTING_UP)
    end = min(checked_out_at, ends_at + CLEARING_UP)
    if end <= start:
        return 0
    return min(int((end - start).total_seconds() // 60), MAX_MINUTES_PER_SIGN_UP)


def star_level(hours: float) -> int:
    """0 to 5: how many of the county's star thresholds the hours reach."""
    return sum(1 for threshold in STAR_HOURS if hours >= threshold)


def hours_to_next_star(hours: float) -> float | None:
    """How many more hours earn the next star; None at five stars."""
    for threshold in STAR_HOURS:
        if hours < threshold:
            return round(threshold - hours, 1)
    return None


def places_above(codes: list[str]) -> list[str]:
    """The town and village above each place where a volunteer serves (the places themselves
    excluded): a volunteer may also join the events their village and town hold, not only those
    of their own place and below."""
    above = {
        code[:length] for code in codes for length in (TOWN_LEN, VILLAGE_LEN) if len(code) > length
    }
    return sorted(above)
