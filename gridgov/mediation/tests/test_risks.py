"""The risk register: raised on its own or from cases, followed up, resolved; red and orange
first; bad input 400 with nothing saved; another jurisdiction 404; a wrong role 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
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
    # narrowed to a place (as a view of one town would ask), and empty for those without risks
    assert urgent_risks(actor=world["leader"], region_code=world["tree"].towns[1]) == []
    assert urgent_risks(actor=world["worker"]) == []


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


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_follow_up_due_shows_on_the_responsible_officials_home_and_is_recorded_on_the_page(
    world,
):
    # given a risk the mediator answers for, its follow-up two days overdue, and another in a week
    mediator = world["mediator"]
    late = risk_raise(
        actor=world["official"],
        data=_input(
            world["tree"].towns[0],
            responsible_username=mediator.username,
            next_follow_up_on=timezone.localdate() - timedelta(days=2),
        ),
    )
    later = risk_raise(
        actor=world["official"],
        data=_input(
            world["tree"].towns[0],
            title="另一处隐患",
            responsible_username=mediator.username,
            next_follow_up_on=timezone.localdate() + timedelta(days=30),
        ),
    )
    client = _client(mediator)
    # when the mediator opens their home
    home = client.get("/mediation/").content.decode()
    # then the overdue follow-up is listed and marked; the one a month away is not yet
    assert f'<li data-risk-follow-up="{late.pk}" class="is-overdue">' in home
    assert f'data-risk-follow-up="{later.pk}"' not in home
    # and the official who raised it (not responsible) does not have it on their home
    official_home = _client(world["official"]).get("/mediation/").content.decode()
    assert f'data-risk-follow-up="{late.pk}"' not in official_home
    # when they open the risk and send the follow-up form without a note, then it comes back
    url = f"/mediation/risks/{late.pk}/"
    assert client.get(url).status_code == 200
    bad = client.post(url + "follow-up/", {"note": "", "status": "controlled"})
    assert bad.status_code == 400
    late.refresh_from_db()
    assert late.status == "monitoring"
    # when they record it with a new status and the next date
    next_on = timezone.localdate() + timedelta(days=14)
    done = client.post(
        url + "follow-up/",
        {
            "note": "已约谈物业公司，业主情绪平稳",
            "status": "controlled",
            "next_follow_up_on": next_on,
        },
    )
    assert done.status_code == 302
    # then the risk is controlled, the follow-up done, the next one scheduled, and the home clear
    late.refresh_from_db()
    assert late.status == "controlled"
    assert late.next_follow_up_on == next_on
    assert list(late.follow_ups.filter(done_at=None).values_list("due_on", flat=True)) == [next_on]
    assert f'data-risk-follow-up="{late.pk}"' not in client.get("/mediation/").content.decode()


def test_the_risk_page_answers_404_outside_and_403_to_a_wrong_role(world):
    risk = risk_raise(actor=world["official"], data=_input(world["tree"].towns[0]))
    url = f"/mediation/risks/{risk.pk}/"
    assert _client(world["other_mediator"]).get(url).status_code == 404
    assert (
        _client(world["other_mediator"]).post(url + "follow-up/", {"note": "x"}).status_code == 404
    )
    assert _client(world["worker"]).get(url).status_code == 403
    # the county leader sees the risk (red and orange ones are on their view at once)
    assert _client(world["leader"]).get(url).status_code == 200
    assert f'data-risk="{risk.pk}"' in _client(world["leader"]).get("/mediation/").content.decode()
