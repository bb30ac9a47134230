"""The command centre's pages."""

from django.urls import path

from gridgov.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("map/", views.overview_map, name="map"),
    path("screen/", views.screen, name="screen"),
    path("export/", views.export, name="export"),
    path("export.pdf", views.export_pdf, name="export-pdf"),
]
