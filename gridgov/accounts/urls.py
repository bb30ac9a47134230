"""Pages for managing accounts (system administrators)."""

from django.urls import URLPattern

app_name = "accounts"

urlpatterns: list[URLPattern] = []
