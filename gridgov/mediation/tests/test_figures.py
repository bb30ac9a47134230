"""The seed's figures: each computed from records, each `href` listing exactly the records its
value counts; scoped to the jurisdiction; bad input 400; a wrong role 403."""

from __future__ import annotations

import pytest

from gridgov.mediation.services import (
    RiskInput,
    file_record_outcome,
    file_refer,
    risk_follow_up,
    risk_raise,
)
from gridgov.mediation.services.work import OutcomeInput
from gridgov.mediation.tests.conftest import TERMS

pytestmark = pytest.mark.django_db

FIGURES = "/api/v1/figures/"


@pytest.fixture
def records(world, register):
    tree = world["tree"]
    town, village = tree.towns[0], tree.villages[0]
    agreed_at_town = register()
    file_record_outcome(
        actor=world["mediator"],
        file=agreed_at_town,
        data=OutcomeInput(outcome="agreement", agreed_terms=TERMS),
    )
    agreed_at_village = register(centre=world["centres"][village])
    file_record_outcome(
        actor=world["mediator"],
        file=agreed_at_village,
        data=OutcomeInput(outcome="partial", agreed_terms=TERMS),
    )
    referred = register()
    file_refer(actor=world["official"], file=referred, to_track="judicial", unit="法院", reason="r")
    register()  # still open
    risk = risk_raise(
        actor=world["official"],
        data=RiskInput(
            title="t",
            kind="other",
            level="red",
            people_involved=20,
            description="d",
            region_code=town,
        ),
    )
    risk_raise(
        actor=world["official"],
        data=RiskInput(
            title="t2",
            kind="other",
            level="blue",
            people_involved=5,
            description="d",
            region_code=town,
        ),
    )
    risk_follow_up(actor=world["official"], risk=risk, note="化解", status="resolved")
    return town


def test_each_figure_counts_what_its_link_lists(world, records, api_as):
    client = api_as(world["official"])
    response = client.get(FIGURES, {"region": records})
    assert response.status_code == 200
    figures = {row["key"]: row for row in response.json()["figures"]}
    assert {key: row["value"] for key, row in figures.items()} == {
        "disputes_accepted": 4,
        "disputes_referred": 1,
        "resolved_by_village_centres": 1,
        "resolved_by_town_centres": 1,
        "resolved_by_county_centres": 0,
        "hidden_dangers_found": 2,
        "hidden_dangers_resolved": 1,
    }
    for key, row in figures.items():
        listed = client.get(row["href"])
        assert listed.status_code == 200, (key, listed.content)
        assert len(listed.json()["results"]) == row["value"], key
        # and people get the same list as a page, with the same query
        path, query = row["page"].split("?")
        assert path in {"/mediation/files/", "/mediation/risks/"}, key
        assert query == row["href"].split("?")[1], key
        assert row["name"], key


def test_figures_are_scoped_and_checked(world, records, api_as):
    other = api_as(world["other_mediator"]).get(FIGURES).json()["figures"]
    assert all(row["value"] == 0 for row in other)
    official = api_as(world["official"])
    assert official.get(FIGURES, {"from": "2026-12-10", "to": "2026-12-01"}).status_code == 400
    assert official.get(FIGURES, {"from": "yesterday"}).status_code == 400
    assert official.get(FIGURES, {"region": "12"}).status_code == 400
    assert official.get(FIGURES, {"from": "0001-01-01"}).status_code == 400
    assert api_as(world["worker"]).get(FIGURES).status_code == 403
