"""The inbox's move out of the cases app keeps every row: each stored sentence becomes a notice
key with its case's number and title, read and unread as before."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gridgov.cases.catalogue import seed_categories

BEFORE = [("cases", "0004_publication"), ("notifications", "0001_initial")]
AFTER = [("cases", "0005_drop_notification"), ("notifications", "0002_move_case_notifications")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate cases and notifications to `targets`; the models as every app then has them.

    Taken from the migrations applied afterwards, not from every app's latest: going back also
    unapplies later apps' migrations that depend on cases (their latest would bring back columns
    the database no longer has)."""
    MigrationExecutor(connection).migrate(targets)
    applied = MigrationExecutor(connection).loader.applied_migrations
    return MigrationExecutor(connection).loader.project_state(list(applied)).apps


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_each_row_as_a_key_with_its_case():
    # (whatever happens below, the database is left up to date for the tests after this one)
    try:
        _the_move_keeps_each_row()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _the_move_keeps_each_row() -> None:
    # given the inbox as the cases app kept it
    old_apps = _migrate(BEFORE)
    user = old_apps.get_model("accounts", "User").objects.create(username="mover", phone="")
    # (a transactional test's database may have been emptied by the test before: seed again)
    seed_categories(old_apps.get_model("cases", "Category"))
    category = old_apps.get_model("cases", "Category").objects.filter(parent__isnull=False).first()
    case = old_apps.get_model("cases", "Case").objects.create(
        number="610324-20261204-000009",
        title="路灯不亮",
        description="路灯不亮",
        category=category,
        channel="hotline",
        region_code="610324100",
        county_code="610324",
        town_code="610324100",
        handling_code="610324100",
        level="town",
        tracking_token="tok-migration-000000",
        reporter_name="",
        reporter_phone="",
        created_at=datetime(2026, 11, 30, 8, 0, tzinfo=UTC),
        updated_at=datetime(2026, 11, 30, 8, 0, tzinfo=UTC),
    )
    Old = old_apps.get_model("cases", "Notification")
    read_at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    Old.objects.create(recipient=user, case=case, kind="assigned", message="案件已派给您")
    Old.objects.create(
        recipient=user, case=case, kind="new_case", message="新案件", read_at=read_at
    )
    # when the migrations run
    new_apps = _migrate(AFTER)
    _assert_moved(new_apps, user=user, case=case, read_at=read_at)


def _assert_moved(new_apps: Any, *, user: Any, case: Any, read_at: datetime) -> None:
    # then each row is a notice about the case, unread or read as it was
    rows = list(
        new_apps.get_model("notifications", "Notification")
        .objects.filter(recipient_id=user.pk)
        .order_by("id")
        .values("key", "params", "object_type", "object_id", "read_at")
    )
    assert rows == [
        {
            "key": "case.assigned",
            "params": {"number": case.number, "title": "路灯不亮"},
            "object_type": "case",
            "object_id": case.number,
            "read_at": None,
        },
        {
            "key": "case.new_case",
            "params": {"number": case.number, "title": "路灯不亮"},
            "object_type": "case",
            "object_id": case.number,
            "read_at": read_at,
        },
    ]
