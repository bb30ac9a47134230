"""CPU per request in the process, without HTTP: the requests `make bench-http` makes, handed to
gridgov's WSGI application and to the bare baseline (bench.bare_wsgi) one after the other, each
timed with `time.process_time()` over the same number of calls in the same run. Where the HTTP
benchmark's figures move with the machine's load, these say where a request's CPU goes.

    python -m bench.request_cpu [--requests 500] [--only cases] [--profile cases]

On the demo database (`make demo`), as `make run` serves it (config.settings.local, DEBUG off).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.pop("GRIDGOV_DEBUG", None)

import django

django.setup()

from bench.http_bench import CASES, USERNAME  # noqa: E402

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _environ(path: str, token: str) -> dict[str, Any]:
    """What gunicorn hands the application for the load client's GET (http.client's headers)."""
    parts = urlsplit(path)
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8071",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "50000",
        "HTTP_HOST": "127.0.0.1:8071",
        "HTTP_ACCEPT_ENCODING": "identity",
        "HTTP_AUTHORIZATION": f"Token {token}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _call(app: WsgiApp, path: str, token: str) -> tuple[str, bytes]:
    status: list[str] = []

    def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        status.append(line)

    result = app(_environ(path, token), start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return status[0], body


def _cpu_per_request(app: WsgiApp, path: str, token: str, requests: int) -> float:
    """Milliseconds of this process's CPU per request, after a warm-up."""
    for _ in range(max(20, requests // 10)):
        status, _body = _call(app, path, token)
        if not status.startswith("200"):
            raise RuntimeError(f"{path} answered {status}")
    started = time.process_time()
    for _ in range(requests):
        _call(app, path, token)
    return (time.process_time() - started) * 1000 / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--only", help="a word of the endpoint's name (me, cases, locate)")
    parser.add_argument("--profile", help="profile this endpoint's gridgov requests instead")
    parser.add_argument("--lines", type=int, default=40, help="profile lines to print")
    args = parser.parse_args()

    from gridgov.accounts.authentication import token_for
    from gridgov.accounts.models import User

    token = token_for(User.objects.get(username=USERNAME)).key
    os.environ["BENCH_TOKEN"] = token
    from bench import bare_wsgi
    from config.wsgi import application

    if args.profile:
        path = next(path for name, path, _bare, _t in CASES if args.profile in name)
        _cpu_per_request(application, path, token, 50)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            _call(application, path, token)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.lines)
        stats.sort_stats("tottime").print_stats(args.lines)
        return

    print(
        f"CPU per request in one process, {args.requests} requests each, as {USERNAME}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"{'endpoint':<22}{'gridgov ms':>12}{'bare ms':>10}{'bare/gridgov':>14}")
    for name, path, bare_path, _target in CASES:
        if args.only and args.only not in name:
            continue
        ours = _cpu_per_request(application, path, token, args.requests)
        theirs = _cpu_per_request(bare_wsgi.application, bare_path, token, args.requests)
        print(f"{name:<22}{ours:>12.3f}{theirs:>10.3f}{theirs / ours:>14.2f}")


if __name__ == "__main__":
    main()
