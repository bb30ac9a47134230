"""The range of dates the application deals in; anything outside it is bad input (HTTP 400).

Without a bound, a date like 0001-01-01 or 9999-12-31 parses fine and then overflows when it is
shifted to UTC or stepped by a day, which would surface as a 500.
"""

from __future__ import annotations

from datetime import date, datetime

EARLIEST_YEAR = 1970
LATEST_YEAR = 2200


def is_plausible(value: date | datetime) -> bool:
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR
