"""The region browser: the tree and figures of a region in the actor's jurisdiction, 404 outside
it, 403 for a role without the tree, and login for the anonymous."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gridgov.core.access import Role
from gridgov.core.models import AuditEntry


def region_url(code: str) -> str:
    return reverse("web:region", kwargs={"code": code})


@pytest.mark.django_db
def test_browser_opens_the_single_top_region(tree, user_factory, client_as):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    # when
    response = client_as(official).get(reverse("web:regions"))
    # then
    assert response.status_code == 302
    assert response["Location"] == region_url(tree.towns[0])


@pytest.mark.django_db
def test_browser_lists_every_top_region(tree, user_factory, client_as):
    # given: one person, secretary of a village in each town
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0], username="two_villages")
    second = tree.villages[-1]
    secretary.role_assignments.create(role=Role.VILLAGE_SECRETARY, region_code=second)
    # when
    response = client_as(secretary).get(reverse("web:regions"))
    # then
    assert response.status_code == 200
    listed = [row["region"].region_code for row in response.context["children"]]
    assert listed == [tree.villages[0], second]
    body = response.content.decode()
    assert tree.names[tree.villages[1]] not in body
    assert reverse("web:regions-geojson") in body


@pytest.mark.django_db
def test_town_page_shows_its_villages_and_figures(tree, user_factory, client_as):
    # given
    town = tree.towns[0]
    official = user_factory(Role.TOWN_OFFICIAL, town)
    # when
    response = client_as(official).get(region_url(town))
    # then
    assert response.status_code == 200
    own_villages = [code for code in tree.villages if code.startswith(town)]
    rows = response.context["children"]
    assert [row["region"].region_code for row in rows] == own_villages
    body = response.content.decode()
    for village in own_villages:
        assert tree.names[village] in body
        assert region_url(village) in body
    # each village's population is the sum over its grids
    for row in rows:
        grids = [tree.region(g) for g in tree.grids if g.startswith(row["region"].region_code)]
        assert row["population"] == sum(grid.population for grid in grids)
        assert row["child_count"] == len(grids)
    assert response.context["figures"].count_of("grid") == len(
        [g for g in tree.grids if g.startswith(town)]
    )
    assert reverse("web:region-geojson", kwargs={"code": town}) in body
    # nothing of the other town, nor of the county above the official's jurisdiction
    assert tree.names[tree.towns[1]] not in body
    assert tree.names[tree.county] not in body


@pytest.mark.django_db
def test_breadcrumbs_show_only_visible_ancestors(tree, user_factory, client_as):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    grid = tree.grids[0]
    # when
    response = client_as(official).get(region_url(grid))
    # then
    assert [a.region_code for a in response.context["ancestors"]] == [
        tree.towns[0],
        tree.villages[0],
    ]
    body = response.content.decode()
    assert region_url(tree.towns[0]) in body
    assert region_url(tree.county) not in body


@pytest.mark.django_db
def test_grid_page_shows_its_staff_and_micro_grids(tree, user_factory, client_as):
    # given
    grid = tree.grids[0]
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    worker = user_factory(Role.GRID_WORKER, grid, username="worker_wang")
    elsewhere = user_factory(Role.GRID_WORKER, tree.grids[1], username="worker_li")
    # when
    response = client_as(official).get(region_url(grid))
    # then
    assert response.status_code == 200
    assert [a.user for a in response.context["staff"]] == [worker]
    body = response.content.decode()
    assert worker.username in body
    assert elsewhere.username not in body
    micro = [row["region"].region_code for row in response.context["children"]]
    assert micro == [code for code in tree.micro_grids if code.startswith(grid)]
    assert response.context["figures"].grid_workers == 1


@pytest.mark.django_db
def test_volunteer_browses_without_staff(tree, user_factory, client_as):
    # given
    volunteer = user_factory(Role.VOLUNTEER, tree.villages[0])
    user_factory(Role.GRID_WORKER, tree.grids[0], username="worker_wang")
    # when
    response = client_as(volunteer).get(region_url(tree.grids[0]))
    # then
    assert response.status_code == 200
    assert response.context["staff"] is None
    assert response.context["figures"].grid_workers is None
    assert "worker_wang" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    ["other_town", "other_village", "county", "other_county", "missing", "malformed"],
)
def test_outside_the_jurisdiction_is_404(tree, user_factory, client_as, target):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    code = {
        "other_town": tree.towns[1],
        "other_village": tree.villages[-1],
        "county": tree.county,
        "other_county": tree.other_county,
        "missing": "610324999",
        "malformed": "61O324",
    }[target]
    # when
    response = client_as(official).get(region_url(code))
    # then
    assert response.status_code == 404
    body = response.content.decode()
    if code in tree.names:
        assert tree.names[code] not in body
    assert "web/404.html" in [t.name for t in response.templates]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.RESIDENT])
def test_roles_without_the_tree_get_403(tree, user_factory, client_as, role):
    # given
    user = user_factory(role, tree.county if role == Role.AUDITOR else tree.villages[0])
    # when
    browser = client_as(user).get(reverse("web:regions"))
    page = client_as(user).get(region_url(tree.villages[0]))
    # then
    assert browser.status_code == 403
    assert page.status_code == 403
    assert tree.names[tree.villages[0]] not in page.content.decode()
    assert "web/403.html" in [t.name for t in page.templates]
    refused = AuditEntry.objects.filter(actor=user, outcome=AuditEntry.Outcome.DENIED)
    assert refused.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["web:regions", "web:region"])
def test_anonymous_is_sent_to_login(tree, client, name):
    # given
    url = region_url(tree.towns[0]) if name == "web:region" else reverse(name)
    # when
    response = client.get(url)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login") + "?next=")
