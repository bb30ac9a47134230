"""Region names kept in each process: read once, reused, forgotten when this process writes a
region, and read again elsewhere after NAME_SECONDS."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.core.access import Role
from gridgov.regions import names
from gridgov.regions.models import Region
from gridgov.regions.names import forget_names, names_of
from gridgov.regions.services import region_rename


@pytest.mark.django_db
def test_names_are_read_once_and_then_reused(tree):
    # given
    wanted = {tree.towns[0], tree.villages[0], "610324999"}  # the last names no region
    # when
    with CaptureQueriesContext(connection) as first:
        found = names_of(wanted)
    with CaptureQueriesContext(connection) as second:
        again = names_of({tree.towns[0], tree.villages[0]})
    # then
    assert found == {code: tree.names[code] for code in (tree.towns[0], tree.villages[0])}
    assert again == found
    assert len(first.captured_queries) == 1
    assert len(second.captured_queries) == 0


@pytest.mark.django_db
def test_a_rename_here_is_seen_at_once(tree, user_factory):
    # given
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    names_of({tree.towns[0]})
    # when
    region_rename(actor=operator, code=tree.towns[0], name="新城街道")
    # then
    assert names_of({tree.towns[0]}) == {tree.towns[0]: "新城街道"}


@pytest.mark.django_db
def test_a_rename_elsewhere_is_seen_after_the_names_lapse(tree, monkeypatch):
    # given a name kept here, then changed by another process (straight in the database)
    clock = [1000.0]
    monkeypatch.setattr(names.time, "monotonic", lambda: clock[0])
    names_of({tree.towns[0]})
    Region.objects.filter(region_code=tree.towns[0]).update(name="新城街道")
    # when
    soon = names_of({tree.towns[0]})
    clock[0] += names.NAME_SECONDS + 1
    later = names_of({tree.towns[0]})
    # then
    assert soon == {tree.towns[0]: tree.names[tree.towns[0]]}
    assert later == {tree.towns[0]: "新城街道"}


@pytest.mark.django_db
def test_forgetting_reads_again(tree):
    # given
    names_of({tree.county})
    # when
    forget_names()
    with CaptureQueriesContext(connection) as queries:
        names_of({tree.county})
    # then
    assert len(queries.captured_queries) == 1
