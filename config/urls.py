from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("gridgov.api.urls")),
    path("open311/v2/", include("gridgov.open311.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file, so the page runs under a CSP without inline code.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("gridgov.accounts.urls")),
    path("audit/", include("gridgov.core.urls")),
    path("cases/", include("gridgov.cases.urls")),
    path("command/", include("gridgov.dashboards.urls")),
    path("broadcast/", include("gridgov.broadcast.urls")),
    path("mediation/", include("gridgov.mediation.urls")),
    path("inbox/", include("gridgov.notifications.urls")),
    path("people/", include("gridgov.people.urls")),
    path("teams/", include("gridgov.teams.urls")),
    path("volunteers/", include("gridgov.volunteers.urls")),
    path("trainings/", include("gridgov.trainings.urls")),
    path("activities/", include("gridgov.activities.urls")),
    path("assessment/", include("gridgov.assessment.urls")),
    path("public/cards/", include("gridgov.people.public_urls")),
    path("public/", include("gridgov.broadcast.public_urls")),
    path("public/", include("gridgov.cases.public_urls")),
    path("", include("gridgov.web.urls")),
]

handler404 = "gridgov.web.views.page_not_found"
handler403 = "gridgov.web.views.permission_denied"
