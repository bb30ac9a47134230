"""Hotspots: grids whose dispute count in a period is significantly above their own history.

The test, stated: a grid's counts in the `history` windows before the period (each as long as
the period) give its expected count, lambda = (sum of the history + 0.5) / (number of windows)
(the half count keeps a grid with a quiet history from having a rate of zero). Under "nothing
has changed" the period's count X is Poisson(lambda); the grid is a hotspot when the upper tail
P(X >= observed) is below `alpha` (0.01 by default) and it had at least `minimum` disputes (3),
so one quarrel in a quiet village is not an alarm. Pure Python, no database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ALPHA = 0.01
MINIMUM = 3
PRIOR = 0.5


def poisson_upper_tail(observed: int, rate: float) -> float:
    """P(X >= observed) for X ~ Poisson(rate), summed in log space (stable for large counts)."""
    if observed <= 0:
        return 1.0
    if rate <= 0:
        return 0.0
    log_rate = math.log(rate)
    below = sum(math.exp(k * log_rate - rate - math.lgamma(k + 1)) for k in range(observed))
    return max(0.0, 1.0 - below)


@dataclass(frozen=True)
class Hotspot:
    grid_code: str
    observed: int
    expected: float
    p_value: float


def find_hotspots(
    *,
    current: Mapping[str, int],
    history: Mapping[str, Sequence[int]],
    windows: int,
    alpha: float = ALPHA,
    minimum: int = MINIMUM,
) -> list[Hotspot]:
    """The grids of `current` (code -> count in the period) that are hotspots against their
    `history` (code -> counts in each earlier window; missing windows count as zero), most
    significant first."""
    found = []
    for code, observed in current.items():
        if observed < minimum:
            continue
        past = list(history.get(code, ()))
        expected = (sum(past) + PRIOR) / max(windows, 1)
        p_value = poisson_upper_tail(observed, expected)
        if p_value < alpha:
            found.append(Hotspot(code, observed, round(expected, 3), p_value))
    return sorted(found, key=lambda spot: (spot.p_value, spot.grid_code))
