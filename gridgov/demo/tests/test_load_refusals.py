"""`load_demo` refuses, writing nothing, when the demo's logins would clash with existing users."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from gridgov.accounts.models import User
from gridgov.regions.models import Region


@pytest.mark.django_db
def test_load_demo_refuses_when_a_demo_username_is_taken() -> None:
    # given an empty region tree but an existing user named like a demo login
    User.objects.create_user(username="operator", password="another-long-password-1")
    # when the demo is loaded
    with pytest.raises(CommandError, match="operator"):
        call_command("load_demo", stdout=io.StringIO())
    # then nothing was written
    assert not Region.objects.exists()
    assert User.objects.count() == 1
