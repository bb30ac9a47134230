"""The terminal register: the xlsx import (all or nothing, every bad row told), the API and the
page scoped to the jurisdiction, and the sweep that marks silent terminals offline and tells the
place's people once per outage."""

from __future__ import annotations

import base64
import io
import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gridgov.broadcast import errors
from gridgov.broadcast.keys import InvalidPublicKey, normalise_public_key
from gridgov.broadcast.models import Terminal, TerminalKind, TerminalStatus
from gridgov.broadcast.terminal_import import HEADINGS
from gridgov.broadcast.terminal_services import (
    OFFLINE_GRACE,
    mark_silent_terminals_offline,
    terminal_heartbeat,
)
from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.notifications.links import link_for
from gridgov.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _raw_key() -> bytes:
    return (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def _pem(raw: bytes) -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = Ed25519PublicKey.from_public_bytes(raw)
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def _workbook(rows: list[list[object]], headings: list[str] | None = None) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headings or HEADINGS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("terminals.xlsx", buffer.getvalue())


def _row(code: str, kind: str, region: str, **changes: object) -> list[object]:
    values: dict[str, object] = {
        "code": code,
        "name": f"{code}号喇叭",
        "kind": kind,
        "region": region,
        "group_name": "",
        "address": "村委会门口",
        "longitude": 107.1,
        "latitude": 34.5,
        "public_key": base64.b64encode(_raw_key()).decode(),
        "heartbeat_interval": 60,
    }
    values.update(changes)
    return list(values.values())


def _import(client, user, upload, *, dry_run: bool = False):
    client.force_login(user)
    data = {"file": upload}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("broadcast:terminal-import"), data)


@pytest.fixture
def admin(tree, user_factory):
    return user_factory(Role.SYSADMIN, tree.county, username="sysadmin")


# The import


def test_an_administrator_imports_every_kind_of_terminal(tree, admin, client) -> None:
    # given a sheet with a loudspeaker in a village group (PEM key), one in a village (hex key),
    # a town station and the county station
    pem_raw, hex_raw = _raw_key(), _raw_key()
    upload = _workbook(
        [
            _row("V1", "村级大喇叭", tree.grids[0], group_name="1组", public_key=_pem(pem_raw)),
            _row("V2", TerminalKind.LOUDSPEAKER.value, tree.villages[1], public_key=hex_raw.hex()),
            _row("T1", "镇级广播站", tree.towns[0], heartbeat_interval=120),
            _row("C1", "County station", tree.county, longitude=None, latitude=None),
        ]
    )
    # when the administrator imports it
    response = _import(client, admin, upload)
    # then every terminal is registered, in its place, its key kept in one form, offline until
    # its first heartbeat
    assert response.status_code == 200, response.content.decode().split("import-form")[1][:3000]
    terminals = {terminal.code: terminal for terminal in Terminal.objects.all()}
    assert set(terminals) == {"V1", "V2", "T1", "C1"}
    assert terminals["V1"].kind == TerminalKind.LOUDSPEAKER
    assert terminals["V1"].group_name == "1组"
    assert terminals["V1"].village_code == tree.villages[0]
    assert terminals["V1"].public_key == base64.b64encode(pem_raw).decode()
    assert terminals["V2"].public_key == base64.b64encode(hex_raw).decode()
    assert terminals["T1"].kind == TerminalKind.TOWN_STATION
    assert terminals["T1"].heartbeat_interval_seconds == 120
    assert terminals["C1"].kind == TerminalKind.COUNTY_STATION
    assert terminals["C1"].latitude is None
    assert all(terminal.status == TerminalStatus.OFFLINE for terminal in terminals.values())
    assert AuditEntry.objects.filter(action="terminal.import", actor=admin).count() == 1


def test_a_dry_run_writes_nothing(tree, admin, client) -> None:
    # given a right sheet
    upload = _workbook([_row("V1", "村级大喇叭", tree.villages[0])])
    # when it is only checked
    response = _import(client, admin, upload, dry_run=True)
    # then it says it would add the terminal, and adds nothing
    assert response.status_code == 200
    assert 'id="import-checked"' in response.content.decode()
    assert not Terminal.objects.exists()


