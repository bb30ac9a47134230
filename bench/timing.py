"""Timing and printing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Comparison:
    """One measured figure of gridgov against its baseline, and whether it meets its target."""

    name: str
    unit: str
    gridgov: float
    baseline: float
    # "throughput": higher is better, the ratio is gridgov / baseline and must be >= target.
    # "latency": lower is better, the ratio is gridgov / baseline and must be <= target.
    kind: str
    target: float

    @property
    def ratio(self) -> float:
        return self.gridgov / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool:
        if self.kind == "throughput":
            return self.ratio >= self.target
        return self.ratio <= self.target

    def line(self) -> str:
        sign = ">=" if self.kind == "throughput" else "<="
        verdict = "MET" if self.met else "NOT MET"
        return (
            f"  {self.name:<34} gridgov {format_figure(self.gridgov, self.unit):>16}   "
            f"raw {format_figure(self.baseline, self.unit):>16}   ratio {self.ratio:5.2f}  "
            f"(target {sign} {self.target:.2f}: {verdict})"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "gridgov": self.gridgov,
            "baseline": self.baseline,
            "kind": self.kind,
            "target": self.target,
            "ratio": self.ratio,
            "met": self.met,
        }


def format_figure(value: float, unit: str) -> str:
    if unit == "points/s":
        return f"{value:,.0f} {unit}"
    if unit == "ms":
        return f"{value:.3f} {unit}" if value < 10 else f"{value:.1f} {unit}"
    return f"{value:.3g} {unit}"


def time_once(action: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one call takes, and what it returned."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def median_seconds(action: Callable[[], Any], *, repeat: int, warmup: int = 1) -> float:
    """Median wall time of `repeat` calls after `warmup` untimed ones (caches and plans are warm)."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        elapsed, _result = time_once(action)
        samples.append(elapsed)
    return statistics.median(samples)


def interleaved_medians(*actions: Callable[[], Any], repeat: int, warmup: int = 1) -> list[float]:
    """Median seconds of each action, timed in turn, so drift on a busy machine hits all alike."""
    for _ in range(warmup):
        for action in actions:
            action()
    samples: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for action, timings in zip(actions, samples, strict=True):
            timings.append(time_once(action)[0])
    return [statistics.median(timings) for timings in samples]
