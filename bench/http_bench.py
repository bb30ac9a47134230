"""Requests per second through HTTP, as `make run` serves them: gridgov under gunicorn against a
bare WSGI callable under the same gunicorn, in the same run, on the demo database (`make run`'s).

For `me`, a scoped list of 50 cases and `locate`, a load client with fixed concurrency (threads,
one connection per request, loopback only, bounded by a count and a time) measures each server;
the ratio is gridgov / bare. Targets (ARCHITECTURE's request-cost issue): me >= 0.5, cases >= 0.3.
Run with `make bench-http`.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONCURRENCY = 8
SECONDS = 5.0
MAX_REQUESTS = 20_000
APP_PORT, BARE_PORT = 8071, 8072
USERNAME, PASSWORD = "town_chengguan", "Fufeng-demo-2026"
CASES = [
    # (name, gridgov path, bare path, target ratio)
    ("me", "/api/v1/me/", "/me/", 0.5),
    ("cases (50, scoped)", "/api/v1/cases/?page_size=50", "/cases/", 0.3),
    ("locate", "/api/v1/regions/locate/?lng=107.9&lat=34.37", "/locate/", 0.0),
]


def _request(port: int, path: str, token: str, body: bytes | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Token {token}"} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection.request("POST" if body is not None else "GET", path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def _serve(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603  (our own interpreter's gunicorn, fixed arguments)
        [
            str(BIN / "gunicorn"),
            app,
            "--config",
            str(ROOT / "config" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _request(port, "/", "")
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{app} did not start on port {port}")


def _load(port: int, path: str, token: str) -> float:
    """Requests per second with CONCURRENCY threads for SECONDS (or MAX_REQUESTS in all)."""
    done = 0
    failures = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + SECONDS

    def worker() -> None:
        nonlocal done, failures
        while time.monotonic() < stop_at:
            status, _ = _request(port, path, token)
            with lock:
                done += 1
                failures += status != 200
                if done >= MAX_REQUESTS:
                    return

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if failures:
        raise RuntimeError(f"{failures} of {done} requests to {path} failed")
    return done / elapsed


def main() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    env.pop("GRIDGOV_DEBUG", None)
    app = _serve("config.wsgi", APP_PORT, env)
    try:
        status, body = _request(
            APP_PORT,
            "/api/v1/auth/token/",
            "",
            json.dumps({"username": USERNAME, "password": PASSWORD}).encode(),
        )
        if status != 200:
            raise RuntimeError(f"no token for {USERNAME} ({status}): load the demo (make run)")
        token = json.loads(body)["token"]
        bare = _serve("bench.bare_wsgi:application", BARE_PORT, {**env, "BENCH_TOKEN": token})
        try:
            workers = multiprocessing.cpu_count() * 2 + 1
            print(
                f"HTTP through gunicorn ({workers} workers each), {CONCURRENCY} concurrent "
                f"clients, {SECONDS:.0f} s per figure, as {USERNAME}"
            )
            print(
                f"{'endpoint':<22}{'gridgov req/s':>15}{'bare req/s':>13}{'ratio':>8}{'target':>8}"
            )
            for name, path, bare_path, target in CASES:
                _load(APP_PORT, path, token)  # warm every worker
                ours = _load(APP_PORT, path, token)
                theirs = _load(BARE_PORT, bare_path, token)
                ratio = ours / theirs
                mark = "" if not target else (" met" if ratio >= target else " not met")
                wanted = f">={target}" if target else "-"
                print(f"{name:<22}{ours:>15.0f}{theirs:>13.0f}{ratio:>8.2f}{wanted:>8}{mark}")
        finally:
            bare.send_signal(signal.SIGTERM)
            bare.wait(timeout=30)
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)


if __name__ == "__main__":
    main()
