"""The GeoReport v2 specification's shapes, written down for the tests: JSON schemas of each
response and the XML element names of its examples (wiki.open311.org/GeoReport_v2)."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, fromstring

NULLABLE_STRING = {"type": ["string", "null"]}
W3C_DATETIME = {
    "type": ["string", "null"],
    # A w3c date-time always carries its offset (Z or +hh:mm).
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
}


def _list_of(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


SERVICE = {
    "type": "object",
    "required": [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ],
    "additionalProperties": False,
    "properties": {
        "service_code": {"type": "string"},
        "service_name": {"type": "string"},
        "description": NULLABLE_STRING,
        "metadata": {"type": "boolean"},
        "type": {"enum": ["realtime", "batch", "blackbox"]},
        "keywords": NULLABLE_STRING,
        "group": NULLABLE_STRING,
    },
}
SERVICES = _list_of(SERVICE)

SERVICE_DEFINITION = {
    "type": "object",
    "required": ["service_code", "attributes"],
    "additionalProperties": False,
    "properties": {
        "service_code": {"type": "string"},
        "attributes": _list_of(
            {
                "type": "object",
                "required": ["variable", "code", "datatype", "required", "order", "description"],
                "properties": {
                    "variable": {"type": "boolean"},
                    "code": {"type": "string"},
                    "datatype": {
                        "enum": [
                            "string",
                            "number",
                            "datetime",
                            "text",
                            "singlevaluelist",
                            "multivaluelist",
                        ]
                    },
                    "required": {"type": "boolean"},
                    "order": {"type": "integer", "minimum": 1},
                },
            }
        ),
    },
}

# Every field of a request in GET Service Requests, in the order of the specification's example.
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
REQUEST = {
    "type": "object",
    "required": REQUEST_FIELDS,
    "additionalProperties": False,
    "properties": {
        "service_request_id": {"type": "string", "minLength": 1},
        "status": {"enum": ["open", "closed"]},
        "status_notes": NULLABLE_STRING,
        "service_name": {"type": "string"},
        "service_code": {"type": "string"},
        "description": {"type": ["string", "null"], "maxLength": 4000},
        "agency_responsible": NULLABLE_STRING,
        "service_notice": NULLABLE_STRING,
        "requested_datetime": {**W3C_DATETIME, "type": "string"},
        "updated_datetime": W3C_DATETIME,
        "expected_datetime": W3C_DATETIME,
        "address": NULLABLE_STRING,
        "address_id": NULLABLE_STRING,
        "zipcode": NULLABLE_STRING,
        "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
        "long": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
        "media_url": NULLABLE_STRING,
    },
}
REQUESTS = _list_of(REQUEST)

# POST Service Request: service_request_id or token (never both), service_notice, account_id.
CREATED = _list_of(
    {
        "type": "object",
        "required": ["service_request_id", "service_notice", "account_id"],
        "additionalProperties": False,
        "properties": {
            "service_request_id": {"type": "string", "minLength": 1},
            "service_notice": NULLABLE_STRING,
            "account_id": NULLABLE_STRING,
        },
    }
)
TOKEN = _list_of(
    {
        "type": "object",
        "required": ["service_request_id", "token"],
        "additionalProperties": False,
        "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"}},
    }
)
ERRORS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "additionalProperties": False,
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}
DISCOVERY = {
    "type": "object",
    "required": ["changeset", "contact", "key_service", "endpoints"],
    "additionalProperties": False,
    "properties": {
        "changeset": {"type": "string"},
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": _list_of(
            {
                "type": "object",
                "required": ["specification", "url", "changeset", "type", "formats"],
                "additionalProperties": False,
                "properties": {
                    "specification": {"type": "string"},
                    "url": {"type": "string"},
                    "changeset": {"type": "string"},
                    "type": {"enum": ["production", "test"]},
                    "formats": _list_of({"enum": ["text/xml", "application/json"]}),
                },
            }
        ),
    },
}

# XML elements that wrap a list, and the name of each item inside them.
XML_LISTS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def parse_xml(body: bytes) -> Element:
    """Our own server's answer, parsed in a test (trusted input, no entity expansion concerns)."""
    return fromstring(body)  # noqa: S314


def xml_to_data(element: Element) -> Any:
    """The JSON the specification's "Spark convention" maps this XML to, with every leaf a string
    (XML has no types): lists for the wrappers above, objects otherwise, None for empty leaves."""
    if element.tag in XML_LISTS:
        assert all(child.tag == XML_LISTS[element.tag] for child in element), element.tag
        return [xml_to_data(child) for child in element]
    if len(element):
        return {child.tag: xml_to_data(child) for child in element}
    return element.text


def as_xml_text(data: Any) -> Any:
    """JSON data with every leaf written the way XML writes it, to compare the two formats."""
    if isinstance(data, list):
        return [as_xml_text(item) for item in data]
    if isinstance(data, dict):
        return {key: as_xml_text(value) for key, value in data.items()}
    if data is None or data == "":
        return None
    if isinstance(data, bool):
        return "true" if data else "false"
    return str(data)
