"""The audit log in Django admin: read-only, so the chain is never edited through it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gridgov.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "sequence",
        "created_at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "outcome",
        "region_code",
        "client_address",
    ]
    list_filter = ["outcome"]
    search_fields = ["action", "actor_username", "object_id", "region_code"]
    date_hierarchy = "created_at"
    ordering = ["-sequence"]
    # The actor is a foreign key; rendering it as a select would load every user.
    raw_id_fields = ["actor"]
    show_full_result_count = False  # counting a million rows on every page is slow

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
