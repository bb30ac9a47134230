"""The county the benchmarks run over: the demo county (Fufeng's real scale: 1,264 grids, ~5,000 micro-grids)."""

from __future__ import annotations

from gridgov.demo.county import STEPS, load_demo

# Regions, staff and demo logins only: each benchmark writes the rows it measures, so the
# demo's year of cases (and whatever later steps add) would only slow the load and blur figures.
COUNTY_STEPS = ("regions", "staff", "accounts")


def load_county() -> str:
    """Load the demo county into the (empty) database; returns what was written, for the log."""
    summary = load_demo(steps=[(name, step) for name, step in STEPS if name in COUNTY_STEPS])
    return (
        f"demo county: {summary.towns} towns/streets, {summary.villages + summary.communities} "
        f"villages/communities, {summary.grids:,} grids, {summary.micro_grids:,} micro-grids"
    )
