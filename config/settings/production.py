"""Production: PostgreSQL from DATABASE_URL, Huey over Redis from REDIS_URL, behind a TLS proxy."""

from django.core.exceptions import ImproperlyConfigured

from config import env

from .base import *  # noqa: F403
from .base import DATABASE_URL

if not DATABASE_URL:
    raise ImproperlyConfigured("production settings need DATABASE_URL (postgres://...)")
for required in ("SECRET_KEY", "GRIDGOV_PII_KEY", "GRIDGOV_AUDIT_KEY"):
    # Keys kept in files beside the database would be copied with its backups.
    if not env.env_str(required):
        raise ImproperlyConfigured(f"production settings need {required} from the environment")

# The console backend only logs: in production a message to an official would be lost.
if env.env_str("GRIDGOV_SMS_BACKEND") in {
    "",
    "gridgov.notifications.sms.ConsoleBackend",
    "gridgov.notifications.sms.LocmemBackend",
}:
    raise ImproperlyConfigured(
        "production settings need GRIDGOV_SMS_BACKEND: the dotted path of a backend that delivers"
    )

DEBUG = False
# Browsers keep to HTTPS for a year once they have seen the site over it.
SECURE_HSTS_SECONDS = env.env_int("GRIDGOV_HSTS_SECONDS", 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS")
