"""Staff pages of the emergency broadcast."""

from django.urls import path

from gridgov.broadcast import terminal_views, views

app_name = "broadcast"

urlpatterns = [
    path("", views.broadcast_list, name="list"),
    path("new/", views.broadcast_compose, name="compose"),
    path("<int:broadcast_id>/", views.broadcast_detail, name="detail"),
    path("<int:broadcast_id>/audio/", views.broadcast_audio, name="audio"),
    path("<int:broadcast_id>/edit/", views.broadcast_edit, name="edit"),
    path("<int:broadcast_id>/step/", views.broadcast_step, name="step"),
    path("<int:broadcast_id>/deliveries/", views.broadcast_deliveries, name="deliveries"),
    path("terminals/", terminal_views.terminal_list, name="terminals"),
    # Called by the terminals themselves (signed with their key), not by people.
    path("terminal/<uuid:identifier>/audio/", terminal_views.terminal_audio, name="terminal-audio"),
    path("terminals/import/", terminal_views.terminal_import_page, name="terminal-import"),
    path("terminals/template.xlsx", terminal_views.terminal_template, name="terminal-template"),
]
