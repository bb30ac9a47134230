"""Audit writes per second under concurrent writers: two threads (each its own connection, each
write its own transaction) appending to one chain (both in the same county: one lock, as the
installation's single chain was) against two chains (different counties: a lock each), in the same
run and database. PostgreSQL only: SQLite's BEGIN IMMEDIATE serialises every writer anyway."""

from __future__ import annotations

import threading
import time
from typing import Any

from django.db import connection, transaction

from gridgov.core.audit import audit_record

WRITERS = 2
COUNTIES = ("610324", "610323")


def _writes_per_second(counties: tuple[str, ...], writes: int, label: str) -> float:
    barrier = threading.Barrier(WRITERS + 1)
    errors: list[BaseException] = []

    def write(county: str) -> None:
        try:
            barrier.wait()
            for index in range(writes):
                with transaction.atomic():
                    audit_record(
                        actor=None, action=f"bench.{label}.{index}", region_code=f"{county}001"
                    )
        except BaseException as error:  # reported after the join
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=(counties[number % len(counties)],))
        for number in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return WRITERS * writes / elapsed


def run(*, writes: int, repeat: int = 3) -> dict[str, Any]:
    if connection.vendor != "postgresql":
        print("audit: skipped (concurrent writers only run in parallel on PostgreSQL)")
        return {}
    # Warm up both paths (connections, plans), then keep the best of each.
    _writes_per_second(COUNTIES[:1], 20, "warmup")
    _writes_per_second(COUNTIES, 20, "warmup")
    one_chain = max(_writes_per_second(COUNTIES[:1], writes, "one") for _ in range(repeat))
    per_county = max(_writes_per_second(COUNTIES, writes, "two") for _ in range(repeat))
    ratio = per_county / one_chain
    print(
        f"audit writes, {WRITERS} concurrent writers x {writes}: one chain {one_chain:,.0f}/s, "
        f"per-county chains {per_county:,.0f}/s, ratio {ratio:.2f}"
    )
    return {"one_chain_per_s": one_chain, "per_county_per_s": per_county, "ratio": ratio}
