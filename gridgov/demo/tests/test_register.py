"""The synthetic register: valid, distinct ID numbers, households over every grid, focus groups;
the county-scale command writes over the demo county's grids."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from gridgov.demo.people import resident_id_number
from gridgov.people.idnumbers import IdFacts, check_id
from gridgov.people.models import Household, Resident
from gridgov.testing import build_tree

pytestmark = pytest.mark.django_db


def test_synthetic_id_numbers_are_valid_distinct_and_carry_their_gender() -> None:
    indexes = [*range(0, 3000), *range(10_000_000, 10_000_500), 14_000_000]
    numbers = []
    for index in indexes:
        number, birth, gender = resident_id_number(index)
        facts = check_id(number)
        assert isinstance(facts, IdFacts), number
        assert (facts.birth_date, facts.gender) == (birth, gender)
        numbers.append(number)
    assert len(set(numbers)) == len(numbers)


def test_load_register_writes_households_over_every_grid_of_the_county() -> None:
    # given the test tree's county with its eight grids
    tree = build_tree()
    grids = [code for code in tree.grids if code.startswith(tree.county)]
    out = io.StringIO()
    # when
    call_command("load_register", households=len(grids) * 3, stdout=out)
    # then
    assert set(Household.objects.values_list("grid_code", flat=True)) == set(grids)
    assert Household.objects.count() == len(grids) * 3
    residents = Resident.objects.count()
    assert residents >= Household.objects.count()
    assert f"{residents:,} residents" in out.getvalue()
    assert Resident.objects.values("id_hash").distinct().count() == residents
