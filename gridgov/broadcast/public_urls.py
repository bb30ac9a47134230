"""The public alerts (no login): a page and its Atom feed."""

from django.urls import path

from gridgov.broadcast import public_views

app_name = "alerts"

urlpatterns = [
    path("alerts/", public_views.alert_list, name="list"),
    path("alerts.atom", public_views.PublicAlertsFeed(), name="feed"),
]
