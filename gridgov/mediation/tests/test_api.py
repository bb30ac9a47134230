"""Mediation API v1: centres, files (the desk's registration), one file; parties masked;
bad input 400 with nothing saved, another jurisdiction 404, a wrong role 403."""

from __future__ import annotations

from typing import Any

import pytest

from gridgov.cases.models import Case
from gridgov.mediation.models import MediationFile
from gridgov.mediation.tests.conftest import APPLICANT, ID_NUMBER, PHONE

pytestmark = pytest.mark.django_db

CENTRES = "/api/v1/mediation/centres/"
FILES = "/api/v1/mediation/files/"


def body(world: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "centre": world["town_centre"].pk,
        "category": "dispute-neighbour",
        "channel": "walk_in",
        "facts": "楼上漏水损坏楼下天花板",
        "address": "东大街12号",
        "amount_involved": "3000.00",
        "people_band": "lt10",
        "parties": [
            {"side": "applicant", "name": APPLICANT, "id_number": ID_NUMBER, "phone": PHONE},
            {"side": "respondent", "name": "李秀兰"},
        ],
    }
    data.update(overrides)
    return data


def test_centres_list_the_jurisdiction(world, api_as):
    response = api_as(world["mediator"]).get(CENTRES)
    assert response.status_code == 200
    codes = {row["region_code"] for row in response.json()}
    town = world["tree"].towns[0]
    assert codes == {town, *(v for v in world["tree"].villages if v.startswith(town))}
    leader_codes = {row["region_code"] for row in api_as(world["leader"]).get(CENTRES).json()}
    assert world["tree"].county in leader_codes
    assert "610323" not in leader_codes
    assert api_as(world["mediator"]).get(CENTRES, {"level": "village"}).status_code == 200
    assert api_as(world["mediator"]).get(CENTRES, {"level": "x"}).status_code == 400
    assert api_as(world["worker"]).get(CENTRES).status_code == 403


def test_register_then_read_a_file_with_parties_masked(world, api_as):
    client = api_as(world["mediator"])
    response = client.post(FILES, body(world), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    text = response.content.decode()
    assert ID_NUMBER not in text
    assert PHONE not in text
    assert APPLICANT not in text
    assert created["parties"][0]["phone"] == "138****5678"
    detail = client.get(f"{FILES}{created['number']}/")
    assert detail.status_code == 200
    assert detail.json()["case"] == created["case"]
    listed = client.get(FILES).json()["results"]
    assert [row["number"] for row in listed] == [created["number"]]
    assert client.get(FILES, {"mine": "true", "open": "true"}).json()["results"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"parties": []},
        {"facts": ""},
        {"amount_involved": "-1"},
        {"category": "road-damage"},
        {"centre": 987654},
        {
            "parties": [
                {"side": "applicant", "name": "甲", "phone": "12"},
                {"side": "respondent", "name": "乙"},
            ]
        },
    ],
)
def test_bad_input_is_400_and_saves_nothing(world, api_as, overrides):
    cases_before = Case.objects.count()
    response = api_as(world["mediator"]).post(FILES, body(world, **overrides), format="json")
    assert response.status_code in (400, 404), response.content
    assert response.status_code == (404 if "centre" in overrides else 400)
    assert Case.objects.count() == cases_before
    assert not MediationFile.objects.exists()


def test_another_jurisdiction_is_404_and_a_wrong_role_403(world, api_as):
    created = api_as(world["mediator"]).post(FILES, body(world), format="json").json()
    other = api_as(world["other_mediator"])
    assert other.get(f"{FILES}{created['number']}/").status_code == 404
    assert other.get(f"{FILES}no-such-file/").status_code == 404
    assert other.get(FILES).json()["results"] == []
    worker = api_as(world["worker"])
    assert worker.get(f"{FILES}{created['number']}/").status_code == 403
    assert worker.post(FILES, body(world), format="json").status_code == 403
    assert api_as(world["leader"]).post(FILES, body(world), format="json").status_code == 403
