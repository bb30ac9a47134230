"""Text a person may type: no NUL, no other control characters but tab and line breaks, and no
bidirectional overrides (which make a name or an address read differently from what is stored,
e.g. a phone number shown reversed). One rule for every input: form fields, query strings and
JSON bodies alike. On PostgreSQL a NUL in a text column is an error, so letting one through would
be a 500."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# C0 controls except \t \n \r, DEL and the C1 controls, and the bidirectional embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_forbidden_characters(text: str) -> bool:
    return FORBIDDEN.search(text) is not None


def forbidden_in(values: Iterable[Any]) -> bool:
    """Whether any string in `values`, or nested in lists and dicts among them, has one."""
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if has_forbidden_characters(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return False
