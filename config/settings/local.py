"""The demo on the embedded SQLite default (`make run`)."""

from .base import *  # noqa: F403

DEBUG = True
