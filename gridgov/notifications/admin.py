from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gridgov.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Shown, searched and filtered, never written here."""

    list_display = ["recipient", "key", "object_id", "count", "created_at", "read_at"]
    list_filter = ["key"]
    search_fields = ["recipient__username", "object_id"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
