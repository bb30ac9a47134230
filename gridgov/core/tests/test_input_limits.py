"""Limits on what a request may carry: no control or bidirectional-override characters in any
text (forms, query strings, JSON, Open311), uploads stopped at the size limit while they arrive,
and a Content-Security-Policy on every answer that lets no inline script run."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.core.textinput import has_forbidden_characters

HOSTILE = ["a\x00b", "bell\x07", "\u202egnp.exe", "name\u2066x\u2069", "esc\x1b[31m"]
FINE = ["普通的文字", "line one\nline two", "tab\there", "crlf\r\n", "emoji 🙂", "(139)8765-4321"]


@pytest.mark.parametrize("text", HOSTILE)
def test_control_and_bidi_characters_are_found(text):
    assert has_forbidden_characters(text)


@pytest.mark.parametrize("text", FINE)
def test_ordinary_text_passes(text):
    assert not has_forbidden_characters(text)


@pytest.mark.django_db
@pytest.mark.parametrize("text", HOSTILE)
def test_a_json_body_with_them_is_400_and_saves_nothing(tree, user_factory, api_as, text):
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    response = api_as(worker).post(
        "/api/v1/cases/",
        {"category": "environment-waste", "description": text, "lat": 34.2, "lng": 107.06},
        format="json",
    )
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="case.report").exists()


@pytest.mark.django_db
def test_a_form_field_with_a_nul_is_400_before_any_view(tree):
    response = Client().post("/login/", {"username": "x\x00", "password": "whatever"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_query_string_with_a_nul_is_400(tree, user_factory, api_as):
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    assert api_as(worker).get("/api/v1/cases/", {"q": "a\x00"}).status_code == 400


@pytest.mark.django_db
def test_open311_answers_its_own_error_format(tree):
    response = Client().post(
        "/open311/v2/requests.json", {"service_code": "x", "description": "a\u202eb"}
    )
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


@pytest.mark.django_db
def test_an_upload_past_the_limit_is_stopped_while_it_arrives(tree, user_factory, settings):
    # given a limit of 1 MB, and a photo of 3 MB
    settings.GRIDGOV_MAX_UPLOAD_BYTES = 1024 * 1024
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    client = APIClient()
    client.force_authenticate(worker)
    photo = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (3 * 1024 * 1024))
    # when it is sent
    response = client.post(
        "/api/v1/cases/",
        {
            "category": "environment-waste",
            "description": "x",
            "lat": 34.2,
            "lng": 107.06,
            "photos": [photo],
        },
        format="multipart",
    )
    # then it is refused as bad input, and nothing is saved
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="case.report").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/", "/public/report/", "/api/docs/"])
def test_pages_carry_a_policy_that_allows_no_inline_script(tree, path):
    response = Client().get(path)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    body = response.content.decode()
    # and nothing on the page would need one
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert not re.search(r"\son[a-z]+=", body)
