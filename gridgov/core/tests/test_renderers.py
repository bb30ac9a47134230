"""FastJSONRenderer writes exactly the bytes DRF's JSONRenderer writes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer

from gridgov.core.renderers import FastJSONRenderer

# JSON's own types, floats aside (see the renderer's docstring); strings from all of Unicode
# but lone surrogates, which neither renderer can write as UTF-8.
_text = st.text(st.characters(exclude_categories=["Cs"]))
_plain = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | _text,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_text, inner, max_size=5),
    max_leaves=30,
)


@given(_plain)
def test_plain_data_is_written_byte_for_byte_as_drf_writes_it(data: Any) -> None:
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


@pytest.mark.parametrize(
    "data",
    [
        {"title": "祥云社区烟感报警", "note": 'a "quote", a \\ and a\nnew line\x00\x1f\x7f'},
        {"separators": "\u2028 and \u2029 are escaped for script tags"},
        [None, True, False, 0, -1, 2**63 - 1, 2**64 - 1, "", [], {}],
        # not JSON's own types: DRF's encoder writes them, as before
        {"detail": ErrorDetail("bad", code="invalid")},
        {"message": gettext_lazy("Invalid token.")},
        {"amount": Decimal("1.50"), "at": datetime(2026, 12, 5, 6, 25, 5, 41740, tzinfo=UTC)},
        {"huge": 2**70},
        {1: "a key that is not a string"},
        None,
    ],
)
def test_every_kind_of_answer_is_written_as_drf_writes_it(data: Any) -> None:
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_floats_keep_their_value_though_small_ones_are_spelled_otherwise() -> None:
    data = {"large": 1e16, "small": 1e-05, "lat": 34.37, "lng": 107.9}
    written = FastJSONRenderer().render(data)
    assert json.loads(written) == json.loads(JSONRenderer().render(data)) == data
    assert written == b'{"large":1e+16,"small":0.00001,"lat":34.37,"lng":107.9}'


def test_an_indent_asked_for_is_kept() -> None:
    data = {"results": [{"number": "610324-20261205-000073"}], "next": None}
    asked = "application/json; indent=2"
    written = FastJSONRenderer().render(data, asked, {})
    assert written == JSONRenderer().render(data, asked, {})
    assert b"\n  " in written
