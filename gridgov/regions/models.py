"""The region tree: county > town/street > village/community > grid > micro-grid."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.core.models import RegionScoped


class Level(models.TextChoices):
    COUNTY = "county", _("County")
    TOWN = "town", _("Town/street")
    VILLAGE = "village", _("Village/community")
    GRID = "grid", _("Grid")
    MICRO_GRID = "micro_grid", _("Micro-grid")


class Region(RegionScoped):
    """One node of the tree. Its code is a path: each level appends digits to its parent's code.

    `region_code` is the region's own code (unique); the ancestor columns let every scoped query
    on regions be the same equality as on any other record.
    """

    class Kind(models.TextChoices):
        # Only towns and villages distinguish these; the statistical code ranges differ too.
        PLAIN = "", _("—")
        TOWN = "town", _("Town")
        STREET = "street", _("Street")
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    name = models.CharField(_("name"), max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # A GeoJSON geometry (Polygon or MultiPolygon), WGS-84 longitude/latitude.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    households = models.PositiveIntegerField(_("households"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["region_code"]
        constraints = [
            models.UniqueConstraint(fields=["region_code"], name="unique_region_code"),
        ]
        indexes = [
            models.Index(fields=["level", "region_code"], name="region_level_code"),
            models.Index(fields=["town_code", "level"], name="region_town_level"),
            models.Index(fields=["village_code", "level"], name="region_village_level"),
            models.Index(fields=["grid_code", "level"], name="region_grid_level"),
            models.Index(fields=["county_code", "level"], name="region_county_level"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.region_code})"

    @property
    def code(self) -> str:
        return self.region_code


class TreeState(models.Model):
    """A single row whose counter changes whenever a boundary does, so every process (web, worker)
    knows when to rebuild its point locator."""

    boundaries_version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("region tree state")

    def __str__(self) -> str:
        return f"boundaries v{self.boundaries_version}"
