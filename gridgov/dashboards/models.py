"""The command centre's rollups: counts of cases by (place, day reported, category, channel,
state, level, timeliness, escalated), kept current from the cases' timeline, and each case's
current contribution to them, so a change moves a case from one row to another exactly once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.cases.models import Case, Category
from gridgov.core.models import RegionScoped


class RollupKey(models.Model):
    """The dimensions a case is counted under. `region_code` (from RegionScoped) is the case's
    grid, or the smallest region above it when it has none."""

    day = models.DateField(_("day reported"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    channel = models.CharField(max_length=16)
    state = models.CharField(max_length=16)
    level = models.CharField(max_length=8)
    timeliness = models.CharField(max_length=8)
    escalated = models.BooleanField(default=False)

    class Meta:
        abstract = True


class CaseRollup(RegionScoped, RollupKey):
    """How many cases share one key, with what the overview derives from them."""

    cases = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolve_seconds = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("case rollup")
        verbose_name_plural = _("case rollups")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "region_code",
                    "day",
                    "category",
                    "channel",
                    "state",
                    "level",
                    "timeliness",
                    "escalated",
                ],
                name="unique_case_rollup",
            )
        ]
        indexes = [
            models.Index(fields=["county_code", "day"], name="rollup_county_day"),
            models.Index(fields=["town_code", "day"], name="rollup_town_day"),
            models.Index(fields=["village_code", "day"], name="rollup_village_day"),
            models.Index(fields=["grid_code", "day"], name="rollup_grid_day"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.day} {self.state}: {self.cases}"


class CaseContribution(RegionScoped, RollupKey):
    """What one case adds to the rollups now (its key and measures), so the next change
    subtracts exactly that before adding the new."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="+")
    rating = models.PositiveSmallIntegerField(null=True)
    resolve_seconds = models.PositiveBigIntegerField(null=True)

    class Meta:
        verbose_name = _("case contribution")
        verbose_name_plural = _("case contributions")
        # Region-scoped like every row, but read by case only: no ancestor indexes.

    def __str__(self) -> str:
        return f"{self.case_id} {self.region_code} {self.state}"


class RegionRollup(RegionScoped):
    """The cases of one region reported in one bucket (a day, a month or a year), projected from
    the fine rows (see `dashboards.buckets`): the overview of a long period or a large region
    sums a few of these instead of a row per case. `scope` is "tree" (every case within the
    region) or "place" (the cases placed exactly there, a grid's or a place without a grid)."""

    scope = models.CharField(max_length=5)
    span = models.CharField(max_length=1)
    start = models.DateField(_("first day"))
    cases = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolve_seconds = models.PositiveBigIntegerField(default=0)
    # The breakdowns by state, level, category and channel (see `buckets.vector`).
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("region rollup")
        verbose_name_plural = _("region rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "scope", "span", "start"], name="unique_region_rollup"
            )
        ]
        # The places within a region (the most repeated) ranked over a long period read every
        # place's buckets: only from these indexes (PostgreSQL reads no table row for them).
        indexes = [
            models.Index(
                fields=[column, "span", "start"],
                include=["region_code", "cases", "resolved", "resolve_seconds"],
                condition=models.Q(scope="place"),
                name=f"region_rollup_{level}_places",
            )
            for level, column in (
                ("county", "county_code"),
                ("town", "town_code"),
                ("village", "village_code"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.region_code} {self.span} {self.start}: {self.cases}"


class RollupState(models.Model):
    """One row: when the rollups were last brought up to date (the staleness shown)."""

    # The timeline rows written since then are folded in by the next run.
    folded_at = models.DateTimeField(null=True)
    rebuilt_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("rollup state")

    def __str__(self) -> str:
        return f"folded at {self.folded_at}"
