"""The hotspot test on synthetic series: a planted spike is found, steady grids are not."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gridgov.mediation.hotspots import find_hotspots, poisson_upper_tail


def test_the_tail_matches_a_direct_sum():
    # P(X >= 3) for Poisson(1) = 1 - e^-1 (1 + 1 + 1/2)
    assert abs(poisson_upper_tail(3, 1.0) - (1 - np.exp(-1) * 2.5)) < 1e-12
    assert poisson_upper_tail(0, 2.0) == 1.0
    assert poisson_upper_tail(1, 0.0) == 0.0


def _series(rng: np.random.Generator, grids: int, windows: int, rate: float):
    history = {f"g{i:03d}": list(rng.poisson(rate, windows)) for i in range(grids)}
    current = {code: int(rng.poisson(rate)) for code in history}
    return current, history


def test_a_planted_spike_is_found_and_nothing_else():
    rng = np.random.default_rng(20261204)
    current, history = _series(rng, grids=200, windows=12, rate=2.0)
    current["g042"] = 14  # seven times its usual two
    spots = find_hotspots(current=current, history=history, windows=12)
    assert [spot.grid_code for spot in spots] == ["g042"]
    assert spots[0].p_value < 1e-6


def test_steady_series_raise_few_false_alarms():
    # With no spike, the number of alarms over many grids stays near what alpha allows.
    rng = np.random.default_rng(7)
    current, history = _series(rng, grids=1000, windows=12, rate=3.0)
    spots = find_hotspots(current=current, history=history, windows=12)
    assert len(spots) <= 20  # alpha = 0.01 of 1000 grids is 10 expected at most


def test_a_quiet_grid_with_one_dispute_is_no_hotspot():
    assert find_hotspots(current={"g": 2}, history={"g": [0] * 12}, windows=12) == []


@given(st.integers(min_value=0, max_value=60), st.floats(min_value=0.01, max_value=50))
def test_the_tail_is_a_probability_that_falls_as_the_count_rises(observed, rate):
    tail = poisson_upper_tail(observed, rate)
    assert 0.0 <= tail <= 1.0
    assert poisson_upper_tail(observed + 1, rate) <= tail + 1e-12