def test_every_bad_row_is_told_and_nothing_is_written(tree, admin, client) -> None:
    # given a sheet with one good row and a bad value in every column that is checked
    rows = [
        _row("GOOD", "村级大喇叭", tree.villages[0]),
        _row("bad code!", "村级大喇叭", tree.villages[0]),
        _row("NONAME", "村级大喇叭", tree.villages[0], name=""),
        _row("KIND", "无人机", tree.villages[0]),
        _row("PLACE", "镇级广播站", tree.villages[0]),  # a town station in a village
        _row("ELSEWHERE", "村级大喇叭", "610323100200"),  # another county
        _row("HALFPOS", "村级大喇叭", tree.villages[0], latitude=None),
        _row("KEY", "村级大喇叭", tree.villages[0], public_key="not a key"),
        _row("BEAT", "村级大喇叭", tree.villages[0], heartbeat_interval=1),
        _row("GOOD", "村级大喇叭", tree.villages[1]),  # the code again
    ]
    # when it is imported
    response = _import(client, admin, _workbook(rows))
    # then every bad row is listed with its reason, and not even the good row is written
    assert response.status_code == 400
    body = response.content.decode()
    for row, code in [
        (3, errors.TERMINAL_CODE_FORMAT.code),
        (4, errors.VALUE_REQUIRED.code),
        (5, errors.TERMINAL_KIND.code),
        (6, errors.TERMINAL_PLACE.code),
        (7, errors.TERMINAL_PLACE.code),
        (8, errors.COORDINATES.code),
        (9, errors.PUBLIC_KEY.code),
        (10, errors.HEARTBEAT_INTERVAL.code),
        (11, errors.TERMINAL_CODE_REPEATED.code),
    ]:
        assert f'data-row="{row}" data-code="{code}"' in body, (row, code)
    assert 'data-row="2"' not in body
    assert 'data-bad-rows="9"' in body
    assert not Terminal.objects.exists()


def test_a_known_code_is_updated_and_one_from_elsewhere_refused(
    tree, client, user_factory, terminals
) -> None:
    # given the county's operator importing a sheet that renames a registered loudspeaker
    official = user_factory(Role.COUNTY_OPERATOR, tree.county, username="op")
    mine = Terminal.objects.get(code=f"T{tree.villages[0]}1")
    upload = _workbook([_row(mine.code, "村级大喇叭", tree.villages[0], name="新名字")])
    # when it is imported
    response = _import(client, official, upload)
    # then the loudspeaker is updated, not doubled
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.name == "新名字"
    assert Terminal.objects.filter(code=mine.code).count() == 1


def test_a_code_registered_outside_the_jurisdiction_is_refused(
    tree, client, user_factory, terminals
) -> None:
    # given a terminal of the other county with a code an importer reuses
    Terminal(
        code="FOREIGN1", name="外县喇叭", kind=TerminalKind.LOUDSPEAKER, region_code="610323100200"
    ).save()
    official = user_factory(Role.COUNTY_OPERATOR, tree.county, username="op")
    upload = _workbook([_row("FOREIGN1", "村级大喇叭", tree.villages[0])])
    # when it is imported
    response = _import(client, official, upload)
    # then the row is refused and the other county's terminal is untouched
    assert response.status_code == 400
    assert f'data-code="{errors.TERMINAL_CODE_TAKEN.code}"' in response.content.decode()
    assert Terminal.objects.get(code="FOREIGN1").region_code == "610323100200"


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("terminals.xlsx", b"PK\x03\x04 not really a workbook"),
        None,  # the right workbook with the wrong headings
    ],
)
def test_a_file_that_is_no_terminal_sheet_is_refused(tree, admin, client, upload) -> None:
    if upload is None:
        upload = _workbook([_row("V1", "村级大喇叭", tree.villages[0])], headings=["编号", "名称"])
    # when it is imported
    response = _import(client, admin, upload)
    # then the form says why, and nothing is written
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not Terminal.objects.exists()


def test_the_template_has_the_headings(admin, client) -> None:
    # when the administrator downloads the template
    client.force_login(admin)
    response = client.get(reverse("broadcast:terminal-template"))
    # then its first row is the import's headings
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADINGS


def test_who_may_not_import_gets_403(tree, people, client) -> None:
    # given a village secretary, who sees the terminals but does not register them
    for user in (people["secretary"], people["leader"]):
        client.force_login(user)
        # when they open the import page or post a sheet
        upload = _workbook([_row("V1", "村级大喇叭", tree.villages[0])])
        # then
        assert client.get(reverse("broadcast:terminal-import")).status_code == 403
        assert (
            client.post(reverse("broadcast:terminal-import"), {"file": upload}).status_code == 403
        )
        assert client.get(reverse("broadcast:terminal-template")).status_code == 403
    assert not Terminal.objects.filter(code="V1").exists()


# The API and the page


def test_the_api_lists_the_jurisdictions_terminals(tree, people, api_as, terminals) -> None:
    # when a town official lists the terminals
    response = api_as(people["town"]).get(reverse("broadcast-api:terminal-list"))
    # then only the town's are listed, each with its place's name
    assert response.status_code == 200
    results = response.json()["results"]
    expected = {t.code for t in terminals if t.region_code.startswith(tree.towns[0])}
    assert {row["code"] for row in results} == expected
    assert all(row["region_name"] for row in results)


