"""How long the command centre's overview of the demo county takes through HTTP, as `make run`
serves it (gridgov under gunicorn on `make run`'s demo database), for its county leader: the page
itself and the map data it then fetches (the children's outlines and the grids' open cases),
each requested one at a time after a warm-up. The target (the command centre's issue): the
overview loads in under 300 ms. The baseline, in the same run through the same server, is the
cheapest signed-in page request (GET /api/v1/me/ with the same session).
Run with `make bench-overview`.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import statistics
import time
from urllib.parse import urlencode

from bench.http_bench import APP_PORT, _serve

USERNAME, PASSWORD = "county_leader", "Fufeng-demo-2026"
TARGET_MS = 300.0
REPEAT = 20
PAGES = [
    ("overview (30 days)", "/command/"),
    ("map data (30 days)", "/command/map/"),
    ("overview (this year)", "/command/?period=year"),
    ("map data (this year)", "/command/map/?period=year"),
]


def _get(path: str, cookies: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=60)
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    body = response.read()
    headers = {name.lower(): value for name, value in response.getheaders()}
    set_cookies = [value for name, value in response.getheaders() if name.lower() == "set-cookie"]
    connection.close()
    for header in set_cookies:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return response.status, body, headers


def _log_in(cookies: dict[str, str]) -> None:
    status, body, _ = _get("/login/", cookies)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or match is None:
        raise RuntimeError(f"no login form ({status}): load the demo (make run)")
    form = urlencode(
        {
            "username": USERNAME,
            "password": PASSWORD,
            "csrfmiddlewaretoken": match.group(1).decode(),
        }
    )
    connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=60)
    connection.request(
        "POST",
        "/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        },
    )
    response = connection.getresponse()
    response.read()
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0]
    connection.close()
    if response.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"{USERNAME} could not log in ({response.status}): load the demo")


def _timed(path: str, cookies: dict[str, str]) -> list[float]:
    for _ in range(3):  # warm every worker's connection and caches
        _get(path, cookies)
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        status, _body, _headers = _get(path, cookies)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return times


def main() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    env.pop("GRIDGOV_DEBUG", None)
    app = _serve("config.wsgi", APP_PORT, env)
    try:
        cookies: dict[str, str] = {}
        _log_in(cookies)
        baseline = statistics.median(_timed("/api/v1/me/", cookies))
        print(
            f"The demo county's overview through gunicorn as {USERNAME}, {REPEAT} requests one at"
            f" a time; baseline GET /api/v1/me/ {baseline:.1f} ms (median)"
        )
        print(f"{'request':<24}{'median ms':>11}{'p95 ms':>9}{'x baseline':>12}{'target':>9}")
        medians = {}
        for name, path in PAGES:
            times = sorted(_timed(path, cookies))
            median = statistics.median(times)
            p95 = times[min(len(times) - 1, round(len(times) * 0.95) - 1)]
            medians[name] = median
            print(f"{name:<24}{median:>11.1f}{p95:>9.1f}{median / baseline:>12.1f}{'':>9}")
        for period in ("30 days", "this year"):
            total = medians[f"overview ({period})"] + medians[f"map data ({period})"]
            verdict = "met" if total <= TARGET_MS else "NOT MET"
            print(
                f"{'page + map, ' + period:<24}{total:>11.1f}{'':>9}{total / baseline:>12.1f}"
                f"{'<=' + format(TARGET_MS, '.0f'):>9} {verdict}"
            )
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)


if __name__ == "__main__":
    main()
