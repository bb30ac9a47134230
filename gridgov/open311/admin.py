"""Open311 clients in the admin: listed and (de)activated; keys are made with create_open311_key."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from gridgov.open311.models import Open311Client


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    fields = ["name", "is_active", "created_at"]
    readonly_fields = ["name", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A key is shown once, at creation, on a console: see the create_open311_key command.
        return False
