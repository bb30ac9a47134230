"""Routes (filled in by the module's views)."""

from django.urls import URLPattern

app_name = "public"

urlpatterns: list[URLPattern] = []
