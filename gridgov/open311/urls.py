"""GeoReport v2 routes, each in .json and .xml; anything else answers the specification's 404."""

from django.urls import URLPattern, re_path

from gridgov.open311 import views

app_name = "open311"

FORMAT = r"(?P<fmt>json|xml)"

urlpatterns: list[URLPattern] = [
    # The specification suggests serving the discovery document at the endpoint's root too.
    re_path(r"^$", views.discovery, {"fmt": "xml"}, name="root"),
    re_path(rf"^discovery\.{FORMAT}$", views.discovery, name="discovery"),
    re_path(rf"^services\.{FORMAT}$", views.services, name="services"),
    re_path(
        rf"^services/(?P<service_code>[^/]+)\.{FORMAT}$",
        views.service_definition,
        name="service",
    ),
    re_path(rf"^requests\.{FORMAT}$", views.requests, name="requests"),
    re_path(
        rf"^requests/(?P<service_request_id>[^/]+)\.{FORMAT}$",
        views.request_detail,
        name="request",
    ),
    re_path(rf"^tokens/(?P<token>[^/]+)\.{FORMAT}$", views.token, name="token"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not-found"),
]
