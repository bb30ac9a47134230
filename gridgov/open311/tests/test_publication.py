"""What GET requests publish: only cases a resident reported through a public channel, in a public
category, with their consent. Any other case is not listed, and its detail answers 404 exactly as
a missing one does, with or without an api_key."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from gridgov.cases.models import PUBLIC_CHANNELS, Case, Category, Channel
from gridgov.cases.services import CaseInput, case_merge, case_report
from gridgov.core.access import Role
from gridgov.open311.tests.conftest import BASE

LAT, LNG = 34.2, 107.06
MISSING = "610324-20260101-999999"


def report(**overrides: Any) -> Case:
    """A case of the test county; by default one that may be published."""
    fields: dict[str, Any] = {
        "category_code": "infrastructure-road",
        "description": "村口道路塌陷",
        "channel": Channel.RESIDENT_WEB,
        "latitude": LAT,
        "longitude": LNG,
        "publication_consent": True,
    }
    fields.update(overrides)
    return case_report(actor=None, data=CaseInput(**fields))


def listed(client: Client, **params: Any) -> list[str]:
    response = client.get(f"{BASE}requests.json", params)
    assert response.status_code == 200, response.content
    return [request["service_request_id"] for request in json.loads(response.content)]


def detail(client: Client, number: str, fmt: str = "json", **params: Any) -> Any:
    return client.get(f"{BASE}requests/{number}.{fmt}", params)


def error_body(response: Any) -> Any:
    (error,) = json.loads(response.content)
    return error["code"], error["description"]


@pytest.mark.django_db
@pytest.mark.parametrize("channel", sorted(PUBLIC_CHANNELS))
def test_a_consented_case_of_a_public_channel_and_category_is_listed(client, tree, channel):
    # given
    case = report(channel=channel)
    # when
    numbers = listed(client)
    one = detail(client, case.number)
    # then
    assert numbers == [case.number]
    assert one.status_code == 200


@pytest.mark.parametrize(
    ("hidden", "why"),
    [
        ({"channel": Channel.GRID_PATROL}, "a grid patrol"),
        ({"channel": Channel.GROUP_CHAT}, "a group-chat transcription"),
        ({"channel": Channel.WALK_IN}, "a walk-in at a mediation centre"),
        ({"channel": Channel.DEVICE_ALARM}, "a device alarm"),
        ({"category_code": "dispute-family"}, "a dispute"),
        ({"category_code": "stability-petition"}, "a petition"),
        ({"category_code": "safety-security"}, "a public-security matter"),
        ({"category_code": "livelihood-elderly"}, "a person's care"),
        ({"publication_consent": False}, "no consent"),
    ],
)
@pytest.mark.django_db
def test_a_case_that_may_not_be_published_is_neither_listed_nor_found(
    client, tree, api_key, hidden, why
):
    # given
    shown = report()
    case = report(**hidden)
    # when
    numbers = listed(client)
    by_id = listed(client, service_request_id=case.number)
    one = detail(client, case.number)
    missing = detail(client, MISSING)
    keyed = [listed(client, api_key=api_key), detail(client, case.number, api_key=api_key)]
    # then
    assert numbers == [shown.number], why
    assert by_id == [], why
    assert one.status_code == 404, why
    assert error_body(one) == (404, error_body(missing)[1].replace(MISSING, case.number))
    assert keyed[0] == [shown.number], why
    assert keyed[1].status_code == 404, why


@pytest.mark.django_db
def test_grid_patrol_case_of_the_review_is_not_published(client, tree, user_factory):
    # given: the case the security review found, entered by a grid worker on patrol
    case = report(
        channel=Channel.GRID_PATROL,
        category_code="livelihood-elderly",
        description="独居老人杨某行动不便，子女在外务工，需定期上门探望",
        address="城关街道第1村3组12号",
        publication_consent=False,
    )
    # when
    lists = [
        client.get(f"{BASE}{path}").content.decode() for path in ["requests.json", "requests.xml"]
    ]
    one = detail(client, case.number, fmt="xml")
    # then
    for body in [*lists, one.content.decode()]:
        assert "杨某" not in body
        assert "12号" not in body
    assert all(case.number not in body for body in lists)
    assert one.status_code == 404


@pytest.mark.django_db
def test_a_category_made_private_in_the_admin_stops_publishing_its_cases(client, tree):
    # given
    case = report()
    Category.objects.filter(code="infrastructure-road").update(public=False)
    # when
    numbers = listed(client)
    one = detail(client, case.number)
    # then
    assert numbers == []
    assert one.status_code == 404


@pytest.mark.django_db
def test_the_seeded_categories_are_public_only_for_problems_of_a_place(tree):
    # when
    public = set(Category.objects.filter(public=True).values_list("code", flat=True))
    # then
    assert {"infrastructure-road", "infrastructure-streetlight", "environment-waste"} <= public
    assert not any(
        code.startswith(("dispute", "stability", "livelihood", "epidemic")) for code in public
    )
    assert "safety-security" not in public


REPORTED = (
    "王大爷家门口路灯不亮，村民张三反映多次。电话138.1234.5678，身份证61032419900101123X。王小明"
)
PUBLISHED = "王*家门口路灯不亮，村民张*反映多次。电话***.****.****，身份证******************。王*"


@pytest.mark.django_db
def test_a_listed_case_shows_its_description_redacted_to_anyone(client, tree, api_key):
    # given
    case = report(description=REPORTED, reporter_name="王小明", reporter_phone="13812345678")
    # when
    answers = [
        json.loads(client.get(f"{BASE}requests.json").content)[0],
        json.loads(detail(client, case.number).content)[0],
        json.loads(detail(client, case.number, api_key=api_key).content)[0],
    ]
    xml = detail(client, case.number, fmt="xml").content.decode()
    # then
    for answer in answers:
        assert answer["description"] == PUBLISHED
    assert f"<description>{PUBLISHED}</description>" in xml
    for secret in ["1234", "61032419900101123X", "张三", "王大爷", "王小明"]:
        assert all(secret not in json.dumps(answer, ensure_ascii=False) for answer in answers)
        assert secret not in xml


@pytest.mark.django_db
def test_a_listed_case_is_placed_at_its_grid_centroid_and_village_to_anyone(client, tree, api_key):
    # given: a report at a point in the first grid (107.0-107.125, 34-35), with a house address
    case = report(latitude=34.2, longitude=107.06, address="城关街道第1村3组12号 王家后院")
    # when
    answers = [
        json.loads(client.get(f"{BASE}requests.json").content)[0],
        json.loads(detail(client, case.number).content)[0],
        json.loads(detail(client, case.number, api_key=api_key).content)[0],
    ]
    xml = detail(client, case.number, fmt="xml").content.decode()
    # then
    village, town = tree.villages[0], tree.towns[0]
    for answer in answers:
        assert (answer["lat"], answer["long"]) == (34.5, 107.0625)
        assert answer["address"] == f"{tree.names[village]}, {tree.names[town]}"
        assert answer["address_id"] == village
    assert "<lat>34.5</lat><long>107.0625</long>" in xml
    for secret in ["34.2", "107.06<", "12号", "王家后院", tree.names[tree.grids[0]]]:
        assert all(secret not in json.dumps(answer, ensure_ascii=False) for answer in answers)
        assert secret not in xml


@pytest.mark.django_db
def test_a_case_placed_by_village_without_a_point_has_no_coordinates(client, tree):
    # given: a hotline call placed at the second village, with a written address
    village = tree.villages[1]
    case = report(
        channel=Channel.HOTLINE, latitude=None, longitude=None, region_code=village, address="5号"
    )
    # when
    (answer,) = json.loads(detail(client, case.number).content)
    # then
    assert (answer["lat"], answer["long"]) == (None, None)
    assert answer["address_id"] == village
    assert answer["address"] == f"{tree.names[village]}, {tree.names[tree.towns[0]]}"


@pytest.mark.django_db
def test_a_duplicate_names_the_case_it_joined_only_when_that_one_is_published(
    client, tree, user_factory
):
    # given: two published duplicates, one joined to a published case, one to a grid patrol's
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    published, patrol = report(), report(channel=Channel.GRID_PATROL)
    shown = case_merge(actor=operator, case=report(), into=published)
    hidden = case_merge(actor=operator, case=report(), into=patrol)
    # when
    notes = {
        number: json.loads(detail(client, number).content)[0]["status_notes"]
        for number in [shown.number, hidden.number]
    }
    # then
    assert published.number in notes[shown.number]
    assert patrol.number not in notes[hidden.number]
