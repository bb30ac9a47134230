"""Routes (filled in by the module's views)."""

from django.urls import URLPattern

app_name = "cases-api"

urlpatterns: list[URLPattern] = []
