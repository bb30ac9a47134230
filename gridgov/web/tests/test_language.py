"""Simplified Chinese by default; the language form switches the pages to English."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from gridgov.core.access import Role


def translated(msgid: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


@pytest.mark.django_db
def test_pages_are_in_chinese_by_default(tree, user_factory, client_as):
    # given
    client = client_as(user_factory(Role.TOWN_OFFICIAL, tree.towns[0]))
    # when
    body = client.get(reverse("web:region", kwargs={"code": tree.towns[0]})).content.decode()
    # then
    assert '<html lang="zh-hans">' in body
    for msgid in ("Log out", "Villages and communities", "Population"):
        chinese = translated(msgid, "zh-hans")
        assert chinese != msgid
        assert chinese in body
    assert "Villages and communities" not in body


@pytest.mark.django_db
def test_language_form_switches_to_english(tree, user_factory, client_as):
    # given
    client = client_as(user_factory(Role.TOWN_OFFICIAL, tree.towns[0]))
    page = reverse("web:region", kwargs={"code": tree.towns[0]})
    # when
    switched = client.post(reverse("set_language"), {"language": "en", "next": page})
    body = client.get(page).content.decode()
    # then
    assert switched.status_code == 302
    assert switched["Location"] == page
    assert '<html lang="en">' in body
    for msgid in ("Log out", "Villages and communities", "Population"):
        assert msgid in body
        assert translated(msgid, "zh-hans") not in body
    # the form now offers Chinese back
    assert 'data-lang="zh-hans"' in body


@pytest.mark.django_db
def test_login_page_switches_too(client):
    # when
    client.post(reverse("set_language"), {"language": "en", "next": reverse("web:login")})
    body = client.get(reverse("web:login")).content.decode()
    # then
    assert '<html lang="en">' in body
    assert "Password" in body
