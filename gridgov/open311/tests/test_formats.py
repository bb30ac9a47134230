"""The XML and JSON writers: the specification's declaration, empty elements for null, list
wrappers, and text that XML cannot carry."""

from __future__ import annotations

import json

from gridgov.open311.formats import Open311Error, render, render_error, to_xml
from gridgov.open311.tests import spec


def test_null_is_an_empty_element_and_booleans_are_lowercase():
    # when
    body = to_xml(
        "services", [{"service_code": "a", "description": None, "metadata": False}], "service"
    )
    # then
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<services><service>')
    root = spec.parse_xml(body)
    assert root[0].findtext("description") in ("", None)
    assert root[0].findtext("metadata") == "false"


def test_lists_inside_an_object_are_wrapped_item_by_item():
    # when
    body = to_xml("discovery", {"endpoints": [{"formats": ["text/xml", "application/json"]}]})
    # then
    root = spec.parse_xml(body)
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_characters_xml_cannot_carry_are_dropped_and_markup_is_escaped():
    # given
    text = "路灯\x00坏了 <b>&</b>\x1f"
    # when
    body = to_xml("service_requests", [{"description": text}], "request")
    # then
    assert spec.parse_xml(body)[0].findtext("description") == "路灯坏了 <b>&</b>"


def test_errors_in_json_are_a_list_of_code_and_description():
    # when
    response = render_error("json", Open311Error(400, "one", "two"))
    # then
    assert response.status_code == 400
    assert json.loads(response.content) == [
        {"code": 400, "description": "one"},
        {"code": 400, "description": "two"},
    ]


def test_json_keeps_chinese_readable():
    # when
    response = render(
        "json", [{"service_name": "路灯故障"}], root_tag="services", item_tag="service"
    )
    # then
    assert "路灯故障".encode() in response.content
