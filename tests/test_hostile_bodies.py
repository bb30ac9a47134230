"""Hostile request bodies are bad input everywhere: a JSON document nested a thousand levels deep
(2 KB) answers 400 or a refusal on every route that takes a write, never a 500, with or without an
Idempotency-Key, anonymous or logged in."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gridgov.core.access import Role
from gridgov.core.jsonbody import MAX_DEPTH, JSONTooDeep, nesting_depth, parse_json

DEEP_ARRAY = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
# Deep enough to be refused, shallow enough for the decoder: it must be the bound that says no.
JUST_TOO_DEEP = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
HOSTILE_BODIES = [DEEP_ARRAY, DEEP_OBJECT, JUST_TOO_DEEP]
# The write routes that parse JSON and must answer 400 to a logged-in county operator.
PARSING_ROUTES = {
    "api:token",
    "api:region-import",
    "cases-api:case-list",
    "cases-api:case-transition",
    "cases-api:case-reveal-contact",
}
_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes(
    patterns: list[URLPattern | URLResolver], namespace: str = "", prefix: str = ""
) -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += _routes(pattern.url_patterns, inner, route)
        elif pattern.name and not route.startswith("admin/"):
            found.append((f"{namespace}:{pattern.name}" if namespace else pattern.name, route))
    return found


def _path(route: str, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        if name in values:
            return values[name]
        return "1" if converter == "int" else "x"

    return "/" + _PARAMETER.sub(value, route).replace("^", "").replace("$", "")


@pytest.mark.parametrize(
    ("document", "depth"),
    [("1", 0), ("[]", 1), ('{"a": [1, {"b": []}]}', 4), (JUST_TOO_DEEP, MAX_DEPTH + 1)],
)
def test_nesting_depth(document: str, depth: int):
    assert nesting_depth(json.loads(document)) == depth


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_parse_json_refuses_deep_documents_as_bad_input(body: str):
    with pytest.raises(JSONTooDeep):
        parse_json(body)


def test_parse_json_takes_a_geojson_multipolygon():
    polygon = [[[107.0, 34.0], [107.1, 34.0], [107.1, 34.1], [107.0, 34.0]]]
    feature = {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": [polygon]}}
    document = {"type": "FeatureCollection", "features": [feature]}
    assert parse_json(json.dumps(document)) == document


@pytest.mark.django_db
def test_every_write_route_answers_a_hostile_body_without_a_500(tree, user_factory, api_as):
    # given a case to address, and a county operator who may act on it
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    created = api_as(worker).post(
        "/api/v1/cases/",
        {
            "category": "dispute-neighbour",
            "description": "楼上漏水",
            "lat": 34.2,
            "lng": 107.06,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    values = {"number": created.json()["number"], "code": tree.county}
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    anonymous = Client(raise_request_exception=False)
    logged_in = Client(raise_request_exception=False)
    logged_in.force_login(operator)
    routes = _routes(get_resolver().url_patterns)
    assert {name for name, _ in routes} >= PARSING_ROUTES

    # when every route gets every hostile body, each way
    answers: dict[tuple[str, str, bool, int], int] = {}
    for name, route in routes:
        path = _path(route, values)
        for who, client in (("anonymous", anonymous), ("operator", logged_in)):
            for with_key in (False, True):
                for index, body in enumerate(HOSTILE_BODIES):
                    headers: dict[str, Any] = {}
                    if with_key:
                        headers["HTTP_IDEMPOTENCY_KEY"] = f"hostile-{name}-{who}-{index}"
                    response = client.post(
                        path, data=body, content_type="application/json", **headers
                    )
                    answers[(name, who, with_key, index)] = response.status_code

    # then nothing failed, and the parsing routes called it bad input
    failures = {probe: status for probe, status in answers.items() if status >= 500}
    assert failures == {}
    not_bad_input = {
        probe: status
        for probe, status in answers.items()
        if probe[0] in PARSING_ROUTES and probe[1] == "operator" and status != 400
    }
    assert not_bad_input == {}
    assert answers[("api:token", "anonymous", True, 0)] == 400
    assert len(answers) > 200
