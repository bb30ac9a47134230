"""The databases the benchmarks run on: a temporary SQLite file, and a PostgreSQL database."""

from __future__ import annotations

import os
from pathlib import Path

# Where `make bench` looks for PostgreSQL unless BENCH_POSTGRES_URL says otherwise.
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/gridgov_bench"


def sqlite_url(work_dir: Path) -> str:
    """A fresh file database; the settings give it the project's options (WAL, IMMEDIATE, ...)."""
    return f"sqlite:///{work_dir / 'bench.sqlite3'}"


def postgres_url() -> str | None:
    """The benchmark database, created when missing; None when the server cannot be reached."""
    import psycopg
    from psycopg import sql

    url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    base, _, name = url.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", connect_timeout=3, autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        print(f"PostgreSQL at {base}: {error}".strip())
        return None
    return url
