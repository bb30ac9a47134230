"""The mediation pages: a mediator's day, the desk's form, a file and the work on it."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from gridgov.mediation.models import MediationFile
from gridgov.mediation.services import file_record_outcome
from gridgov.mediation.services.work import OutcomeInput
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


def test_the_desk_names_mediators_by_name_among_those_it_may_call_on(world):
    # given the town official at the desk, a mediator of the town and one of another town
    official, mediator = world["official"], world["mediator"]
    mediator.display_name = "赵调解"
    mediator.save(update_fields=["display_name"])
    client = client_for(official)
    # when the desk's form is opened
    page = client.get("/mediation/register/").content.decode()
    # then the town's mediator is offered by name and centre, the other town's is not
    assert f'value="{mediator.username}"' in page
    assert f"赵调解（{world['town_centre'].name}）" in html.unescape(page)
    assert f'value="{world["other_mediator"].username}"' not in page
    # when the official ticks the town's mediator, the file is theirs
    response = client.post("/mediation/register/", form(world, mediators=[mediator.username]))
    assert response.status_code == 302
    assert list(MediationFile.objects.get().mediators.all()) == [mediator]


def test_the_desk_refuses_a_mediator_it_was_not_offered(world):
    client = client_for(world["official"])
    response = client.post(
        "/mediation/register/", form(world, mediators=[world["other_mediator"].username])
    )
    assert response.status_code == 400
    assert "mediators" in response.context["form"].errors
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


def _concluded(world, register):
    file = register()
    file_record_outcome(
        actor=world["mediator"],
        file=file,
        data=OutcomeInput(outcome="agreement", agreed_terms=TERMS),
    )
    return file


def test_the_analysis_page_counts_the_month_and_each_figure_links_to_its_files(world, register):
    # given an agreement reached this month at the town centre, and an open dispute
    agreed = _concluded(world, register)
    still_open = register()
    town = world["tree"].towns[0]
    client = client_for(world["official"])
    # when the town official opens the analysis page (this month, their town by default)
    page = client.get("/mediation/analysis/")
    text = page.content.decode()
    # then it names the town and counts both disputes accepted and the one the town resolved
    assert page.status_code == 200
    assert world["tree"].names[town] in text
    figures = figure_links(text)
    assert figures["disputes_accepted"][1] == "2"
    assert figures["resolved_by_town_centres"][1] == "1"
    # and each figure's link lists exactly the files it counts
    accepted = client.get(html.unescape(figures["disputes_accepted"][0])).content.decode()
    assert agreed.number in accepted
    assert still_open.number in accepted
    resolved = client.get(html.unescape(figures["resolved_by_town_centres"][0])).content.decode()
    assert agreed.number in resolved
    assert still_open.number not in resolved
    # and the same report downloads as a PDF and as a spreadsheet
    for name, kind in (("report-pdf", "application/pdf"), ("report-xlsx", "spreadsheetml")):
        link = re.search(rf'href="([^"]+)" id="{name}"', text)
        assert link is not None
        download = client.get(html.unescape(link.group(1)))
        assert download.status_code == 200
        assert kind in download["Content-Type"]


def test_the_analysis_page_refuses_a_bad_period_a_place_outside_and_a_wrong_role(world):
    client = client_for(world["official"])
    # a period that ends before it starts, or a date that is not one: the form with its errors
    backwards = client.get("/mediation/analysis/?start=2026-12-31&end=2026-12-01")
    assert backwards.status_code == 400
    assert 'id="figures"' not in backwards.content.decode()
    assert client.get("/mediation/analysis/?start=yesterday").status_code == 400
    # another town is not a place this official may choose
    other = client.get(f"/mediation/analysis/?region={world['tree'].towns[1]}")
    assert other.status_code == 400
    # a grid worker has no mediation pages
    assert client_for(world["worker"]).get("/mediation/analysis/").status_code == 403
    assert client_for(world["worker"]).get("/mediation/files/").status_code == 403


def test_the_files_and_risks_lists_refuse_a_broken_link_and_hide_other_towns(world, register):
    file = register()
    client = client_for(world["official"])
    assert client.get("/mediation/files/?registered_from=soon").status_code == 400
    assert client.get("/mediation/risks/?found_from=soon").status_code == 400
    assert file.number in client.get("/mediation/files/").content.decode()
    # the mediator of another town does not see the first town's file in any list
    other = client_for(world["other_mediator"]).get("/mediation/files/").content.decode()
    assert file.number not in other


def figure_links(text: str) -> dict[str, tuple[str, str]]:
    """Each figure's key -> (its link, the count shown)."""
    rows = re.findall(
        r'data-figure="([a-z_]+)">.*?<a href="([^"]+)" data-count>([^<]+)</a>', text, re.S
    )
    return {key: (href, count) for key, href, count in rows}
