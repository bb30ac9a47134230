"""The demo on the embedded SQLite default.

`make run` serves it the way production does: gunicorn, WhiteNoise, DEBUG off (unknown addresses
answer the 404 page, not Django's list of routes). `make dev` sets GRIDGOV_DEBUG=1 for the
development server with autoreload and debug pages.
"""

from config import env

from .base import *  # noqa: F403

DEBUG = env.env_bool("GRIDGOV_DEBUG", False)

# Hashed, compressed copies made by `collectstatic` (`make run` runs it); with DEBUG on, the
# development server serves the sources under their plain names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
