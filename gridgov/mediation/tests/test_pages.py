"""The mediation pages: a mediator's day, the desk's form, a file and the work on it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gridgov.mediation.models import MediationFile
from gridgov.mediation.tests.conftest import APPLICANT, ID_NUMBER, PHONE, TERMS

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(world: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = {
        "centre": world["town_centre"].pk,
        "category": "dispute-neighbour",
        "channel": "walk_in",
        "facts": "楼上漏水损坏楼下天花板",
        "people_band": "lt10",
        "applicant_kind": "person",
        "applicant_name": APPLICANT,
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": PHONE,
        "respondent_kind": "person",
        "respondent_name": "李秀兰",
    }
    data.update(overrides)
    return data


def test_the_desk_registers_and_the_file_shows_masked(world):
    client = client_for(world["mediator"])
    assert client.get("/mediation/register/").status_code == 200
    response = client.post("/mediation/register/", form(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    file = MediationFile.objects.get()
    page = client.get(f"/mediation/files/{file.number}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert APPLICANT not in text
    assert ID_NUMBER not in text
    assert PHONE not in text
    assert "138****5678" in text
    home = client.get("/mediation/").content.decode()
    assert file.number in home


def test_bad_registration_shows_the_form_again_and_saves_nothing(world):
    client = client_for(world["mediator"])
    response = client.post(
        "/mediation/register/", form(world, applicant_id_number="12345", facts="")
    )
    assert response.status_code == 400
    assert not MediationFile.objects.exists()


def test_sessions_and_outcome_through_the_file_page(world, register):
    file = register()
    client = client_for(world["mediator"])
    url = f"/mediation/files/{file.number}/"
    bad = client.post(url + "sessions/", {"starts_at": "", "place": ""})
    assert bad.status_code == 400
    ok = client.post(url + "sessions/", {"starts_at": "2026-12-10T09:30", "place": "镇调解室"})
    assert ok.status_code == 302
    session = file.sessions.get()
    recorded = client.post(url + f"sessions/{session.pk}/record/", {"record": "双方陈述"})
    assert recorded.status_code == 302
    assert client.post(url + "outcome/", {"outcome": "agreement"}).status_code == 400
    done = client.post(url + "outcome/", {"outcome": "agreement", "agreed_terms": TERMS})
    assert done.status_code == 302
    assert (
        client.post(url + "follow-up/", {"performed": "yes", "note": "已履行"}).status_code == 302
    )
    file.refresh_from_db()
    assert (file.outcome, file.performed) == ("agreement", True)


def test_pages_answer_404_outside_and_403_to_a_wrong_role(world, register):
    file = register()
    url = f"/mediation/files/{file.number}/"
    assert client_for(world["other_mediator"]).get(url).status_code == 404
    assert client_for(world["worker"]).get(url).status_code == 403
    assert client_for(world["worker"]).get("/mediation/").status_code == 403
    assert client_for(world["leader"]).get(url).status_code == 200
    assert client_for(world["leader"]).post(url + "sessions/", {}).status_code == 403
