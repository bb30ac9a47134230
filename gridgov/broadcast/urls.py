"""Staff pages of the emergency broadcast."""

from django.urls import path

from gridgov.broadcast import views

app_name = "broadcast"

urlpatterns = [
    path("", views.broadcast_list, name="list"),
    path("new/", views.broadcast_compose, name="compose"),
    path("<int:broadcast_id>/", views.broadcast_detail, name="detail"),
    path("<int:broadcast_id>/edit/", views.broadcast_edit, name="edit"),
    path("<int:broadcast_id>/step/", views.broadcast_step, name="step"),
]
