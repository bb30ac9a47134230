"""The home page of each role: staff see their jurisdiction with figures computed from the tree."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from gridgov.cases.services import CaseInput, case_report
from gridgov.core.access import Role
from gridgov.regions.models import Region


def _section_ids(body: str) -> set[str]:
    return {
        section
        for section in ("jurisdiction", "accounts-section", "audit-section", "resident-section")
        if f'id="{section}"' in body
    }


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    # when
    response = client.get(reverse("web:home"))
    # then
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('web:login')}?next=/"


@pytest.mark.django_db
def test_town_official_sees_their_town_with_figures(tree, user_factory, client_as):
    # given
    town = tree.towns[0]
    official = user_factory(Role.TOWN_OFFICIAL, town)
    own_grids = [code for code in tree.grids if code.startswith(town)]
    for grid in own_grids:
        user_factory(Role.GRID_WORKER, grid)
    user_factory(Role.INFO_OFFICER, tree.micro_grids[0])
    # staff of the other town must not be counted
    user_factory(Role.GRID_WORKER, tree.grids[-1])
    # when
    response = client_as(official).get(reverse("web:home"))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert _section_ids(body) == {"jurisdiction"}
    (item,) = response.context["jurisdiction"]
    figures = item["figures"]
    assert item["region"].region_code == town
    grids = Region.objects.filter(region_code__in=own_grids)
    assert figures.population == sum(grid.population for grid in grids)
    assert figures.households == sum(grid.households for grid in grids)
    assert figures.count_of("village") == len([v for v in tree.villages if v.startswith(town)])
    assert figures.count_of("grid") == len(own_grids)
    assert figures.count_of("micro_grid") == len(
        [m for m in tree.micro_grids if m.startswith(town)]
    )
    assert figures.grid_workers == len(own_grids)
    assert figures.info_officers == 1
    assert f'data-figure="population">{figures.population}<' in body
    assert tree.names[town] in body
    assert tree.names[tree.towns[1]] not in body
    assert reverse("web:region", kwargs={"code": town}) in body


@pytest.mark.django_db
def test_county_leader_counts_towns(tree, user_factory, client_as):
    # given
    leader = user_factory(Role.COUNTY_LEADER, tree.county)
    # when
    response = client_as(leader).get(reverse("web:home"))
    # then
    (item,) = response.context["jurisdiction"]
    assert item["figures"].count_of("town") == len(tree.towns)
    assert "岐山县" not in response.content.decode()


@pytest.mark.django_db
def test_auditor_sees_only_the_audit_log(tree, user_factory, client_as):
    # given
    auditor = user_factory(Role.AUDITOR, tree.county)
    # when
    response = client_as(auditor).get(reverse("web:home"))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert _section_ids(body) == {"audit-section"}
    assert "data-figure" not in body
    assert reverse("web:regions") not in body
    audit_url = _url_or_none("audit:list")
    if audit_url is not None:
        assert f'href="{audit_url}"' in body


@pytest.mark.django_db
def test_sysadmin_sees_accounts_management(tree, user_factory, client_as):
    # given
    admin = user_factory(Role.SYSADMIN, tree.county)
    # when
    response = client_as(admin).get(reverse("web:home"))
    # then
    body = response.content.decode()
    assert "accounts-section" in _section_ids(body)
    assert "jurisdiction" not in _section_ids(body)
    accounts_url = _url_or_none("accounts:users")
    if accounts_url is not None:
        assert f'href="{accounts_url}"' in body


@pytest.mark.django_db
def test_resident_sees_a_plain_page(tree, user_factory, client_as):
    # given
    resident = user_factory(Role.RESIDENT, tree.villages[0])
    # when
    response = client_as(resident).get(reverse("web:home"))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert _section_ids(body) == {"resident-section"}
    assert reverse("web:regions") not in body
    # and the way to report and to follow a report
    assert f'href="{reverse("public:report")}"' in body
    assert f'href="{reverse("public:track")}"' in body


@pytest.mark.django_db
def test_an_information_officer_sees_what_they_reported(tree, user_factory, client_as):
    # given an information officer who reported a case
    officer = user_factory(Role.INFO_OFFICER, tree.micro_grids[0])
    case = case_report(
        actor=officer,
        data=CaseInput(
            category_code="dispute-neighbour",
            description="楼道堆放杂物",
            channel="grid_patrol",
            region_code=tree.micro_grids[0],
            address="3号楼2单元",
        ),
    )
    # when they open their home
    body = client_as(officer).get(reverse("web:home")).content.decode()
    # then the case is listed with its state, and the way to report another
    assert f'data-case="{case.number}"' in body
    assert 'id="my-reports"' in body
    assert f'href="{reverse("cases:report")}"' in body


@pytest.mark.django_db
def test_the_county_leader_sees_the_countys_figures_each_a_link(tree, user_factory, client_as):
    # given an open case and the county's leader
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    case_report(
        actor=worker,
        data=CaseInput(
            category_code="dispute-neighbour",
            description="噪音扰民",
            channel="grid_patrol",
            latitude=34.2,
            longitude=107.06,
        ),
    )
    leader = user_factory(Role.COUNTY_LEADER, tree.county)
    # when they open their home
    response = client_as(leader).get(reverse("web:home"))
    # then it counts the open cases, and the count opens the list that holds exactly them
    overview = response.context["overview"]
    assert (overview.open, overview.overdue, overview.escalated) == (1, 0, 0)
    listed = client_as(leader).get(reverse("cases:all"), {"state": "open"})
    assert len(listed.context["rows"]) == overview.open


@pytest.mark.django_db
def test_a_resident_sees_the_reports_made_with_their_phone(tree, user_factory, client_as):
    # given a resident whose account has a phone, two public reports with that phone (written
    # differently) and one with another
    resident = user_factory(Role.RESIDENT, tree.villages[0])
    resident.phone = "13912345678"
    resident.save(update_fields=["phone"])

    def public_report(phone: str, description: str):
        return case_report(
            actor=None,
            data=CaseInput(
                category_code="infrastructure-road",
                description=description,
                channel="resident_web",
                region_code=tree.grids[0],
                address="村口",
                reporter_phone=phone,
            ),
        )

    first = public_report("139 1234 5678", "村口路面塌陷")
    second = public_report("+8613912345678", "路灯不亮")
    other = public_report("13800000000", "别人的事")
    # when
    body = client_as(resident).get(reverse("web:home")).content.decode()
    # then: theirs, newest first, each opening its public status page; the phone never shown
    assert body.index(f'data-case="{second.number}"') < body.index(f'data-case="{first.number}"')
    assert f'data-case="{other.number}"' not in body
    assert reverse("public:status", args=[first.tracking_token]) in body
    assert "13912345678" not in body


@pytest.mark.django_db
def test_a_resident_without_a_phone_is_told_how_reports_show_up(tree, user_factory, client_as):
    # given
    resident = user_factory(Role.RESIDENT, tree.villages[0])
    # when
    response = client_as(resident).get(reverse("web:home"))
    # then
    assert response.context["resident_reports"] == []
    assert 'id="resident-reports"' in response.content.decode()
