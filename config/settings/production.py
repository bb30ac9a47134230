"""Production: PostgreSQL from DATABASE_URL, Huey over Redis from REDIS_URL, behind a TLS proxy."""

from django.core.exceptions import ImproperlyConfigured

from config import env

from .base import *  # noqa: F403
from .base import DATABASE_URL

if not DATABASE_URL:
    raise ImproperlyConfigured("production settings need DATABASE_URL (postgres://...)")
if not env.env_str("SECRET_KEY"):
    raise ImproperlyConfigured("production settings need SECRET_KEY from the environment")

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS")
