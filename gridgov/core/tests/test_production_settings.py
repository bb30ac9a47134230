"""Production settings take PostgreSQL from DATABASE_URL and Huey + the cache over Redis from
REDIS_URL, and refuse to start without their keys. Checked in a child process, so this test run's
own settings stay untouched."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import json, django
from django.conf import settings
django.setup()
from huey.contrib.djhuey import HUEY
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": settings.DATABASES["default"]["NAME"],
    "huey": type(HUEY).__name__,
    "cache": settings.CACHES["default"]["BACKEND"],
    "debug": settings.DEBUG,
    "secure_cookie": settings.SESSION_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "csp": "script-src 'self'" in settings.GRIDGOV_CONTENT_SECURITY_POLICY,
}))
"""
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DATABASE_URL": "postgres://gridgov:secret@db.internal:5432/gridgov",
    "REDIS_URL": "redis://127.0.0.1:6379/3",
    "SECRET_KEY": "x" * 50,
    "GRIDGOV_PII_KEY": "k" * 43 + "=",
    "GRIDGOV_AUDIT_KEY": "a" * 48,
    # Never imported by these probes: the settings only check that one is named.
    "GRIDGOV_SMS_BACKEND": "county_sms_gateway.Backend",
}


def _run(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("GRIDGOV_")}
    clean.pop("DATABASE_URL", None)
    clean.pop("REDIS_URL", None)
    return subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "GRIDGOV_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_uses_postgresql_redis_huey_and_the_redis_cache(tmp_path):
    result = _run(PRODUCTION_ENV, tmp_path)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "engine": "django.db.backends.postgresql",
        "name": "gridgov",
        "huey": "RedisHuey",
        "cache": "django.core.cache.backends.redis.RedisCache",
        "debug": False,
        "secure_cookie": True,
        "hsts": 365 * 24 * 60 * 60,
        "csrf_secure": True,
        "csp": True,
    }


@pytest.mark.parametrize(
    "missing", ["DATABASE_URL", "GRIDGOV_PII_KEY", "GRIDGOV_AUDIT_KEY", "GRIDGOV_SMS_BACKEND"]
)
def test_production_refuses_to_start_without(missing, tmp_path):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = _run(env, tmp_path)
    assert result.returncode != 0
    assert missing in result.stderr


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379")
def test_redis_huey_queues_a_task(tmp_path):
    probe = (
        "import django; django.setup()\n"
        "from huey.contrib.djhuey import HUEY\n"
        "HUEY.flush()\n"
        "from gridgov.notifications.tasks import deliver_notice\n"
        "deliver_notice([1], 'case.assigned', {}, '', '')\n"
        "print(HUEY.pending_count())\n"
        "HUEY.flush()\n"
    )
    clean = {key: value for key, value in os.environ.items() if not key.startswith("GRIDGOV_")}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, "GRIDGOV_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1"


def test_production_refuses_the_console_sms_backend(tmp_path):
    result = _run(
        {**PRODUCTION_ENV, "GRIDGOV_SMS_BACKEND": "gridgov.notifications.sms.ConsoleBackend"},
        tmp_path,
    )
    assert result.returncode != 0
    assert "GRIDGOV_SMS_BACKEND" in result.stderr


def test_the_console_sms_backend_logs_the_number_masked(caplog):
    from gridgov.notifications.sms import ConsoleBackend, Sms

    with caplog.at_level("INFO", logger="gridgov.sms"):
        ConsoleBackend().send(Sms(to="+8613812345678", body="案件已派给您"))
    assert "13812345678" not in caplog.text
    assert "138****5678" in caplog.text
