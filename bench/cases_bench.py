"""The case benchmarks: creation through the API, the work queue over a million cases (keyset
pages), and the overdue sweep; each against its baseline measured in the same run."""

from __future__ import annotations

from typing import Any

from bench import case_intake_bench, case_queue_bench, case_sweep_bench
from bench.case_rows import FillPlan, fill_cases, prepare, utc_now
from gridgov.cases.models import Case

PARTS = ("intake", "queue", "sweep")


def run(
    *,
    created: int,
    rows: int,
    overdue: int,
    sample: int,
    repeat: int,
    parts: tuple[str, ...] = PARTS,
) -> dict[str, Any]:
    fixtures = prepare()
    results: dict[str, Any] = {}
    comparisons: list[dict[str, Any]] = []
    if "intake" in parts:
        print("case creation:")
        results["intake"] = case_intake_bench.run(count=created, fixtures=fixtures)
    if "queue" in parts or "sweep" in parts:
        now = utc_now()
        generate_s, load_s = fill_cases(FillPlan(rows=rows, overdue=overdue, now=now), fixtures)
        print(
            f"cases: {rows:,} rows ({overdue:,} overdue) generated in {generate_s:.1f} s and loaded in "
            f"{load_s:.1f} s (secondary indexes dropped and rebuilt, statistics refreshed); "
            f"{Case.objects.count():,} cases in the table"
        )
        if "queue" in parts:
            print("work queue (keyset pages):")
            results["queue"] = case_queue_bench.run(town=fixtures.queue_town, repeat=repeat)
            comparisons += results["queue"]["comparisons"]
        if "sweep" in parts:
            print("overdue sweep:")
            results["sweep"] = case_sweep_bench.run(now=now, sample=sample)
            comparisons += results["sweep"]["comparisons"]
    results["comparisons"] = comparisons
    return results
