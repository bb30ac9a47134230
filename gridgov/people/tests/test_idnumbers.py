"""ID numbers (GB 11643): the standard's own examples, synthetic numbers under hypothesis, and each
way a number goes wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.people.idnumbers import (
    Gender,
    IdFacts,
    IdProblem,
    check_id,
    looks_truncated,
    synthetic_id,
)

# The example of GB 11643-1999 itself, and the one its explanatory notes use.
STANDARD_EXAMPLES = {
    "11010519491231002X": (dt.date(1949, 12, 31), Gender.FEMALE),
    "440524188001010014": (dt.date(1880, 1, 1), Gender.MALE),
}

births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2024, 12, 31))
genders = st.sampled_from(list(Gender))
sequences = st.integers(min_value=0, max_value=999)
# The machine the suite runs on may be busy: no deadline, no complaint about slow generation.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(("number", "facts"), STANDARD_EXAMPLES.items())
def test_the_standards_examples_are_valid_with_their_birth_date_and_gender(
    number: str, facts: tuple[dt.date, Gender]
) -> None:
    # when
    checked = check_id(number, today=dt.date(2026, 1, 1))
    # then
    assert checked == IdFacts(number=number, birth_date=facts[0], gender=facts[1])


@relaxed
@given(birth=births, gender=genders, sequence=sequences)
def test_a_synthetic_number_carries_its_birth_date_and_gender(
    birth: dt.date, gender: Gender, sequence: int
) -> None:
    # given
    number = synthetic_id(place="610324", birth_date=birth, sequence=sequence, gender=gender)
    # when
    checked = check_id(number, today=dt.date(2026, 1, 1))
    # then
    assert isinstance(checked, IdFacts)
    assert (checked.birth_date, checked.gender) == (birth, gender)


@relaxed
@given(
    birth=births,
    gender=genders,
    sequence=sequences,
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_changing_any_one_digit_is_caught(
    birth: dt.date, gender: Gender, sequence: int, position: int, delta: int
) -> None:
    # given a valid number with one digit changed
    number = synthetic_id(place="610324", birth_date=birth, sequence=sequence, gender=gender)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    # when
    checked = check_id(changed, today=dt.date(2026, 1, 1))
    # then MOD 11-2 catches every single-digit error
    assert checked == IdProblem.CHECKSUM


@relaxed
@given(birth=births, gender=genders, sequence=sequences)
def test_swapping_two_different_neighbouring_digits_is_caught(
    birth: dt.date, gender: Gender, sequence: int
) -> None:
    number = synthetic_id(place="610324", birth_date=birth, sequence=sequence, gender=gender)
    for i in range(16):
        if number[i] != number[i + 1]:
            swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
            assert check_id(swapped, today=dt.date(2026, 1, 1)) == IdProblem.CHECKSUM


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("61032419900101123", IdProblem.FORMAT),  # 17 characters
        ("6103241990010112X3", IdProblem.FORMAT),  # an X before the end
        ("610324199001011234", IdProblem.CHECKSUM),
        (610324199001011000, IdProblem.TRUNCATED),  # a numeric cell
        (6.10324199001011e17, IdProblem.TRUNCATED),
        ("6.10324E+17", IdProblem.TRUNCATED),
    ],
)
def test_each_problem_is_named(raw: object, problem: IdProblem) -> None:
    assert check_id(raw, today=dt.date(2026, 1, 1)) == problem


def test_a_birth_date_that_is_no_date_or_in_the_future_is_refused() -> None:
    # given numbers with a valid check character around an impossible or a future date
    impossible = synthetic_id(
        place="610324", birth_date=dt.date(1990, 1, 1), sequence=1, gender=Gender.MALE
    )
    impossible = impossible[:10] + "13" + impossible[12:17]
    from gridgov.people.idnumbers import with_check_character

    future = synthetic_id(
        place="610324", birth_date=dt.date(2030, 1, 1), sequence=1, gender=Gender.MALE
    )
    # then
    assert check_id(with_check_character(impossible), today=dt.date(2026, 1, 1)) == (
        IdProblem.BIRTH_DATE
    )
    assert check_id(future, today=dt.date(2026, 1, 1)) == IdProblem.BIRTH_DATE


def test_an_unknown_place_is_refused() -> None:
    number = synthetic_id(
        place="999999", birth_date=dt.date(1990, 1, 1), sequence=1, gender=Gender.MALE
    )
    assert check_id(number, today=dt.date(2026, 1, 1)) == IdProblem.PLACE


def test_a_text_cell_with_a_whole_number_is_not_truncated() -> None:
    assert not looks_truncated("11010519491231002X")
    assert looks_truncated(1.1010519491231e17)