def test_the_api_filters_by_status_and_region_and_pages(tree, people, api_as, terminals) -> None:
    client = api_as(people["operator"])
    # when the operator asks for the offline ones of one village, then pages through all
    offline = client.get(
        reverse("broadcast-api:terminal-list"), {"status": "offline", "region": tree.villages[0]}
    ).json()["results"]
    first = client.get(reverse("broadcast-api:terminal-list"), {"page_size": 3}).json()
    second = client.get(first["next"]).json()
    # then
    assert [row["code"] for row in offline] == [f"T{tree.villages[0]}2"]
    assert len(first["results"]) == 3
    assert {row["id"] for row in first["results"]}.isdisjoint(
        {row["id"] for row in second["results"]}
    )


def test_the_api_refuses_bad_filters(people, api_as) -> None:
    # when the filters are not ones it knows
    response = api_as(people["operator"]).get(
        reverse("broadcast-api:terminal-list"), {"status": "asleep", "page_size": 0}
    )
    # then it says which
    assert response.status_code == 400
    assert set(response.json()) >= {"status", "page_size"}


def test_another_jurisdiction_sees_none_of_them(tree, people, api_as, terminals) -> None:
    # when the other county's operator, or another town's official for this town's village, asks
    other = api_as(people["other_county_operator"]).get(reverse("broadcast-api:terminal-list"))
    town = api_as(people["other_town"]).get(
        reverse("broadcast-api:terminal-list"), {"region": tree.villages[0]}
    )
    # then none is listed
    assert other.json()["results"] == []
    assert town.json()["results"] == []


def test_a_role_without_the_broadcast_gets_403(people, api_as, client) -> None:
    # when a grid worker asks for the terminals
    response = api_as(people["worker"]).get(reverse("broadcast-api:terminal-list"))
    client.force_login(people["worker"])
    page = client.get(reverse("broadcast:terminals"))
    # then
    assert response.status_code == 403
    assert page.status_code == 403


def test_the_page_shows_the_terminals_and_their_map(tree, people, client, terminals) -> None:
    # given the village's loudspeakers have positions
    Terminal.objects.filter(village_code=tree.villages[0]).update(longitude=107.1, latitude=34.5)
    client.force_login(people["town"])
    # when the town official opens the terminal page
    response = client.get(reverse("broadcast:terminals"))
    # then it lists the town's terminals with their status, and maps those with a position
    assert response.status_code == 200
    body = response.content.decode()
    town_terminals = [t for t in terminals if t.region_code.startswith(tree.towns[0])]
    for terminal in town_terminals:
        assert f'data-terminal="{terminal.code}"' in body
    for terminal in terminals:
        if not terminal.region_code.startswith(tree.towns[0]):
            assert f'data-terminal="{terminal.code}"' not in body
    points = json.loads(
        body.split('id="terminal-points" type="application/json">')[1].split("</script>")[0]
    )
    assert len(points) == Terminal.objects.filter(village_code=tree.villages[0]).count()
    assert {point["status"] for point in points} == {"online", "offline"}
    online = sum(1 for t in town_terminals if t.status == TerminalStatus.ONLINE)
    counts = body.split('data-status-count="online">')[1].split("</li>")[0]
    assert f"<strong>{online}</strong>" in counts


# Heartbeats and the offline sweep


@pytest.fixture
def beating(terminals: list[Terminal]) -> list[Terminal]:
    """The fixture's online terminals, each with a heartbeat just now."""
    Terminal.objects.filter(status=TerminalStatus.ONLINE).update(last_heartbeat_at=timezone.now())
    return terminals


def _stale(terminal: Terminal) -> None:
    """The terminal's last heartbeat was longer ago than its interval and the grace."""
    ago = timedelta(seconds=terminal.heartbeat_interval_seconds) + OFFLINE_GRACE + timedelta(1)
    Terminal.objects.filter(pk=terminal.pk).update(
        status=TerminalStatus.ONLINE, last_heartbeat_at=timezone.now() - ago
    )


def _notices(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, key="broadcast.terminals_offline"))


