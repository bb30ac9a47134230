"""JSON request bodies with a bounded nesting depth and no control characters in their text.

Python's json decoder recurses once per level: about a thousand nested brackets (2 KB) raise
RecursionError, which DRF's parser does not catch (an unauthenticated 500), and a body just under
that limit would recurse again in every later `json.dumps` or serializer. No request of ours nests
deeper than a GeoJSON multipolygon (5 levels under its feature), so a body deeper than
MAX_DEPTH is bad input: 400.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from gridgov.core.textinput import forbidden_in

MAX_DEPTH = 32


class JSONTooDeep(ValueError):
    """The document nests containers deeper than allowed."""


def nesting_depth(value: Any, *, limit: int = MAX_DEPTH) -> int:
    """How deep `value` nests lists and dicts (a scalar is 0); iterative, so it cannot recurse.
    Stops counting at `limit` + 1."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth) for child in children)
    return deepest


def parse_json(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads`, refusing documents nested deeper than `max_depth` with JSONTooDeep (a
    ValueError, like any malformed document)."""
    try:
        value = json.loads(data)
    except RecursionError as error:
        raise JSONTooDeep(f"JSON nested deeper than {max_depth} levels") from error
    if nesting_depth(value, limit=max_depth) > max_depth:
        raise JSONTooDeep(f"JSON nested deeper than {max_depth} levels")
    return value


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with the depth bound: a hostile body is a 400 like any malformed one."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            value = parse_json(stream.read().decode(encoding))
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from error
        if forbidden_in([value]):
            raise ParseError("text may not contain control or bidirectional-override characters")
        return value
