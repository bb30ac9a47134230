"""Fast, isolated test settings: MD5 hashing, in-memory cache, jobs run eagerly.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL is set.
"""

from .base import *  # noqa: F403
from .base import HUEY

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True, "immediate_use_memory": True}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
}
SMS_BACKEND = "gridgov.notifications.sms.LocmemBackend"
# Tests serve no collected static files: WhiteNoise would warn at every request handler that the
# (uncollected) STATIC_ROOT is missing, so it looks the files up through the finders instead.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Test databases come and go while an anchor file would outlive them: no anchors unless a test
# points the file at its own temporary directory.
AUDIT_ANCHOR_FILE = ""
# No broker unless a test starts its own (the `mqtt_broker` fixture): deliveries wait, pending.
MQTT_URL = ""
# No speech engine unless a test names one (a fake command, or eSpeak NG where installed).
BROADCAST_SPEECH_ENGINE = ""
