"""Rendering GeoReport v2 payloads as XML or JSON, and errors in the specification's format.

JSON follows the specification's examples (the "Spark convention" mapping of its XML): a list at
the root for services, requests and errors, an object for a service definition and discovery.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

JSON = "json"
XML = "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {
    JSON: "application/json; charset=utf-8",
    XML: "text/xml; charset=utf-8",
}
# The specification asks for this exact declaration before the root element.
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# In XML a list is a wrapper element holding one element per item: <attributes><attribute>...
LIST_ITEM_TAGS = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


# Characters XML 1.0 cannot carry at all; one of them in a description would break every client.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    """A request the API refuses: its HTTP status and one or more human-readable descriptions."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = [str(description) for description in descriptions]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        item_tag = LIST_ITEM_TAGS[element.tag]
        for item in value:
            _append(element, item_tag, item)
    else:
        element.text = _text(value)


def _append(parent: Element, tag: str, value: Any) -> None:
    _fill(SubElement(parent, tag), value)


def to_xml(root_tag: str, payload: Any, item_tag: str | None = None) -> bytes:
    """`payload` as an XML document: a list becomes `root_tag` holding one `item_tag` per item,
    a mapping becomes `root_tag` holding one element per key. None is an empty element."""
    root = Element(root_tag)
    if item_tag is not None:
        for item in payload:
            _append(root, item_tag, item)
    else:
        _fill(root, payload)
    return (XML_DECLARATION + tostring(root, encoding="unicode")).encode("utf-8")


def render(
    fmt: str, payload: Any, *, root_tag: str, item_tag: str | None = None, status: int = 200
) -> HttpResponse:
    if fmt == XML:
        body = to_xml(root_tag, payload, item_tag)
    else:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_error(fmt: str, error: Open311Error) -> HttpResponse:
    """The specification's error list: <errors><error><code/><description/></error></errors>."""
    payload = [
        {"code": error.status, "description": description} for description in error.descriptions
    ]
    return render(fmt, payload, root_tag="errors", item_tag="error", status=error.status)
