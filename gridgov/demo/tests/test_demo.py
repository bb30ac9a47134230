"""The demo county: loaded once for the module (in a transaction rolled back at the end), then
checked for its scale, names, geometry, figures, determinism, logins and commands."""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import shapely
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory
from django.utils import translation
from shapely.geometry import box

from gridgov.accounts.models import RoleAssignment, User
from gridgov.broadcast.models import Terminal, TerminalKind, TerminalStatus
from gridgov.cases.models import Case, CaseEvent
from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.demo.console import display_width, table
from gridgov.demo.county import INFO_OFFICER_TOTAL
from gridgov.demo.layout import SEED, build_layout, digest_of
from gridgov.demo.logins import DEMO_ACCOUNTS, DEMO_PASSWORD
from gridgov.demo.tiling import _adopt_orphan_faces, apportion
from gridgov.people.cards import card_public
from gridgov.people.models import Project
from gridgov.regions.geometry import is_inside, overlapping_pairs, to_shape
from gridgov.regions.models import Region, TreeState

TOWNS = {
    "610324001": ("城关街道", "street"),
    "610324100": ("天度镇", "town"),
    "610324101": ("午井镇", "town"),
    "610324102": ("绛帐镇", "town"),
    "610324103": ("段家镇", "town"),
    "610324104": ("杏林镇", "town"),
    "610324105": ("召公镇", "town"),
    "610324106": ("法禧镇", "town"),
}


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """Runs `load_demo --if-empty` once; its output is the fixture's value."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = io.StringIO()
        call_command("load_demo", "--if-empty", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shapes(loaded: str, django_db_blocker: Any) -> dict[str, shapely.Geometry]:
    stored: dict[str, shapely.Geometry] = {}
    with django_db_blocker.unblock():
        for code, boundary in Region.objects.values_list("region_code", "boundary"):
            assert boundary is not None, code
            stored[code] = to_shape(boundary)
    return stored


def _children_by_parent(codes: list[str]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = defaultdict(list)
    for code in codes:
        if len(code) > 6:
            children[code[:-3]].append(code)
    return children


@pytest.mark.django_db(transaction=False)
def test_the_county_has_fufengs_scale(loaded: str) -> None:
    # given the loaded demo
    # when the regions are counted by level and kind
    levels = Counter(Region.objects.values_list("level", flat=True))
    kinds = Counter(Region.objects.filter(level="village").values_list("kind", flat=True))
    # then they match Fufeng's figures
    assert levels["county"] == 1
    assert levels["town"] == 8
    assert kinds == {"village": 116, "community": 6}
    assert levels["grid"] == 1264
    assert 4500 <= levels["micro_grid"] <= 5500
    micro_per_grid = Counter(
        Region.objects.filter(level="micro_grid").values_list("parent__region_code", flat=True)
    )
    assert len(micro_per_grid) == 1264
    assert set(micro_per_grid.values()) <= {3, 4, 5}
    # and the command said so
    assert "1,264" in loaded
    assert f"{levels['micro_grid']:,}" in loaded


@pytest.mark.django_db(transaction=False)
def test_the_county_has_a_year_of_cases(loaded: str) -> None:
    # given the loaded demo
    # when its cases and their timelines are counted
    cases = Case.objects.count()
    events = CaseEvent.objects.count()
    # then there is a year's worth, several rows each, and the command said so
    assert 35_000 <= cases <= 45_000
    assert 5 * cases < events < 12 * cases
    assert f"{cases:,}" in loaded
    assert f"{events:,}" in loaded


@pytest.mark.django_db(transaction=False)
def test_towns_villages_and_communities_have_their_codes_and_names(loaded: str) -> None:
    # given the loaded demo
    towns = dict(Region.objects.filter(level="town").values_list("region_code", "name"))
    kinds = dict(Region.objects.filter(level="town").values_list("region_code", "kind"))
    # then the street and towns are Fufeng's, with their codes
    assert {code: (towns[code], kinds[code]) for code in towns} == TOWNS
    villages = list(Region.objects.filter(level="village").values("region_code", "name", "kind"))
    communities = sorted(v["region_code"] for v in villages if v["kind"] == "community")
    assert communities == [f"610324001{n:03d}" for n in range(1, 7)]
    named = {v["name"] for v in villages}
    assert {"西关村", "祥云社区", "百合社区", "荷花苑社区"} <= named
    for town in TOWNS:
        in_town = [v for v in villages if v["region_code"].startswith(town)]
        village_codes = sorted(v["region_code"] for v in in_town if v["kind"] == "village")
        assert village_codes == [f"{town}{200 + n}" for n in range(len(village_codes))]
        names = [v["name"] for v in in_town]
        assert len(names) == len(set(names)), f"duplicate village names in {town}"
    # and every region hangs under the parent its code names
    mismatched = [
        code
        for code, parent in Region.objects.exclude(level="county").values_list(
            "region_code", "parent__region_code"
        )
        if parent != code[:-3]
    ]
    assert mismatched == []


@pytest.mark.django_db(transaction=False)
def test_children_lie_inside_their_parent_and_tile_it_without_overlap(
    shapes: dict[str, shapely.Geometry],
) -> None:
    # given the stored boundaries, read back from the database
    children = _children_by_parent(list(shapes))
    # when each parent is compared with its children
    outside, overlaps, uncovered = [], [], []
    for parent, kids in children.items():
        kid_shapes = [shapes[code] for code in kids]
        outside += [code for code in kids if not is_inside(shapes[code], shapes[parent])]
        overlaps += [(kids[i], kids[j]) for i, j in overlapping_pairs(kid_shapes)]
        covered = shapely.union_all(kid_shapes).area
        if abs(covered - shapes[parent].area) > 1e-9 * shapes[parent].area:
            uncovered.append(parent)
    # then no child escapes, no siblings overlap, and the children cover their parent
    assert outside == []
    assert overlaps == []
    assert uncovered == []
    assert {shape.geom_type for shape in shapes.values()} == {"Polygon"}
    # and the county lies where Fufeng is
    minx, miny, maxx, maxy = shapes["610324"].bounds
    assert 107.70 < minx < maxx < 108.10
    assert 34.15 < miny < maxy < 34.60


@pytest.mark.django_db(transaction=False)
def test_figures_add_up_from_micro_grids_to_the_county(loaded: str) -> None:
    # given every region's figures
    rows = list(Region.objects.values_list("region_code", "population", "households"))
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, population, households in rows:
        if len(code) > 6:
            sums[code[:-3]][0] += population
            sums[code[:-3]][1] += households
    # then each parent's figures are the sums of its children's
    wrong = [code for code, pop, hh in rows if code in sums and [pop, hh] != sums[code]]
    assert wrong == []
    county = Region.objects.get(region_code="610324")
    assert 440_000 <= county.population <= 460_000
    assert county.population / county.households == pytest.approx(3.2, abs=0.5)
    assert not Region.objects.filter(level="micro_grid", population=0).exists()


@pytest.mark.django_db(transaction=False)
def test_a_second_build_gives_the_same_codes_names_and_boundaries(loaded: str) -> None:
    # given what the load stored
    rows = list(
        Region.objects.order_by("region_code").values_list("region_code", "name", "boundary")
    )
    stored = digest_of(rows)
    # when the layout is built again from the same seed
    again = build_layout(SEED).boundaries_digest()
    # then it is exactly what was stored, and the digest would notice a moved vertex
    assert again == stored
    code, name, boundary = rows[-1]
    assert boundary is not None
    ring = boundary["coordinates"][0]
    moved = {**boundary, "coordinates": [[[ring[0][0] + 1e-7, ring[0][1]], *ring[1:]]]}
    assert digest_of([*rows[:-1], (code, name, moved)]) != stored


@pytest.mark.django_db(transaction=False)
def test_every_grid_has_one_grid_worker_and_officers_sit_at_grids(loaded: str) -> None:
    # given the staff's role assignments
    workers = Counter(
        RoleAssignment.objects.filter(role=Role.GRID_WORKER).values_list("region_code", flat=True)
    )
    officers = RoleAssignment.objects.filter(role=Role.INFO_OFFICER)
    # then each of the 1,264 grids has exactly one grid worker
    assert sum(workers.values()) == 1264
    assert set(workers) == set(
        Region.objects.filter(level="grid").values_list("region_code", flat=True)
    )
    assert set(workers.values()) == {1}
    # and the 3,422 information officers are at grids or micro-grids
    assert officers.count() == INFO_OFFICER_TOTAL == 3422
    officer_levels = {len(code) for code in officers.values_list("region_code", flat=True)}
    assert officer_levels == {15, 18}
    # and the synthetic staff cannot log in, with display names in Chinese
    synthetic = User.objects.get(username="gw610324104200001")
    assert not synthetic.has_usable_password()
    assert 2 <= len(synthetic.display_name) <= 3


@pytest.mark.django_db(transaction=False)
def test_every_community_card_names_its_grid_workers_partner_and_projects(
    loaded: str, client: Any
) -> None:
    # given who works each grid
    workers = dict(
        RoleAssignment.objects.filter(role=Role.GRID_WORKER).values_list(
            "region_code", "user__display_name"
        )
    )
    villages = Region.objects.filter(level="village").values_list("region_code", flat=True)
    for village in villages:
        # when the card is read as the public reads it
        card = card_public(region_code=village)
        # then it lists the worker of every grid of the village by name, with a work phone
        expected = sorted(name for grid, name in workers.items() if grid.startswith(village))
        assert sorted(contact.name for contact in card.grid_workers) == expected, village
        assert all(contact.work_phone for contact in card.grid_workers)
        # a partner unit with its instructor, and the projects they run together
        assert [bool(partner.instructor) for partner in card.partners] == [True], village
        statuses = {project.status for project in card.projects}
        assert {Project.Status.DONE, Project.Status.RUNNING} <= statuses, village
    # and the page a visitor opens shows them
    page = client.get(f"/public/cards/{villages[0]}/").content.decode()
    first = card_public(region_code=villages[0])
    assert first.grid_workers[0].name in page
    # beside the name of the grid they work, so residents find their own
    assert Region.objects.get(region_code=first.grid_workers[0].region_code).name in page
    assert first.partners[0].instructor in page
    assert first.projects[0].title in page


@pytest.mark.django_db(transaction=False)
def test_every_demo_account_logs_in_with_its_role(loaded: str) -> None:
    # given the demo accounts, which cover every role and two towns at each lower level
    assert {account["role"] for account in DEMO_ACCOUNTS} == set(Role.values)
    for role in (Role.TOWN_OFFICIAL, Role.VILLAGE_SECRETARY, Role.GRID_WORKER):
        codes = {a["region_code"][:9] for a in DEMO_ACCOUNTS if a["role"] == role}
        assert len(codes) >= 2, role
    for account in DEMO_ACCOUNTS:
        # when each logs in through the authentication backends (django-axes needs a request)
        request = RequestFactory().post("/login/")
        user = authenticate(request, username=account["username"], password=account["password"])
        # then it is let in, holding its role where the list says
        assert isinstance(user, User), account["username"]
        assert [(a.role, a.region_code) for a in user.active_assignments()] == [
            (account["role"], account["region_code"])
        ]
        assert Region.objects.filter(region_code=account["region_code"]).exists()
    assert (
        authenticate(
            RequestFactory().post("/login/"), username="operator", password=DEMO_PASSWORD + "x"
        )
        is None
    )


@pytest.mark.django_db(transaction=False)
def test_demo_accounts_json_lists_the_logins_that_exist(loaded: str) -> None:
    # given one demo login removed
    User.objects.filter(username="volunteer_xiangyun").delete()
    output = io.StringIO()
    # when the logins are printed as JSON
    call_command("demo_accounts", "--json", stdout=output)
    printed = json.loads(output.getvalue())
    logins = [item for item in printed if item["role"] != "open311_client"]
    # then it is a list of exactly username, password, role and region_code, without the removed one
    assert logins == [a for a in DEMO_ACCOUNTS if a["username"] != "volunteer_xiangyun"]
    assert all(set(item) == {"username", "password", "role", "region_code"} for item in logins)
    # and the demo Open311 client's key follows them
    assert printed[len(logins) :] == [
        {
            "username": "open311-demo",
            "role": "open311_client",
            "api_key": "demo-open311-key-610324",
            "region_code": "610324",
            "password": "",
        }
    ]
    # and the table shows them too
    table = io.StringIO()
    call_command("demo_accounts", stdout=table)
    assert "town_tiandu" in table.getvalue()
    assert "volunteer_xiangyun" not in table.getvalue()


@pytest.mark.django_db(transaction=False)
def test_load_demo_refuses_a_second_load_and_if_empty_skips_it(loaded: str) -> None:
    # given the loaded demo
    regions = Region.objects.count()
    # when it is loaded again without and with --if-empty (messages in English, to match them)
    output = io.StringIO()
    with translation.override("en"):
        with pytest.raises(CommandError, match="already exists"):
            call_command("load_demo", stdout=io.StringIO())
        call_command("load_demo", "--if-empty", stdout=output)
    # then nothing is written and the skip is reported
    assert Region.objects.count() == regions
    assert "not loaded" in output.getvalue()


@pytest.mark.django_db(transaction=False)
def test_the_load_is_one_audit_entry_and_tells_the_locator(loaded: str) -> None:
    # given the loaded demo
    entries = AuditEntry.objects.filter(action="demo.load")
    # then one entry records the counts, and the boundaries version moved on
    assert entries.count() == 1
    detail = entries.get().detail
    assert detail["grids"] == 1264
    assert detail["info_officers"] == 3422
    assert detail["micro_grids"] == Region.objects.filter(level="micro_grid").count()
    assert TreeState.objects.get(pk=1).boundaries_version >= 1


@pytest.mark.django_db(transaction=False)
def test_every_village_has_loudspeakers_and_every_town_a_station(
    loaded: str, shapes: dict[str, shapely.Geometry]
) -> None:
    # given the loaded demo
    terminals = list(Terminal.objects.all())
    # then every village and community has two to four loudspeakers, each inside its grid
    per_village = Counter(t.village_code for t in terminals if t.kind == TerminalKind.LOUDSPEAKER)
    villages = set(Region.objects.filter(level="village").values_list("region_code", flat=True))
    assert set(per_village) == villages
    assert {2, 3, 4} >= set(per_village.values())
    # and every town and the county a station of its own
    stations = Counter(
        (t.kind, t.region_code) for t in terminals if t.kind != TerminalKind.LOUDSPEAKER
    )
    towns = set(Region.objects.filter(level="town").values_list("region_code", flat=True))
    assert {code for kind, code in stations if kind == TerminalKind.TOWN_STATION} == towns
    assert [code for kind, code in stations if kind == TerminalKind.COUNTY_STATION] == ["610324"]
    assert all(count == 1 for count in stations.values())
    for terminal in terminals:
        assert shapes[terminal.region_code].covers(
            shapely.Point(terminal.longitude, terminal.latitude)
        ), terminal.code
    # most are online, and the map has offline and faulty ones to show
    statuses = Counter(t.status for t in terminals)
    assert statuses[TerminalStatus.ONLINE] > len(terminals) / 2
    assert statuses[TerminalStatus.OFFLINE] > 0
    assert statuses[TerminalStatus.FAULTY] > 0
    assert AuditEntry.objects.get(action="demo.load").detail["terminals"] == len(terminals)


def test_apportion_splits_a_total_exactly_in_proportion_with_a_floor() -> None:
    # given weights and a minimum share
    weights = np.array([1.0, 2.0, 3.5, 0.0])
    # when 100 is split
    shares = apportion(100, weights, 5)
    # then the 80 above the floors go 12.3 / 24.6 / 43.1 / 0, the spare unit to the largest remainder
    assert shares == [5 + 12, 5 + 25, 5 + 43, 5]
    assert sum(shares) == 100


def test_a_sliver_face_joins_the_neighbour_it_shares_the_longest_edge_with() -> None:
    # given a face that held no micro-grid's interior point between two owned faces
    faces = np.array(
        [box(0, 0, 1, 1), box(1, 0, 1.1, 1), box(1.1, 0, 2, 0.3), box(1.1, 0.3, 2, 1)],
        dtype=object,
    )
    owner = np.array([0, -1, 1, 2])
    # when orphans are adopted
    _adopt_orphan_faces(faces, owner)
    # then it goes to the face sharing its whole left edge, not the shorter right ones
    assert owner.tolist() == [0, 0, 1, 2]


def test_table_aligns_columns_of_chinese_and_latin_text() -> None:
    # given rows mixing two-column Chinese characters and Latin ones
    rows = [["用户名", "区域"], ["county_leader", "扶风县 610324"]]
    # when laid out
    lines = table(rows)
    # then the second column starts at the same terminal column (用户名 is six columns wide)
    assert lines == ["用户名" + " " * 9 + "区域", "county_leader  扶风县 610324"]
    assert display_width(lines[0]) == display_width("county_leader  区域")
