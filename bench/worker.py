"""Runs the benchmarks against one database (the parent sets DATABASE_URL and the settings)."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import django

# `cases` runs the three case benchmarks; `case-<part>` one of them.
ONLY = [
    "locator",
    "listing",
    "cases",
    "case-intake",
    "case-queue",
    "case-sweep",
    "audit",
    "dashboards",
    "broadcast",
    "people",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--repeat", type=int, required=True)
    parser.add_argument("--locator-repeat", type=int, required=True)
    parser.add_argument("--cases-created", type=int, required=True)
    parser.add_argument("--case-rows", type=int, required=True)
    parser.add_argument("--overdue", type=int, required=True)
    parser.add_argument("--sweep-sample", type=int, required=True)
    parser.add_argument("--audit-writes", type=int, required=True)
    parser.add_argument("--dashboard-cases", type=int, required=True)
    parser.add_argument("--broadcast-terminals", type=int, required=True)
    parser.add_argument("--register-residents", type=int, required=True)
    parser.add_argument("--only", choices=ONLY, default=None)
    parser.add_argument("--result-file", required=True)
    args = parser.parse_args()

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import (
        audit_bench,
        broadcast_bench,
        cases_bench,
        dashboard_bench,
        listing_bench,
        locator_bench,
        people_bench,
    )
    from bench.county import load_county
    from gridgov.core.audit_triggers import create_audit_triggers, drop_audit_triggers

    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    # A reused database (PostgreSQL) starts empty too, so every run measures the same data. The
    # audit log refuses deletes (triggers): lifted for the flush of this throwaway database only.
    drop_audit_triggers(connection)
    call_command("flush", interactive=False, verbosity=0)
    create_audit_triggers(connection)
    print(f"migrate + flush: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    note = load_county()
    print(f"{note}; loaded in {time.perf_counter() - start:.1f} s")

    results: dict[str, object] = {"county": note}
    if args.only in (None, "locator"):
        results["locator"] = locator_bench.run(points=args.points, repeat=args.locator_repeat)
    if args.only in (None, "listing"):
        results["listing"] = listing_bench.run(rows=args.rows, repeat=args.repeat)
    if args.only is None or args.only.startswith("case"):
        parts = (
            cases_bench.PARTS
            if args.only in (None, "cases")
            else (args.only.removeprefix("case-"),)
        )
        results["cases"] = cases_bench.run(
            created=args.cases_created,
            rows=args.case_rows,
            overdue=args.overdue,
            sample=args.sweep_sample,
            repeat=args.repeat,
            parts=parts,
        )
    if args.only in (None, "audit"):
        results["audit"] = audit_bench.run(writes=args.audit_writes)
    if args.only in (None, "broadcast"):
        with tempfile.TemporaryDirectory(prefix="gridgov-broadcast-") as work_dir:
            results["broadcast"] = broadcast_bench.run(
                terminals=args.broadcast_terminals, work_dir=Path(work_dir)
            )
    if args.only in (None, "people"):
        results["people"] = people_bench.run(residents=args.register_residents)
    if args.only in (None, "dashboards"):
        # Last: it empties the cases table and fills it with its own ten years.
        results["dashboards"] = dashboard_bench.run(cases=args.dashboard_cases, repeat=args.repeat)
    with open(args.result_file, "w", encoding="utf-8") as handle:
        json.dump(results, handle)


if __name__ == "__main__":
    main()
