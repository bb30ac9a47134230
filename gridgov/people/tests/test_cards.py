"""The community business card: public (no login), counts computed from the register, contacts
only as staff published them; staff keep it (bad input, another village, a wrong role)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from gridgov.core.access import Role
from gridgov.people.models import CommunityCard, GridWorkerContact, Household, Project, Resident
from gridgov.people.tests.conftest import Register
from gridgov.testing import make_user

pytestmark = pytest.mark.django_db


def staff(role: str, code: str) -> Client:
    client = Client()
    client.force_login(make_user(role, code))
    return client


def test_the_public_card_counts_the_register_and_shows_what_staff_published(
    register: Register,
) -> None:
    # given a card with a published and an unpublished grid worker
    village = register.tree.villages[0]
    grid = register.tree.grids[0]
    editor = staff(Role.VILLAGE_SECRETARY, village)
    url = reverse("people:card", args=[village])
    editor.post(
        url,
        {
            "form": "card",
            "community_head": "王书记",
            "community_head_phone": "0917-5211234",
            "property_managers": "安居物业",
            "publish_grid_workers": "on",
            "public_services": "水电维修 · 0917-5210000\n汽车维修",
        },
    )
    editor.post(
        url,
        {
            "form": "contact",
            "grid": grid,
            "name": "李网格",
            "work_phone": "13900001234",
            "published": "on",
        },
    )
    editor.post(
        url, {"form": "contact", "grid": grid, "name": "赵未公开", "work_phone": "13900005678"}
    )
    editor.post(url, {"form": "partner", "name": "县供电公司", "instructor": "周指导"})
    # when an anonymous visitor opens the card
    response = Client().get(reverse("cards:card", args=[village]))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    households = Household.objects.filter(village_code=village).count()
    residents = Resident.objects.filter(village_code=village).count()
    assert f'data-count="households">{households}<' in body
    assert f'data-count="residents">{residents}<' in body
    for shown in [
        "王书记",
        "安居物业",
        "水电维修",
        "李网格",
        "13900001234",
        "县供电公司",
        "周指导",
    ]:
        assert shown in body, shown
    assert "赵未公开" not in body
    assert "13900005678" not in body


def test_grid_workers_are_hidden_until_the_card_publishes_them(register: Register) -> None:
    village = register.tree.villages[0]
    GridWorkerContact.objects.create(
        name="李网格", work_phone="13900001234", published=True, region_code=register.tree.grids[0]
    )
    CommunityCard.objects.create(region_code=village, publish_grid_workers=False)
    body = Client().get(reverse("cards:card", args=[village])).content.decode()
    assert "李网格" not in body


@pytest.mark.parametrize("which", ["town", "grid", "other county", "missing"])
def test_only_a_village_of_this_county_has_a_card(register: Register, which: str) -> None:
    code = {
        "town": register.tree.towns[0],
        "grid": register.tree.grids[0],
        "other county": "610323100200",
        "missing": register.tree.villages[0][:-3] + "999",
    }[which]
    assert Client().get(reverse("cards:card", args=[code])).status_code == 404


def test_bad_input_saves_nothing(register: Register) -> None:
    village = register.tree.villages[0]
    editor = staff(Role.VILLAGE_SECRETARY, village)
    url = reverse("people:card", args=[village])
    card = editor.post(url, {"form": "card", "community_head": "王", "community_head_phone": "abc"})
    project = editor.post(
        url,
        {
            "form": "project",
            "title": "助老",
            "status": "running",
            "starts_on": "2026-05-01",
            "ends_on": "2026-04-01",
        },
    )
    contact = editor.post(url, {"form": "contact", "grid": "610324100200001", "name": "外人"})
    assert (card.status_code, project.status_code, contact.status_code) == (400, 400, 400)
    assert not CommunityCard.objects.exists()
    assert not Project.objects.exists()
    assert not GridWorkerContact.objects.exists()


def test_another_village_is_not_found_and_a_reader_is_refused(register: Register) -> None:
    village, other = register.tree.villages[0], register.tree.villages[1]
    editor = staff(Role.VILLAGE_SECRETARY, village)
    assert editor.get(reverse("people:card", args=[other])).status_code == 404
    assert editor.get(reverse("people:card", args=[village])).status_code == 200
    leader = staff(Role.COUNTY_LEADER, register.tree.county)
    assert leader.get(reverse("people:card", args=[village])).status_code == 403
    assert leader.get(reverse("people:cards")).status_code == 403


def test_the_staff_page_shows_the_cards_address_as_a_qr_code(register: Register) -> None:
    village = register.tree.villages[0]
    body = staff(Role.VILLAGE_SECRETARY, village).get(reverse("people:card", args=[village]))
    text = body.content.decode()
    assert reverse("cards:card", args=[village]) in text
    assert "<svg" in text


def test_the_poster_prints_the_card_and_the_address_its_qr_code_holds(register: Register) -> None:
    # given a card with a head and a published grid worker
    village = register.tree.villages[0]
    CommunityCard.objects.create(
        region_code=village, community_head="王书记", publish_grid_workers=True
    )
    GridWorkerContact.objects.create(
        name="李网格", work_phone="13900001234", published=True, region_code=register.tree.grids[0]
    )
    # when an anonymous visitor downloads the poster
    response = Client().get(reverse("cards:poster", args=[village]))
    # then it is an A4 PDF with the card's facts and the card's address
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    residents = Resident.objects.filter(village_code=village).count()
    for shown in [register.tree.names[village], "王书记", "李网格", f"{residents:,}"]:
        assert shown in text, shown
    card_address = "http://testserver" + reverse("cards:card", args=[village])
    assert card_address in text.replace("\n", "")


@pytest.mark.parametrize("which", ["town", "other county"])
def test_only_a_village_of_this_county_has_a_poster(register: Register, which: str) -> None:
    code = register.tree.towns[0] if which == "town" else "610323100200"
    assert Client().get(reverse("cards:poster", args=[code])).status_code == 404


def test_the_card_keeper_finds_the_poster_beside_the_qr_code(register: Register) -> None:
    village = register.tree.villages[0]
    page = staff(Role.VILLAGE_SECRETARY, village).get(reverse("people:card", args=[village]))
    assert reverse("cards:poster", args=[village]) in page.content.decode()
