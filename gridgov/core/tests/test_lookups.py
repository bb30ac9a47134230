"""`prefix` finds exactly the texts that start with the given one, on either database, LIKE's
wildcards and case included; on SQLite it is asked as a range an index can answer."""

from __future__ import annotations

import pytest
from django.db import connection

from gridgov.accounts.models import User

NAMES = [
    "王",
    "王芳",
    "王芳芳",
    "王𠀋明",  # a character beyond the Basic Multilingual Plane
    "汪芳",
    "玊",  # the code point right after 王
    "李秀英",
    "Li Wei",
    "li wei",
    "100%满意",
    "100_满意",
    "1000满意",
    "a\\b",
    "",
]
ASKED = ["王", "王芳", "王𠀋", "Li", "li", "100%", "100_", "a\\", "玊", "李秀英", "李秀英多"]


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ASKED)
def test_prefix_finds_what_starts_with_the_text_and_nothing_else(asked: str) -> None:
    for index, name in enumerate(NAMES):
        User.objects.create(username=f"user{index}", display_name=name)
    found = set(
        User.objects.filter(display_name__prefix=asked).values_list("display_name", flat=True)
    )
    assert found == {name for name in NAMES if name.startswith(asked)}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_on_sqlite_an_index_on_the_column_answers_it() -> None:
    query = User.objects.filter(username__prefix="王").only("id").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    # `username` is unique, so it has an index; LIKE would make this a SCAN of the table.
    assert "USING" in plan
    assert "INDEX" in plan
    assert "SCAN" not in plan
