"""Rewrite region codes in every region-scoped table when a subtree moves (set-based, one UPDATE a table)."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import Case, Value, When
from django.db.models.functions import Concat, Length, Substr
from django.db.models.lookups import GreaterThanOrEqual

from gridgov.core.codes import COUNTY_LEN, GRID_LEN, TOWN_LEN, VILLAGE_LEN
from gridgov.core.models import RegionScoped


def rescoped_models() -> list[type[RegionScoped]]:
    """Every concrete RegionScoped model except those that opt out (the audit log keeps history)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, RegionScoped) and getattr(model, "rescope_on_move", True)
    ]


def _ancestor(length: int) -> Case:
    return Case(
        When(
            GreaterThanOrEqual(Length("region_code"), length), then=Substr("region_code", 1, length)
        ),
        default=Value(""),
        output_field=models.CharField(),
    )


def rescope_subtree(old_prefix: str, new_prefix: str) -> dict[str, int]:
    """Move every row whose region lies under `old_prefix` to the same place under `new_prefix`.

    Returns the number of rows rewritten per model label. Runs in the caller's transaction.
    """
    counts: dict[str, int] = {}
    for model in rescoped_models():
        rows = model._default_manager.filter(region_code__startswith=old_prefix)
        rewritten = rows.update(
            region_code=Concat(
                Value(new_prefix),
                Substr("region_code", len(old_prefix) + 1),
                output_field=models.CharField(),
            )
        )
        if rewritten:
            model._default_manager.filter(region_code__startswith=new_prefix).update(
                county_code=Substr("region_code", 1, COUNTY_LEN),
                town_code=_ancestor(TOWN_LEN),
                village_code=_ancestor(VILLAGE_LEN),
                grid_code=_ancestor(GRID_LEN),
            )
        counts[model._meta.label] = rewritten
    return counts
