"""API v1 routes. Each app contributes thin views; this module only wires them."""

from django.urls import path

from gridgov.accounts.api import MeApi, TokenObtainApi
from gridgov.regions.api import RegionChildrenApi, RegionDetailApi, RegionListApi, RegionLocateApi
from gridgov.regions.api_transfer import RegionExportApi, RegionImportApi

app_name = "api"

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="token"),
    path("me/", MeApi.as_view(), name="me"),
    path("regions/", RegionListApi.as_view(), name="region-list"),
    path("regions/locate/", RegionLocateApi.as_view(), name="region-locate"),
    # Before regions/<code>/, so "export" and "import" are not read as region codes.
    path("regions/export/", RegionExportApi.as_view(), name="region-export"),
    path("regions/import/", RegionImportApi.as_view(), name="region-import"),
    path("regions/<str:code>/", RegionDetailApi.as_view(), name="region-detail"),
    path("regions/<str:code>/children/", RegionChildrenApi.as_view(), name="region-children"),
]
