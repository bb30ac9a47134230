"""Hours from check-in and check-out, and stars from hours, against hand-computed values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gridgov.volunteers.rules import hours_to_next_star, served_minutes, star_level

START = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
END = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def _served(check_in: timedelta, check_out: timedelta) -> int:
    return served_minutes(
        checked_in_at=START + check_in,
        checked_out_at=START + check_out,
        starts_at=START,
        ends_at=END,
    )


def test_the_minutes_between_check_in_and_check_out_count():
    assert _served(timedelta(minutes=5), timedelta(hours=3, minutes=50)) == 225


def test_setting_up_and_clearing_up_count_at_most_an_hour_each_side():
    # in at 06:00 (two hours early), out at 14:30 (two and a half late): 07:00 to 13:00
    assert _served(timedelta(hours=-2), timedelta(hours=6, minutes=30)) == 6 * 60


def test_a_forgotten_check_out_counts_at_most_twelve_hours():
    long_start, long_end = START, START + timedelta(days=2)
    minutes = served_minutes(
        checked_in_at=long_start,
        checked_out_at=long_start + timedelta(days=1, hours=3),
        starts_at=long_start,
        ends_at=long_end,
    )
    assert minutes == 12 * 60


def test_a_check_out_before_the_check_in_counts_nothing():
    assert _served(timedelta(hours=2), timedelta(hours=1)) == 0


@pytest.mark.parametrize(
    ("hours", "stars", "to_next"),
    [
        (0, 0, 100),
        (99.9, 0, 0.1),
        (100, 1, 200),
        (299, 1, 1),
        (300, 2, 300),
        (600, 3, 400),
        (999.5, 3, 0.5),
        (1000, 4, 500),
        (1500, 5, None),
        (4000, 5, None),
    ],
)
def test_stars_at_100_300_600_1000_and_1500_hours(hours, stars, to_next):
    assert star_level(hours) == stars
    assert hours_to_next_star(hours) == to_next
