"""Conformance with the GeoReport v2 specification: its own example requests, answered in JSON
and XML with the field names, types and structure of its example responses; the XML and JSON of
one answer carry the same data (the JSON is the specification's mapping of the XML)."""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from jsonschema import Draft7Validator

from gridgov.cases.models import Case
from gridgov.open311.tests import spec
from gridgov.open311.tests.conftest import BASE

JURISDICTION = "610324"


def fetch(client: Client, path: str, fmt: str, **params: Any) -> Any:
    response = client.get(f"{BASE}{path}.{fmt}", params)
    assert response.status_code == 200, response.content
    return response


def both_formats(client: Client, path: str, **params: Any) -> tuple[Any, Any]:
    """The JSON answer (parsed) and the XML answer (as the JSON its XML maps to)."""
    as_json = fetch(client, path, "json", **params)
    as_xml = fetch(client, path, "xml", **params)
    assert as_json["Content-Type"] == "application/json; charset=utf-8"
    assert as_xml["Content-Type"] == "text/xml; charset=utf-8"
    assert as_xml.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return json.loads(as_json.content), as_xml


def assert_valid(schema: dict[str, Any], data: Any) -> None:
    errors = sorted(Draft7Validator(schema).iter_errors(data), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


@pytest.mark.django_db
def test_service_list_example(client, tree):
    # given: the example GET services.xml?jurisdiction_id=city.gov, in our jurisdiction
    # when
    data, xml = both_formats(client, "services", jurisdiction_id=JURISDICTION)
    # then
    assert_valid(spec.SERVICES, data)
    root = spec.parse_xml(xml.content)
    assert root.tag == "services"
    assert {child.tag for child in root} == {"service"}
    first = root.find("service")
    assert first is not None
    assert [child.tag for child in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert spec.xml_to_data(root) == spec.as_xml_text(data)
    assert {service["type"] for service in data} == {"realtime"}
    assert {service["metadata"] for service in data} == {False}


@pytest.mark.django_db
def test_service_definition_example(client, tree):
    # given: the example GET services/033.xml?jurisdiction_id=city.gov
    # when
    data, xml = both_formats(client, "services/infrastructure-road", jurisdiction_id=JURISDICTION)
    # then
    assert_valid(spec.SERVICE_DEFINITION, data)
    root = spec.parse_xml(xml.content)
    assert root.tag == "service_definition"
    assert [child.tag for child in root] == ["service_code", "attributes"]
    assert spec.xml_to_data(root) == spec.as_xml_text(data)
    assert data == {"service_code": "infrastructure-road", "attributes": []}


# The specification's example POST body, with our jurisdiction, service and a point in a grid.
EXAMPLE_POST = (
    "api_key={key}&jurisdiction_id=610324&service_code=infrastructure-road"
    "&lat=34.2&long=107.06&address_string=1234+5th+street&email=smit333%40sfgov.edu"
    "&device_id=tt222111&account_id=123456&first_name=john&last_name=smith&phone=13912345678"
    "&description=A+large+sinkhole+is+destroying+the+street"
    "&media_url=http%3A%2F%2Ffarm3.static.flickr.com%2F2002%2F2212426634_5ed477a060.jpg"
    "&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001"
)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_service_request_example(client, tree, api_key, fmt):
    # given
    body = EXAMPLE_POST.format(key=api_key)
    # when
    response = client.post(
        f"{BASE}requests.{fmt}",
        body,
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )
    # then
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    if fmt == "json":
        data = json.loads(response.content)
        assert_valid(spec.CREATED, data)
    else:
        root = spec.parse_xml(response.content)
        assert root.tag == "service_requests"
        request = root.find("request")
        assert request is not None
        assert [child.tag for child in request] == [
            "service_request_id",
            "service_notice",
            "account_id",
        ]
        data = spec.xml_to_data(root)
    assert data[0]["service_request_id"] == case.number
    assert data[0]["account_id"] == "123456"
    assert data[0]["service_notice"]
    assert case.channel == "open311"
    assert case.description == "A large sinkhole is destroying the street"
    assert case.address == "1234 5th street"
    assert case.reporter_name.reveal() == "john smith"
    assert case.open311_request.media_url.startswith("http://farm3.static.flickr.com/")


@pytest.mark.django_db
def test_get_service_requests_example(client, tree, post_request):
    # given: two reports, one of them closed
    first = json.loads(post_request(media_url="https://example.org/1.jpg").content)[0]
    second = json.loads(post_request(service_code="environment-waste").content)[0]
    Case.objects.filter(number=second["service_request_id"]).update(state="closed")
    reported = Case.objects.get(number=first["service_request_id"]).created_at
    # when: the example GET requests.xml?start_date=...Z&end_date=...&status=open&jurisdiction_id=...
    params = {
        "start_date": (reported - timedelta(hours=1))
        .astimezone(UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end_date": timezone.localtime(reported + timedelta(hours=1)).isoformat(timespec="seconds"),
        "status": "open",
        "jurisdiction_id": JURISDICTION,
    }
    data, xml = both_formats(client, "requests", **params)
    # then
    assert_valid(spec.REQUESTS, data)
    assert [request["service_request_id"] for request in data] == [first["service_request_id"]]
    root = spec.parse_xml(xml.content)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    assert [child.tag for child in request] == spec.REQUEST_FIELDS
    assert spec.xml_to_data(root) == spec.as_xml_text(data)
    assert data[0]["status"] == "open"
    # the centroid of the report's grid (107.0-107.125, 34-35), not its point
    assert data[0]["lat"] == pytest.approx(34.5)
    assert data[0]["long"] == pytest.approx(107.0625)
    assert data[0]["media_url"] == "https://example.org/1.jpg"


@pytest.mark.django_db
def test_get_service_request_example(client, tree, post_request):
    # given
    created = json.loads(post_request().content)[0]
    number = created["service_request_id"]
    # when: the example GET requests/123456.xml?jurisdiction_id=city.gov
    data, xml = both_formats(client, f"requests/{number}", jurisdiction_id=JURISDICTION)
    # then
    assert_valid(spec.REQUESTS, data)
    assert len(data) == 1
    assert data[0]["service_request_id"] == number
    root = spec.parse_xml(xml.content)
    assert root.tag == "service_requests"
    assert [child.tag for child in root[0]] == spec.REQUEST_FIELDS
    assert spec.xml_to_data(root) == spec.as_xml_text(data)


@pytest.mark.django_db
def test_token_example(client, tree, post_request):
    # given
    number = json.loads(post_request().content)[0]["service_request_id"]
    token = Case.objects.get(number=number).tracking_token
    # when: the example GET tokens/123456.xml?jurisdiction_id=city.gov
    data, xml = both_formats(client, f"tokens/{token}", jurisdiction_id=JURISDICTION)
    # then
    assert_valid(spec.TOKEN, data)
    assert data == [{"service_request_id": number, "token": token}]
    root = spec.parse_xml(xml.content)
    assert root.tag == "service_requests"
    assert [child.tag for child in root[0]] == ["service_request_id", "token"]
    assert spec.xml_to_data(root) == spec.as_xml_text(data)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_error_example_invalid_api_key(client, tree, fmt):
    # given: the example's 403 for an invalid api_key
    # when
    response = client.post(
        f"{BASE}requests.{fmt}",
        {"api_key": "xyz", "service_code": "infrastructure-road", "lat": "34.2", "long": "107.06"},
    )
    # then
    assert response.status_code == 403
    if fmt == "json":
        data = json.loads(response.content)
    else:
        root = spec.parse_xml(response.content)
        assert root.tag == "errors"
        assert [child.tag for child in root[0]] == ["code", "description"]
        data = [
            {"code": int(error.findtext("code") or 0), "description": error.findtext("description")}
            for error in root
        ]
    assert_valid(spec.ERRORS, data)
    assert data[0]["code"] == 403
    assert "api_key" in data[0]["description"]
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_service_discovery_example(client, tree):
    # given: the discovery file, which must exist as both XML and JSON
    # when
    data, xml = both_formats(client, "discovery")
    # then
    assert_valid(spec.DISCOVERY, data)
    root = spec.parse_xml(xml.content)
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    assert [child.tag for child in endpoint] == [
        "specification",
        "url",
        "changeset",
        "type",
        "formats",
    ]
    assert spec.xml_to_data(root) == spec.as_xml_text(data)
    (only,) = data["endpoints"]
    assert only["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert only["url"] == "http://testserver/open311/v2"
    assert set(only["formats"]) == {"text/xml", "application/json"}
