"""Package responsibility (包抓): an official answers for places, cases and risks, named by
whoever assigns packages in the jurisdiction, and sees all of them in one place."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gridgov.assessment.models import Responsibility
from gridgov.assessment.tests.fixture import _case
from gridgov.core.access import Role
from gridgov.mediation.models import Risk
from gridgov.testing import make_user

PACKAGES = reverse("assessment-api:package-list")


@pytest.fixture
def people(tree):
    return {
        "town": make_user(Role.TOWN_OFFICIAL, tree.towns[0], username="town"),
        "deputy": make_user(Role.TOWN_OFFICIAL, tree.towns[0], username="deputy"),
        "other_town": make_user(Role.TOWN_OFFICIAL, tree.towns[1], username="other_town"),
        "secretary": make_user(Role.VILLAGE_SECRETARY, tree.villages[0], username="secretary"),
        "volunteer": make_user(Role.VOLUNTEER, tree.villages[0], username="volunteer"),
    }


def _risk(tree, people, code=None) -> Risk:
    now = timezone.now()
    risk = Risk(
        title="土地纠纷隐患",
        kind="other",
        level="orange",
        people_involved=20,
        description="隐患",
        responsible=people["secretary"],
        raised_by=people["secretary"],
        created_at=now,
        updated_at=now,
    )
    risk.set_region_code(code or tree.grids[0])
    risk.save()
    return risk


@pytest.mark.django_db
def test_an_official_sees_the_places_cases_and_risks_they_answer_for(tree, people, api_as, client):
    town = people["town"]
    late = _case(
        "c-late",
        region_code=tree.grids[0],
        channel="hotline",
        state="accepted",
        created=timezone.now(),
        due=timezone.now() - timedelta(hours=1),
    )
    risk = _risk(tree, people)
    for body in (
        {"official": "deputy", "kind": "region", "region_code": tree.villages[0]},
        {"official": "deputy", "kind": "case", "case_number": late.number},
        {"official": "deputy", "kind": "risk", "risk_id": risk.pk},
    ):
        response = api_as(town).post(PACKAGES, body, format="json")
        assert response.status_code == 201, response.json()
    # the same again is refused
    again = api_as(town).post(
        PACKAGES, {"official": "deputy", "kind": "risk", "risk_id": risk.pk}, format="json"
    )
    assert again.status_code == 409
    mine = api_as(people["deputy"]).get(reverse("assessment-api:package-mine")).json()
    assert sorted(row["kind"] for row in mine) == ["case", "region", "risk"]
    client.force_login(people["deputy"])
    page = client.get(reverse("assessment:my-package"))
    assert page.status_code == 200
    items = {item.kind: item for item, _place in page.context["items"]}
    assert (items["region"].work.open, items["region"].work.late) == (1, 1)
    assert items["region"].open_risks == 1
    assert items["case"].case.late
    assert items["risk"].risk.level == "orange"
    # the secretary is the risk's responsible official in the risk register: it is theirs too
    client.force_login(people["secretary"])
    theirs = client.get(reverse("assessment:my-package")).context["items"]
    assert [item.risk.id for item, _place in theirs] == [risk.pk]


@pytest.mark.django_db
def test_bad_packages_are_400_and_nothing_is_saved(tree, people, api_as):
    town = people["town"]
    other_risk = _risk(tree, people, code=tree.grids[4])  # in the other town
    for body, field in (
        ({"official": "nobody", "kind": "region", "region_code": tree.villages[0]}, "official"),
        ({"official": "other_town", "kind": "region", "region_code": tree.villages[0]}, "official"),
        ({"official": "deputy", "kind": "region", "region_code": tree.villages[2]}, "region_code"),
        ({"official": "deputy", "kind": "case", "case_number": "x"}, "case_number"),
        ({"official": "deputy", "kind": "risk", "risk_id": other_risk.pk}, "risk_id"),
    ):
        response = api_as(town).post(PACKAGES, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), (body, response.json())
    assert Responsibility.objects.count() == 0


@pytest.mark.django_db
def test_another_jurisdiction_404_and_a_role_without_it_403(tree, people, api_as, client):
    response = api_as(people["town"]).post(
        PACKAGES,
        {"official": "deputy", "kind": "region", "region_code": tree.villages[0]},
        format="json",
    )
    package_id = response.json()["id"]
    end = reverse("assessment-api:package-end", args=[package_id])
    assert api_as(people["other_town"]).post(end).status_code == 404
    assert api_as(people["secretary"]).post(end).status_code == 403
    assert api_as(people["volunteer"]).get(PACKAGES).status_code == 403
    listed = api_as(people["other_town"]).get(PACKAGES).json()
    assert listed == []
    assert api_as(people["town"]).post(end).json()["ended_at"]
    assert api_as(people["town"]).post(end).status_code == 409
    client.force_login(people["town"])
    page = client.get(reverse("assessment:packages"))
    assert page.status_code == 200
    assert client.post(reverse("assessment:packages"), {"official": "deputy"}).status_code == 400
    client.force_login(people["volunteer"])
    assert client.get(reverse("assessment:packages")).status_code == 403
