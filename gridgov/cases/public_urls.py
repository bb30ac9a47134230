"""The residents' public pages (no login): report, track, rate, reopen; the map's outlines."""

from django.urls import path

from gridgov.cases import public_views

app_name = "public"

urlpatterns = [
    path("report/", public_views.report, name="report"),
    path("report/received/<str:token>/", public_views.received, name="received"),
    path("boundaries.geojson", public_views.boundaries, name="boundaries"),
    path("track/", public_views.track, name="track"),
    path("track/<str:token>/", public_views.status, name="status"),
    path("track/<str:token>/rate/", public_views.rate, name="rate"),
    path("track/<str:token>/reopen/", public_views.reopen, name="reopen"),
]
