"""Routes (filled in by the module's views)."""

from django.urls import URLPattern

app_name = "open311"

urlpatterns: list[URLPattern] = []
