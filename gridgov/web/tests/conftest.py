"""Fixtures for the page tests: compiled catalogues, and a client logged in as a given user."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils.translation.reloader import translation_file_changed

from gridgov.accounts.models import User


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """Pages are checked in both languages, so the .mo files must exist (they are not committed)."""
    call_command("compile_translations", stdout=io.StringIO())
    # Forget catalogues loaded before they were compiled, as Django's autoreloader does.
    translation_file_changed(sender=None, file_path=Path("django.mo"))


@pytest.fixture
def client_as() -> Callable[[User], Client]:
    def client_for(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return client_for
