"""Regions in Django admin: browse and search only. Creating, renaming and moving regions go
through the audited services (a move rewrites codes across every table)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gridgov.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["region_code", "name", "level", "kind", "population", "households"]
    list_filter = ["level"]
    search_fields = ["region_code", "name"]
    ordering = ["region_code"]
    raw_id_fields = ["parent"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
