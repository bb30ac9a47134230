"""Pages for reading the audit log (auditors)."""

from django.urls import URLPattern

app_name = "audit"

urlpatterns: list[URLPattern] = []
