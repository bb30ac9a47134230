"""Region codes as paths: properties that hold for every valid code, and refusals of invalid ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.core.codes import (
    CODE_LENGTHS,
    LEVEL_BY_LENGTH,
    SCOPE_COLUMN_BY_LENGTH,
    InvalidRegionCode,
    ancestor_codes,
    is_valid_code,
    is_within,
    level_of,
    minimal_cover,
    parent_code,
)

DIGITS = "0123456789"
PROPERTY = settings(max_examples=50, deadline=None)


def codes_of_length(length: int) -> st.SearchStrategy[str]:
    return st.text(DIGITS, min_size=length, max_size=length)


valid_codes = st.sampled_from(CODE_LENGTHS).flatmap(codes_of_length)


@st.composite
def related_codes(draw: st.DrawFn) -> list[str]:
    """Codes that share prefixes often, so subtrees nest and overlap the way real ones do."""
    county = draw(st.sampled_from(["610324", "610323"]))
    codes = []
    for _ in range(draw(st.integers(min_value=0, max_value=12))):
        code = county
        for length in CODE_LENGTHS[1 : draw(st.integers(min_value=1, max_value=5))]:
            code += draw(st.sampled_from(["001", "002", "100"]))[: length - len(code)]
        codes.append(code)
    return codes


def ancestors(code: str) -> list[str]:
    chain = []
    parent = parent_code(code)
    while parent is not None:
        chain.append(parent)
        parent = parent_code(parent)
    return chain


@PROPERTY
@given(valid_codes)
def test_a_valid_code_has_the_level_of_its_length(code: str) -> None:
    assert is_valid_code(code)
    assert level_of(code) == LEVEL_BY_LENGTH[len(code)]


@PROPERTY
@given(valid_codes)
def test_the_parent_is_the_code_one_level_up(code: str) -> None:
    # when
    parent = parent_code(code)
    # then
    if len(code) == CODE_LENGTHS[0]:
        assert parent is None
    else:
        assert parent is not None
        assert is_valid_code(parent)
        assert code.startswith(parent)
        assert CODE_LENGTHS.index(len(parent)) == CODE_LENGTHS.index(len(code)) - 1


@PROPERTY
@given(valid_codes)
def test_the_ancestors_are_every_shorter_prefix_of_a_level(code: str) -> None:
    # when
    chain = ancestors(code)
    # then
    assert chain == [code[:length] for length in reversed(CODE_LENGTHS) if length < len(code)]
    assert all(is_within(code, ancestor) for ancestor in chain)


@PROPERTY
@given(valid_codes)
def test_ancestor_columns_hold_the_ancestors_and_are_empty_below_the_level(code: str) -> None:
    # when
    columns = ancestor_codes(code)
    # then
    assert columns["region_code"] == code
    for length, column in SCOPE_COLUMN_BY_LENGTH.items():
        if column == "region_code":
            continue
        assert columns[column] == (code[:length] if length <= len(code) else "")


@PROPERTY
@given(valid_codes, valid_codes)
def test_scoping_on_the_ancestor_column_is_the_same_as_being_within(code: str, scope: str) -> None:
    # given: the column a scope of this length is matched on
    column = SCOPE_COLUMN_BY_LENGTH[len(scope)]
    # when
    matches = ancestor_codes(code)[column] == scope
    # then
    assert matches == is_within(code, scope)


@PROPERTY
@given(st.lists(valid_codes, max_size=12) | related_codes())
def test_minimal_cover_keeps_the_union_and_drops_nested_codes(codes: list[str]) -> None:
    # when
    cover = minimal_cover(codes)
    # then
    assert set(cover) <= set(codes)
    assert cover == sorted(cover)
    assert all(any(is_within(code, top) for top in cover) for code in codes)
    assert not [
        (top, other) for top in cover for other in cover if top != other and is_within(top, other)
    ]


@PROPERTY
@given(related_codes(), st.randoms(use_true_random=False))
def test_minimal_cover_ignores_order_and_repeats(codes: list[str], random: object) -> None:
    # given
    shuffled = list(codes) * 2
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    # when / then
    assert minimal_cover(shuffled) == minimal_cover(codes)
    assert minimal_cover(minimal_cover(codes)) == minimal_cover(codes)


invalid_codes = st.one_of(
    st.text(DIGITS, max_size=20).filter(lambda text: len(text) not in CODE_LENGTHS),
    st.sampled_from(CODE_LENGTHS).flatmap(
        lambda length: st.text(min_size=length, max_size=length).filter(
            lambda text: not all(char in DIGITS for char in text)
        )
    ),
)


@PROPERTY
@given(invalid_codes)
def test_anything_else_is_refused(text: str) -> None:
    assert not is_valid_code(text)
    with pytest.raises(InvalidRegionCode):
        level_of(text)
    with pytest.raises(InvalidRegionCode):
        parent_code(text)
    with pytest.raises(InvalidRegionCode):
        ancestor_codes(text)


@pytest.mark.parametrize(
    "text",
    ["61032\n", "61032 ", " 61032", "６１０３２４", "٦١٠٣٢٤", "6103 4", "-61032", "+61032"],
)
def test_look_alikes_are_refused(text: str) -> None:
    # Full-width or Arabic-Indic digits, a sign or a trailing newline: six characters that look
    # like a county code but are not one.
    assert not is_valid_code(text)


def test_fufeng_examples() -> None:
    assert parent_code("610324001") == "610324"
    assert ancestor_codes("610324100200") == {
        "region_code": "610324100200",
        "county_code": "610324",
        "town_code": "610324100",
        "village_code": "610324100200",
        "grid_code": "",
    }
    assert minimal_cover(["610324001200", "610324001", "610323", "610324001"]) == [
        "610323",
        "610324001",
    ]
    assert not is_within("610324100", "610324001")
