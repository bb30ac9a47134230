"""The risk register: raised on its own or from cases, followed up, resolved; red and orange
first; bad input 400 with nothing saved; another jurisdiction 404; a wrong role 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gridgov.core.errors import NotFound, PermissionDenied, ValidationFailed
from gridgov.mediation.models import Risk
from gridgov.mediation.selectors import urgent_risks
from gridgov.mediation.services import RiskInput, risk_follow_up, risk_raise

pytestmark = pytest.mark.django_db

RISKS = "/api/v1/risks/"


def _input(region_code: str, **overrides) -> RiskInput:
    data = RiskInput(
        title="某小区业主因物业费集体上访苗头",
        kind="collective",
        level="orange",
        people_involved=60,
        description="业主群内酝酿集体上访",
        region_code=region_code,
        control_measures="街道包抓领导约谈物业公司",
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def test_a_risk_from_a_case_takes_its_region_and_the_county_sees_it_first(world, register):
    file = register()
    risk = risk_raise(
        actor=world["official"],
        data=_input("", level="blue", case_numbers=[file.case.number]),
    )
    assert risk.region_code == file.case.region_code
    assert list(risk.cases.all()) == [file.case]
    red = risk_raise(actor=world["official"], data=_input(world["tree"].towns[0], level="red"))
    assert [r.pk for r in urgent_risks(actor=world["leader"])] == [red.pk]
    assert urgent_risks(actor=world["other_mediator"]) == []


def test_follow_ups_and_resolution(world):
    due = timezone.localdate() + timedelta(days=7)
    risk = risk_raise(
        actor=world["official"], data=_input(world["tree"].villages[0], next_follow_up_on=due)
    )
    assert risk.follow_ups.get().due_on == due
    risk = risk_follow_up(actor=world["mediator"], risk=risk, note="已化解", status="resolved")
    assert risk.status == "resolved"
    assert risk.resolved_at is not None
    assert risk.follow_ups.get().done_at is not None
    with pytest.raises(ValidationFailed):
        risk_follow_up(actor=world["mediator"], risk=risk, note="", status="gone")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"level": "purple"}, "level"),
        ({"kind": "x"}, "kind"),
        ({"people_involved": 0}, "people_involved"),
        ({"title": " "}, "title"),
        ({"region_code": "610324100"}, "region_code"),
        ({"case_numbers": ["610324-20000101-999999"]}, "cases"),
        ({"responsible_username": "nobody"}, "responsible"),
    ],
)
def test_bad_input_saves_nothing(world, overrides, field):
    place = overrides.pop("region_code", world["tree"].towns[0])
    with pytest.raises(ValidationFailed) as caught:
        risk_raise(actor=world["official"], data=_input(place, **overrides))
    assert field in caught.value.problems
    assert not Risk.objects.exists()


def test_roles_and_jurisdiction(world):
    with pytest.raises(PermissionDenied):
        risk_raise(actor=world["worker"], data=_input(world["tree"].grids[0]))
    risk = risk_raise(actor=world["official"], data=_input(world["tree"].towns[0]))
    with pytest.raises(NotFound):
        risk_follow_up(actor=world["other_mediator"], risk=risk, note="x")


def test_api(world, api_as):
    official = api_as(world["official"])
    body = {
        "title": "欠薪集体讨薪苗头",
        "kind": "labour",
        "level": "red",
        "people_involved": 35,
        "description": "某工地拖欠农民工工资",
        "region_code": world["tree"].villages[0],
    }
    created = official.post(RISKS, body, format="json")
    assert created.status_code == 201, created.content
    risk_id = created.json()["id"]
    assert official.get(f"{RISKS}{risk_id}/").json()["level"] == "red"
    assert [r["id"] for r in official.get(RISKS, {"open": "true"}).json()["results"]] == [risk_id]
    assert official.post(RISKS, {**body, "level": "x"}, format="json").status_code == 400
    assert api_as(world["other_mediator"]).get(f"{RISKS}{risk_id}/").status_code == 404
    assert api_as(world["worker"]).get(RISKS).status_code == 403
    assert api_as(world["leader"]).post(RISKS, body, format="json").status_code == 403
    assert Risk.objects.count() == 1
