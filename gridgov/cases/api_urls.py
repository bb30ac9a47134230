"""API v1 routes of cases and the staff inbox (mounted at /api/v1/)."""

from django.urls import URLPattern, path

from gridgov.cases.api.cases import (
    CaseCategoryListApi,
    CaseDetailApi,
    CaseListApi,
    CaseTimelineApi,
    CaseTransitionApi,
)
from gridgov.cases.api.contact import CaseRevealContactApi
from gridgov.cases.api.inbox import NotificationListApi, NotificationReadApi

app_name = "cases-api"

urlpatterns: list[URLPattern] = [
    path("cases/", CaseListApi.as_view(), name="case-list"),
    path("cases/<str:number>/", CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<str:number>/transition/", CaseTransitionApi.as_view(), name="case-transition"),
    path("cases/<str:number>/timeline/", CaseTimelineApi.as_view(), name="case-timeline"),
    path(
        "cases/<str:number>/reveal-contact/",
        CaseRevealContactApi.as_view(),
        name="case-reveal-contact",
    ),
    path("case-categories/", CaseCategoryListApi.as_view(), name="case-category-list"),
    path("notifications/", NotificationListApi.as_view(), name="notification-list"),
    path(
        "notifications/<int:notification_id>/read/",
        NotificationReadApi.as_view(),
        name="notification-read",
    ),
]
