"""Chinese is the default whatever the browser asks for; only the switcher's choice changes it."""

from __future__ import annotations

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_english_browser_still_gets_chinese_by_default(client):
    # given a browser that prefers English and has made no choice
    # when
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    # then
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
def test_the_switchers_choice_wins(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.headers["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    response = client.get("/login/")
    assert response.headers["Content-Language"] == "zh-hans"
