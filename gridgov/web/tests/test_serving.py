"""`make run` serves the way production does: DEBUG off unless a developer asks (`make dev`),
static files from WhiteNoise under hashed, compressed names, and 404s that list no routes: JSON
for API clients, the page for people. Settings are read in a child process, so this run's own
settings stay untouched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "debug": settings.DEBUG,
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
    "middleware": settings.MIDDLEWARE,
    "hosts": settings.ALLOWED_HOSTS,
}))
"""


def _local_settings(tmp_path: Path, **extra: str) -> dict:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("GRIDGOV_")}
    clean.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "GRIDGOV_VAR_DIR": str(tmp_path),
            **extra,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_run_serves_with_debug_off_and_static_files_from_whitenoise(tmp_path):
    seen = _local_settings(tmp_path)
    assert seen["debug"] is False
    assert seen["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # Right after SecurityMiddleware, before sessions: static requests skip the rest.
    assert seen["middleware"][:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert {"127.0.0.1", "localhost"} <= set(seen["hosts"])


def test_make_dev_turns_debug_on(tmp_path):
    assert _local_settings(tmp_path, GRIDGOV_DEBUG="1")["debug"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/no-such-page/", "/cases/no/such/page/"])
def test_an_unknown_page_answers_the_404_page_without_routes(path):
    assert settings.DEBUG is False
    response = Client().get(path)
    body = response.content.decode()
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "URLconf" not in body
    assert "api/v1/" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/cases/x/y/z/"])
def test_an_unknown_api_address_answers_json(path):
    response = Client().get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "not found", "code": "not_found"}
