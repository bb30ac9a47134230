"""Every role × (own region, a child, a sibling, the parent, another county, a missing one) × every
route of `tests.matrix.ROUTES`: the status, and no name or code from outside the jurisdiction in
any body. The tree is built once for the module; each probe runs in a savepoint rolled back after.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from tests.matrix import (
    ROUTES,
    Call,
    Kind,
    Probe,
    Target,
    World,
    build_world,
    expected_status,
    leaks,
    missing_code,
    probes_for,
    response_text,
    world_settings,
)

ROLES: list[str | None] = [*Role.values, None]
TALLY: Counter[str] = Counter()
# Masked CSRF tokens differ on every render; they are not what two 404s are compared on.
_CSRF = re.compile(r"[A-Za-z0-9]{64}")


@pytest.fixture(scope="module")
def world(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: object
) -> Iterator[World]:
    with world_settings(), django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        yield build_world()
        transaction.set_rollback(True)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and TALLY["probes"]:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\njurisdiction matrix: {TALLY['probes']} probes, {len(ROUTES)} endpoints, "
                f"{len(Role.values)} roles + anonymous, {TALLY['leaks']} leaks, "
                f"{TALLY['mismatches']} status mismatches; {TALLY['keyed probes']} POSTs "
                f"also sent with an Idempotency-Key"
            )


def _send(client: Client, probe: Probe, *, key: str | None = None) -> tuple[HttpResponseBase, str]:
    response, text, _ = _send_counting_refusals(client, probe, key=key)
    return response, text


def _send_counting_refusals(
    client: Client, probe: Probe, *, key: str | None = None
) -> tuple[HttpResponseBase, str, int]:
    """The answer, its text, and how many refused attempts it wrote to the audit log."""
    call = probe.route.call(probe)
    headers = {"Idempotency-Key": key} if key is not None else {}
    cookies = copy.deepcopy(client.cookies)
    # A savepoint per probe: writes (logout, token, audit rows) do not reach the next probe,
    # and the cookies go back to what they were, so a logout does not end the next probe's session.
    # Nor do the cache's counts (rate limits, the once-an-hour anonymous refusal rows).
    cache.clear()
    with transaction.atomic():
        refusals_before = AuditEntry.objects.filter(outcome=AuditEntry.Outcome.DENIED).count()
        if call.method == "get":
            response = client.get(call.path, call.data)
        elif call.json:
            response = client.post(
                call.path, json.dumps(call.data), content_type="application/json", headers=headers
            )
        else:
            response = client.post(call.path, call.data, headers=headers)
        text = response_text(response)
        refusals = (
            AuditEntry.objects.filter(outcome=AuditEntry.Outcome.DENIED).count() - refusals_before
        )
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, text, refusals


def _describe(probe: Probe) -> str:
    target = f" @ {probe.target.label} {probe.target.code}" if probe.target else ""
    return f"{probe.role or 'anonymous'} {probe.route.label}{target}"


def _normalised_404(text: str, path: str, other_path: str, code: str) -> str:
    """The body with what differs between the two requests blanked: the path, its long segments
    that differ (a case number in a message) and the addressed code as a whole number."""
    text = text.replace(path, "<path>")
    for mine, theirs in zip(path.split("/"), other_path.split("/"), strict=False):
        # A short segment (an id like 7) would also blank an unrelated 7 elsewhere on the page.
        if mine != theirs and len(mine) >= 6:
            text = re.sub(rf"(?<![\w-]){re.escape(mine)}(?![\w-])", "<segment>", text)
    text = re.sub(rf"(?<![0-9]){code}(?![0-9])", "<code>", text)
    return _CSRF.sub("<token>", text)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=[role or "anonymous" for role in ROLES])
def test_every_route_answers_within_the_jurisdiction(world: World, role: str | None) -> None:
    # given
    client = Client(REMOTE_ADDR="10.0.0.9")
    if role is not None:
        client.force_login(world.actors[role])
    problems: list[str] = []
    missing_bodies: dict[str, tuple[str, str, str]] = {}
    # when
    for probe in probes_for(world, role):
        response, text = _send(client, probe)
        TALLY["probes"] += 1
        # then
        expected = expected_status(probe)
        if response.status_code not in expected:
            TALLY["mismatches"] += 1
            statuses = " or ".join(str(status) for status in sorted(expected))
            problems.append(f"{_describe(probe)}: status {response.status_code}, want {statuses}")
        sent_to = response.get("Location", "")
        if (
            probe.role is None
            and probe.route.kind is not Kind.PUBLIC
            and expected == {302}
            and not sent_to.startswith(reverse("web:login"))
        ):
            problems.append(f"{_describe(probe)}: not sent to the login page")
        found = leaks(probe, probe.route.call(probe), text)
        if found:
            TALLY["leaks"] += 1
            problems.append(f"{_describe(probe)}: LEAK {', '.join(found)}")
        route = probe.route
        if route.listed is not None and response.status_code == 200:
            assert route.expected_listed is not None
            listed, wanted = route.listed(response, text), route.expected_listed(probe)
            if listed != wanted:
                problems.append(
                    f"{_describe(probe)}: lists {sorted(listed)}, want {sorted(wanted)}"
                )
        if (
            route.kind is Kind.OBJECT
            and route.same_as_missing
            and response.status_code == 404
            and probe.target is not None
            and probe.target.label != "missing"
        ):
            key = f"{route.label} {len(probe.target.code)}"
            if key not in missing_bodies:
                missing = Probe(
                    world=world,
                    role=role,
                    route=route,
                    target=Target("missing", missing_code(probe.target.code), False),
                )
                _, missing_text = _send(client, missing)
                missing_bodies[key] = (missing_text, route.call(missing).path, missing.code)
            missing_text, missing_path, missing_target = missing_bodies[key]
            path = route.call(probe).path
            if _normalised_404(text, path, missing_path, probe.target.code) != _normalised_404(
                missing_text, missing_path, path, missing_target
            ):
                problems.append(f"{_describe(probe)}: 404 differs from a missing region's")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=[role or "anonymous" for role in ROLES])
def test_a_post_with_an_idempotency_key_answers_and_audits_as_without(
    world: World, role: str | None
) -> None:
    # given every POST the role may try, in every place
    client = Client(REMOTE_ADDR="10.0.0.9")
    if role is not None:
        client.force_login(world.actors[role])
    posts = [probe for probe in probes_for(world, role) if probe.route.call(probe).method == "post"]
    assert posts
    problems: list[str] = []
    for index, probe in enumerate(posts):
        # when it is sent without a key, then (from the same state) with one
        plain, _, plain_refusals = _send_counting_refusals(client, probe)
        keyed, _, keyed_refusals = _send_counting_refusals(
            client, probe, key=f"matrix-{role}-{index}"
        )
        TALLY["keyed probes"] += 1
        # then the answer and the refused attempts in the audit log are the same
        if keyed.status_code != plain.status_code:
            problems.append(
                f"{_describe(probe)}: {keyed.status_code} with a key, {plain.status_code} without"
            )
        if keyed_refusals != plain_refusals:
            problems.append(
                f"{_describe(probe)}: {keyed_refusals} refusal rows with a key, "
                f"{plain_refusals} without"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_matrix_reaches_every_route_role_and_target(world: World) -> None:
    # given
    planned = [probe for role in ROLES for probe in probes_for(world, role)]
    # when
    routes_by_role = {(probe.role, probe.route.name) for probe in planned}
    labels = {
        (probe.role, probe.target.label)
        for probe in planned
        if probe.target is not None and probe.route.kind is Kind.OBJECT and probe.target.code
    }
    # then
    assert routes_by_role == {(role, name) for role in ROLES for name in ROUTES}
    # A town official has every kind of neighbour; the county roles have no parent or sibling.
    assert {label for role, label in labels if role == Role.TOWN_OFFICIAL} == {
        "own",
        "child",
        "sibling",
        "parent",
        "other county",
        "missing",
    }
    assert {label for role, label in labels if role == Role.COUNTY_LEADER} == {
        "own",
        "child",
        "other county",
        "missing",
    }


@pytest.mark.django_db
def test_ancestors_names_may_show_but_a_neighbours_may_not(world: World) -> None:
    # given: a grid worker's page naming the worker's grid with its village and town, then a
    # page naming the neighbouring village, then a search for that village's name
    route = next(route for routes in ROUTES.values() for route in routes if route.kind is Kind.SELF)
    probe = Probe(world, Role.GRID_WORKER, route, None)
    names = world.tree.names
    own_grid, own_village = world.tree.grids[0], world.tree.villages[0]
    neighbour = world.tree.villages[1]
    assert world.placements[Role.GRID_WORKER] == own_grid
    plain = Call("get", "/")
    search = Call("get", "/", {"q": names[neighbour]})
    ancestry = f"{names[own_grid]} · {names[own_village]} · {names[world.tree.towns[0]]}"
    # when
    own_page = leaks(probe, plain, ancestry)
    neighbour_page = leaks(probe, plain, f"附近：{names[neighbour]}")
    echo = leaks(probe, search, f"没有名为“{names[neighbour]}”的地方")
    # then
    assert own_page == []
    assert neighbour_page == [f"name {names[neighbour]} ({neighbour})"]
    assert echo == []