def test_a_silent_terminal_goes_offline_and_its_secretary_is_told_once(
    tree, people, beating, django_capture_on_commit_callbacks
) -> None:
    # given a loudspeaker of the first village that missed its heartbeat, and one that did not
    silent = Terminal.objects.get(code=f"T{tree.villages[0]}1")
    _stale(silent)
    alive = terminal_heartbeat(code=f"T{tree.villages[1]}1")
    # when the sweep runs, twice
    with django_capture_on_commit_callbacks(execute=True):
        first = mark_silent_terminals_offline()
    with django_capture_on_commit_callbacks(execute=True):
        second = mark_silent_terminals_offline()
    # then the silent one is offline, the village's secretary is told once, naming it
    silent.refresh_from_db()
    alive.refresh_from_db()
    assert silent.status == TerminalStatus.OFFLINE
    assert alive.status == TerminalStatus.ONLINE
    assert (first, second) == (1, 0)
    told = _notices(people["secretary"])
    assert len(told) == 1
    assert told[0].params["names"] == silent.name
    assert told[0].object_id == tree.villages[0]
    assert _notices(people["other_secretary"]) == []


def test_a_terminal_back_from_an_outage_is_told_again_next_time(
    tree, people, beating, django_capture_on_commit_callbacks
) -> None:
    # given a loudspeaker that went offline and was told
    silent = Terminal.objects.get(code=f"T{tree.villages[0]}1")
    _stale(silent)
    with django_capture_on_commit_callbacks(execute=True):
        mark_silent_terminals_offline()
    # when it beats again, then falls silent again
    assert terminal_heartbeat(code=silent.code).status == TerminalStatus.ONLINE
    _stale(silent)
    with django_capture_on_commit_callbacks(execute=True):
        mark_silent_terminals_offline()
    # then the second outage is told too
    assert len(_notices(people["secretary"])) == 2


def test_a_town_station_tells_the_towns_officials(
    tree, people, beating, django_capture_on_commit_callbacks
) -> None:
    # given the first town's station fell silent
    station = Terminal.objects.get(code=f"S{tree.towns[0]}")
    _stale(station)
    # when the sweep runs
    with django_capture_on_commit_callbacks(execute=True):
        mark_silent_terminals_offline()
    # then the town's officials are told, not the village's secretary
    assert len(_notices(people["town"])) == 1
    assert len(_notices(people["town_colleague"])) == 1
    assert _notices(people["secretary"]) == []


def test_a_village_without_a_secretary_tells_its_town(
    tree, people, beating, django_capture_on_commit_callbacks
) -> None:
    # given a loudspeaker of a village of the second town, which has no secretary on the system
    village = tree.villages[2]
    assert village.startswith(tree.towns[1])
    _stale(Terminal.objects.get(code=f"T{village}1"))
    # when the sweep runs
    with django_capture_on_commit_callbacks(execute=True):
        mark_silent_terminals_offline()
    # then the town's official hears of it
    told = _notices(people["other_town"])
    assert len(told) == 1
    assert told[0].object_id == village


def test_a_faulty_terminal_says_so_and_the_sweep_leaves_it(tree, terminals) -> None:
    # given a loudspeaker reporting it cannot play, long ago
    terminal = terminal_heartbeat(
        code=f"T{tree.villages[0]}1", faulty=True, at=timezone.now() - timedelta(hours=1)
    )
    # when the sweep runs
    mark_silent_terminals_offline()
    # then it stays faulty (an operator looks at it), not merely offline
    terminal.refresh_from_db()
    assert terminal.status == TerminalStatus.FAULTY


# Keys


def test_keys_are_kept_in_one_form() -> None:
    raw = _raw_key()
    expected = base64.b64encode(raw).decode()
    assert normalise_public_key(_pem(raw)) == expected
    assert normalise_public_key(raw.hex().upper()) == expected
    assert normalise_public_key(f" {expected}\n") == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a key",
        base64.b64encode(b"\x01" * 31).decode(),
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
    ],
)
def test_what_is_no_ed25519_key_is_refused(text) -> None:
    with pytest.raises(InvalidPublicKey):
        normalise_public_key(text)


def test_an_offline_notice_leads_to_the_places_offline_terminals(
    tree, people, client, beating, django_capture_on_commit_callbacks
) -> None:
    # given the secretary was told a loudspeaker of the village went offline
    silent = Terminal.objects.get(code=f"T{tree.villages[0]}1")
    _stale(silent)
    with django_capture_on_commit_callbacks(execute=True):
        mark_silent_terminals_offline()
    told = _notices(people["secretary"])[0]
    client.force_login(people["secretary"])
    # when they follow the notice
    response = client.get(link_for(told.object_type, told.object_id))
    # then the page names the village and lists its offline terminals only
    assert response.status_code == 200
    body = response.content.decode()
    assert tree.names[tree.villages[0]] in body.split("data-region-filter>")[1].split("</p>")[0]
    listed = {t.code for t in beating if t.code in body and f'data-terminal="{t.code}"' in body}
    expected = set(
        Terminal.objects.filter(
            village_code=tree.villages[0], status=TerminalStatus.OFFLINE
        ).values_list("code", flat=True)
    )
    assert listed == expected
    assert silent.code in expected
