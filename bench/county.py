"""The county the benchmarks run over: the demo county (Fufeng's real scale: 1,264 grids, ~5,000 micro-grids)."""

from __future__ import annotations

from gridgov.demo.county import load_demo


def load_county() -> str:
    """Load the demo county into the (empty) database; returns what was written, for the log."""
    summary = load_demo()
    return (
        f"demo county: {summary.towns} towns/streets, {summary.villages + summary.communities} "
        f"villages/communities, {summary.grids:,} grids, {summary.micro_grids:,} micro-grids"
    )
