"""`make bench`: runs every benchmark on SQLite (a temporary file database with the project's
options) and on PostgreSQL (skipped with a note when it is not reachable), each in its own process."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.backends import postgres_url, sqlite_url
from bench.worker import ONLY

FULL = {
    "points": 1_000_000,
    "rows": 1_000_000,
    "repeat": 20,
    "locator_repeat": 7,
    "cases_created": 500,
    "case_rows": 1_000_000,
    "overdue": 500_000,
    "sweep_sample": 2_000,
    "audit_writes": 2_000,
    "dashboard_cases": 5_000_000,
    "broadcast_terminals": 10_000,
    "register_residents": 450_000,
}
QUICK = {
    "points": 100_000,
    "rows": 50_000,
    "repeat": 5,
    "locator_repeat": 3,
    "cases_created": 100,
    "case_rows": 100_000,
    "overdue": 50_000,
    "sweep_sample": 200,
    "audit_writes": 300,
    "dashboard_cases": 100_000,
    "broadcast_terminals": 1_000,
    "register_residents": 20_000,
}


def run_backend(
    name: str, database_url: str, sizes: dict[str, int], only: str | None, work_dir: Path
) -> dict[str, Any] | None:
    result_file = work_dir / f"{name}.json"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "GRIDGOV_VAR_DIR": str(work_dir / "var"),
    }
    command = [
        sys.executable,
        "-m",
        "bench.worker",
        f"--points={sizes['points']}",
        f"--rows={sizes['rows']}",
        f"--repeat={sizes['repeat']}",
        f"--locator-repeat={sizes['locator_repeat']}",
        f"--cases-created={sizes['cases_created']}",
        f"--case-rows={sizes['case_rows']}",
        f"--overdue={sizes['overdue']}",
        f"--sweep-sample={sizes['sweep_sample']}",
        f"--audit-writes={sizes['audit_writes']}",
        f"--dashboard-cases={sizes['dashboard_cases']}",
        f"--broadcast-terminals={sizes['broadcast_terminals']}",
        f"--register-residents={sizes['register_residents']}",
        f"--result-file={result_file}",
    ]
    if only:
        command.append(f"--only={only}")
    print(f"\n=== {name} ===", flush=True)
    start = time.perf_counter()
    completed = subprocess.run(command, env=environment, check=False)  # noqa: S603
    print(f"({name}: {time.perf_counter() - start:.0f} s)", flush=True)
    if completed.returncode != 0:
        print(f"{name}: the benchmark process failed (exit {completed.returncode})")
        return None
    loaded: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    return loaded


def summary(results: dict[str, dict[str, Any]]) -> None:
    print("\n=== summary ===")
    for backend, result in results.items():
        audit = result.get("audit")
        if audit:
            print(
                f"{backend:<10} {'audit':<8} {'writes: per-county vs one chain':<38} "
                f"{audit['per_county_per_s']:,.0f} vs {audit['one_chain_per_s']:,.0f} writes/s, "
                f"ratio {audit['ratio']:.2f} (no target)"
            )
        for bench in ("locator", "listing", "cases"):
            for item in result.get(bench, {}).get("comparisons", []):
                verdict = "MET" if item["met"] else "NOT MET"
                sign = ">=" if item["kind"] == "throughput" else "<="
                print(
                    f"{backend:<10} {bench:<8} {item['name']:<38} ratio {item['ratio']:5.2f} "
                    f"(target {sign} {item['target']:.2f}) {verdict}"
                )
        dashboards = result.get("dashboards")
        if dashboards:
            for label in ("county", "town"):
                entry = dashboards[label]
                duck = f", DuckDB {entry['duckdb_ms']:.1f} ms" if "duckdb_ms" in entry else ""
                print(
                    f"{backend:<10} {'command':<8} {label + ' overview: rollups vs live':<38} "
                    f"{entry['rollups_ms']:.1f} vs {entry['live_ms']:.1f} ms, ratio "
                    f"{entry['ratio']:.0f}x{duck}; its queries {entry['queries_ms']:.1f} ms in all"
                    " (targets: queries <= 50 ms, >= 50x on PostgreSQL)"
                )
        broadcast = result.get("broadcast")
        if broadcast:
            for item in broadcast["comparisons"]:
                verdict = "MET" if item["met"] else "NOT MET"
                print(
                    f"{backend:<10} {'bcast':<8} {item['name']:<38} ratio {item['ratio']:5.2f} "
                    f"(target >= {item['target']:.2f}) {verdict}; "
                    f"{broadcast['gridgov_seconds']:.2f} s vs raw {broadcast['raw_seconds']:.2f} s"
                )
            kill = broadcast["kill"]
            print(
                f"{backend:<10} {'bcast':<8} {'dispatcher killed halfway':<38} "
                f"missed {kill['missed']}, played twice {kill['played_twice']} (both must be 0)"
            )
        people = result.get("people")
        if people:
            print(
                f"{backend:<10} {'register':<8} {'import vs raw bulk insert':<38} "
                f"{people['import_s']:.1f} vs {people['raw_insert_s']:.1f} s for "
                f"{people['residents']:,} residents, {people['import_ratio']:.1f}x (no target)"
            )
            for size, kinds in people["search"].items():
                for kind, figures in kinds.items():
                    print(
                        f"{backend:<10} {'register':<8} {f'search by {kind} at {int(size):,}':<38} "
                        f"median {figures['median_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms, "
                        f"ratio {figures['ratio']:.2f} vs raw SQL (no target)"
                    )
        intake = result.get("cases", {}).get("intake")
        if intake:
            print(
                f"{backend:<10} {'cases':<8} {'creation: API vs raw INSERT':<38} "
                f"{intake['api_cases_per_s']:,.0f} vs {intake['raw_cases_per_s']:,.0f} cases/s, "
                f"raw {intake['ratio']:.1f}x faster (no target)"
            )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer points and rows: a smoke run")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--only", choices=ONLY)
    parser.add_argument(
        "--dashboard-cases", type=int, help="cases for the command centre's benchmark"
    )
    args = parser.parse_args()
    sizes = dict(QUICK if args.quick else FULL)
    if args.dashboard_cases:
        sizes["dashboard_cases"] = args.dashboard_cases
    backends = args.backend or ["sqlite", "postgresql"]
    results: dict[str, dict[str, Any]] = {}
    crashed = False
    with tempfile.TemporaryDirectory(prefix="gridgov-bench-") as temporary:
        work_dir = Path(temporary)
        for backend in backends:
            url = sqlite_url(work_dir) if backend == "sqlite" else postgres_url()
            if url is None:
                print(f"\n=== {backend} ===\nskipped: PostgreSQL is not reachable")
                continue
            result = run_backend(backend, url, sizes, args.only, work_dir)
            if result is None:
                crashed = True
            else:
                results[backend] = result
    summary(results)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
