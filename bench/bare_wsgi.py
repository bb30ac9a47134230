"""The baseline of the HTTP benchmark: a bare WSGI callable that does, per request, exactly the
SQL gridgov's view does for the same request (captured once at start-up by running the real view)
and writes the rows as JSON with orjson: no middleware, no authentication classes, no serializers.
What gridgov costs above it is the framework's and our code's share.

Served by gunicorn like the app: `gunicorn bench.bare_wsgi:application`, with
BENCH_TOKEN set to the API token the load client sends.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

import django
import orjson

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from gridgov.regions.locator import locate_point  # noqa: E402

ENDPOINTS = {
    "/me/": "/api/v1/me/",
    "/cases/": "/api/v1/cases/?page_size=50",
    "/locate/": "/api/v1/regions/locate/?lng=107.9&lat=34.37",
}


def _captured(path: str, token: str) -> list[tuple[str, Any]]:
    """The statements gridgov runs to answer `path` (after a warm-up, so caches are warm)."""
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", SERVER_NAME="127.0.0.1")
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    statements = []
    for query in captured.captured_queries:
        sql = query["sql"]
        # Session and savepoint bookkeeping are not the view's reads.
        if sql.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            continue
        statements.append(sql)
    return [(sql, None) for sql in statements]


_TOKEN = os.environ.get("BENCH_TOKEN", "")
_PLANS = {route: _captured(path, _TOKEN) for route, path in ENDPOINTS.items()}


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    route = environ.get("PATH_INFO", "")
    plan = _PLANS.get(route)
    if plan is None or environ.get("HTTP_AUTHORIZATION") != f"Token {_TOKEN}":
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail":"not found"}']
    rows: list[Any] = []
    with connection.cursor() as cursor:
        for sql, _params in plan:
            cursor.execute(sql)
            rows.append(cursor.fetchall())
    if route == "/locate/":
        location = locate_point(lng=107.9, lat=34.37)
        rows.append([location.grid_code, location.micro_grid_code])
    body = orjson.dumps(rows, default=str)
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
