"""API v1 routes: every app's API views, wired in one place (the views live in their apps).

The platform apps' routes are named in `api:` (accounts, regions, notifications), the cases app's
in `cases-api:`, mediation's in `mediation-api:`, so names stay stable as apps are added.
"""

from django.urls import URLPattern, include, path

from gridgov.accounts.api import (
    MeApi,
    RoleAssignApi,
    RoleRevokeApi,
    TokenObtainApi,
    UserDeactivateApi,
    UserDetailApi,
    UserPasswordResetApi,
    UserReactivateApi,
)
from gridgov.activities.api import (
    ActivityDetailApi,
    ActivityListApi,
    PatrolCheckInApi,
    PatrolFinishApi,
    PatrolProblemApi,
    PatrolStartApi,
)
from gridgov.assessment.api import (
    MyPackageApi,
    OrderDetailApi,
    OrderListApi,
    OrderRespondApi,
    OrderReviewApi,
    OrderWithdrawApi,
    PackageEndApi,
    PackageListApi,
    ScoreDetailApi,
    ScoreListApi,
    ScoreRecomputeApi,
)
from gridgov.broadcast.api import (
    BroadcastApproveApi,
    BroadcastCancelApi,
    BroadcastCapApi,
    BroadcastDeliveriesApi,
    BroadcastDetailApi,
    BroadcastListApi,
    BroadcastRejectApi,
    BroadcastSubmitApi,
)
from gridgov.broadcast.terminal_api import TerminalListApi
from gridgov.cases.api.cases import (
    CallerSearchApi,
    CaseCategoryListApi,
    CaseDetailApi,
    CaseListApi,
    CaseTimelineApi,
    CaseTransitionApi,
)
from gridgov.cases.api.contact import CaseRevealContactApi
from gridgov.dashboards.api import DashboardSeriesApi, DashboardSummaryApi
from gridgov.mediation.api import (
    AnalysisReportApi,
    CentreListApi,
    FiguresApi,
    FileDetailApi,
    FileDocumentApi,
    FileListApi,
    MeetingDetailApi,
    MeetingListApi,
    RiskDetailApi,
    RiskListApi,
)
from gridgov.notifications.api import NotificationListApi, NotificationReadApi
from gridgov.people.api import (
    BuildingDetailApi,
    BuildingListApi,
    HouseholdDetailApi,
    HouseholdListApi,
    ImportApi,
    ImportTemplateApi,
    OrganisationDetailApi,
    OrganisationListApi,
    ResidentDetailApi,
    ResidentExportApi,
    ResidentExportUnmaskedApi,
    ResidentListApi,
    ResidentRevealApi,
)
from gridgov.regions.api import RegionChildrenApi, RegionDetailApi, RegionListApi, RegionLocateApi
from gridgov.regions.api_transfer import RegionExportApi, RegionImportApi
from gridgov.teams.api import TeamListApi, TeamMembersApi
from gridgov.trainings.api import (
    AttendanceListApi,
    AttendanceRecordApi,
    CertificateListApi,
    CourseDetailApi,
    CourseListApi,
    SessionDetailApi,
    SessionListApi,
    TrainedApi,
    TrainingListApi,
)
from gridgov.volunteers.api import (
    CheckInApi,
    CheckOutApi,
    CorrectApi,
    EventDetailApi,
    EventListApi,
    HoursApi,
    SignUpApi,
    WishDetailApi,
    WishListApi,
    WishPhoneApi,
    WishStepApi,
    WithdrawApi,
)

platform_patterns: list[URLPattern] = [
    path("auth/token/", TokenObtainApi.as_view(), name="token"),
    path("me/", MeApi.as_view(), name="me"),
    path("users/<int:user_id>/", UserDetailApi.as_view(), name="user-detail"),
    path("users/<int:user_id>/deactivate/", UserDeactivateApi.as_view(), name="user-deactivate"),
    path("users/<int:user_id>/reactivate/", UserReactivateApi.as_view(), name="user-reactivate"),
    path(
        "users/<int:user_id>/reset-password/",
        UserPasswordResetApi.as_view(),
        name="user-password-reset",
    ),
    path("users/<int:user_id>/roles/", RoleAssignApi.as_view(), name="user-role-assign"),
    path(
        "users/<int:user_id>/roles/<int:assignment_id>/revoke/",
        RoleRevokeApi.as_view(),
        name="user-role-revoke",
    ),
    path("notifications/", NotificationListApi.as_view(), name="notification-list"),
    path(
        "notifications/<int:notification_id>/read/",
        NotificationReadApi.as_view(),
        name="notification-read",
    ),
    path("regions/", RegionListApi.as_view(), name="region-list"),
    path("regions/locate/", RegionLocateApi.as_view(), name="region-locate"),
    # Before regions/<code>/, so "export" and "import" are not read as region codes.
    path("regions/export/", RegionExportApi.as_view(), name="region-export"),
    path("regions/import/", RegionImportApi.as_view(), name="region-import"),
    path("regions/<str:code>/", RegionDetailApi.as_view(), name="region-detail"),
    path("regions/<str:code>/children/", RegionChildrenApi.as_view(), name="region-children"),
]

case_patterns: list[URLPattern] = [
    path("cases/", CaseListApi.as_view(), name="case-list"),
    # Before the case's own address, which would take "caller-search" for a case number.
    path("cases/caller-search/", CallerSearchApi.as_view(), name="caller-search"),
    path("cases/<str:number>/", CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<str:number>/transition/", CaseTransitionApi.as_view(), name="case-transition"),
    path("cases/<str:number>/timeline/", CaseTimelineApi.as_view(), name="case-timeline"),
    path(
        "cases/<str:number>/reveal-contact/",
        CaseRevealContactApi.as_view(),
        name="case-reveal-contact",
    ),
    path("case-categories/", CaseCategoryListApi.as_view(), name="case-category-list"),
]

dashboard_patterns: list[URLPattern] = [
    path("dashboard/summary/", DashboardSummaryApi.as_view(), name="summary"),
    path("dashboard/series/", DashboardSeriesApi.as_view(), name="series"),
]

broadcast_patterns: list[URLPattern] = [
    path("broadcasts/", BroadcastListApi.as_view(), name="list"),
    path("broadcasts/<int:broadcast_id>/", BroadcastDetailApi.as_view(), name="detail"),
    path("broadcasts/<int:broadcast_id>/submit/", BroadcastSubmitApi.as_view(), name="submit"),
    path("broadcasts/<int:broadcast_id>/approve/", BroadcastApproveApi.as_view(), name="approve"),
    path("broadcasts/<int:broadcast_id>/reject/", BroadcastRejectApi.as_view(), name="reject"),
    path("broadcasts/<int:broadcast_id>/cancel/", BroadcastCancelApi.as_view(), name="cancel"),
    path("broadcasts/<int:broadcast_id>/cap.xml", BroadcastCapApi.as_view(), name="cap"),
    path(
        "broadcasts/<int:broadcast_id>/deliveries/",
        BroadcastDeliveriesApi.as_view(),
        name="deliveries",
    ),
    path("terminals/", TerminalListApi.as_view(), name="terminal-list"),
]

people_patterns: list[URLPattern] = [
    path("people/residents/", ResidentListApi.as_view(), name="resident-list"),
    path("people/residents/export.xlsx", ResidentExportApi.as_view(), name="resident-export"),
    path(
        "people/residents/export-unmasked.xlsx",
        ResidentExportUnmaskedApi.as_view(),
        name="resident-export-unmasked",
    ),
    path("people/imports/template.xlsx", ImportTemplateApi.as_view(), name="import-template"),
    path("people/imports/", ImportApi.as_view(), name="import"),
    path(
        "people/residents/<int:resident_id>/", ResidentDetailApi.as_view(), name="resident-detail"
    ),
    path(
        "people/residents/<int:resident_id>/reveal/",
        ResidentRevealApi.as_view(),
        name="resident-reveal",
    ),
    path("people/households/", HouseholdListApi.as_view(), name="household-list"),
    path(
        "people/households/<int:household_id>/",
        HouseholdDetailApi.as_view(),
        name="household-detail",
    ),
    path("people/buildings/", BuildingListApi.as_view(), name="building-list"),
    path(
        "people/buildings/<int:building_id>/", BuildingDetailApi.as_view(), name="building-detail"
    ),
    path("people/organisations/", OrganisationListApi.as_view(), name="organisation-list"),
    path(
        "people/organisations/<int:organisation_id>/",
        OrganisationDetailApi.as_view(),
        name="organisation-detail",
    ),
]

teams_patterns: list[URLPattern] = [
    path("teams/", TeamListApi.as_view(), name="list"),
    path("teams/<int:team_id>/members/", TeamMembersApi.as_view(), name="members"),
]

volunteers_patterns: list[URLPattern] = [
    path("volunteer-events/", EventListApi.as_view(), name="event-list"),
    path("volunteer-events/<int:event_id>/", EventDetailApi.as_view(), name="event-detail"),
    path("volunteer-events/<int:event_id>/sign-up/", SignUpApi.as_view(), name="sign-up"),
    path("volunteer-events/<int:event_id>/withdraw/", WithdrawApi.as_view(), name="withdraw"),
    path("volunteer-events/<int:event_id>/check-in/", CheckInApi.as_view(), name="check-in"),
    path("volunteer-events/<int:event_id>/check-out/", CheckOutApi.as_view(), name="check-out"),
    path("volunteer-events/<int:event_id>/correct/", CorrectApi.as_view(), name="correct"),
    path("volunteer-hours/", HoursApi.as_view(), name="hours"),
    path("micro-wishes/", WishListApi.as_view(), name="wish-list"),
    path("micro-wishes/<int:wish_id>/", WishDetailApi.as_view(), name="wish-detail"),
    path("micro-wishes/<int:wish_id>/step/", WishStepApi.as_view(), name="wish-step"),
    path("micro-wishes/<int:wish_id>/phone/", WishPhoneApi.as_view(), name="wish-phone"),
]

trainings_patterns: list[URLPattern] = [
    path("trainings/", TrainingListApi.as_view(), name="training-list"),
    path("trainings/courses/", CourseListApi.as_view(), name="course-list"),
    path("trainings/courses/<int:course_id>/", CourseDetailApi.as_view(), name="course-detail"),
    path("trainings/sessions/", SessionListApi.as_view(), name="session-list"),
    path("trainings/sessions/<int:session_id>/", SessionDetailApi.as_view(), name="session-detail"),
    path(
        "trainings/sessions/<int:session_id>/attendance/",
        AttendanceRecordApi.as_view(),
        name="attendance-record",
    ),
    path("trainings/attendance/", AttendanceListApi.as_view(), name="attendance-list"),
    path("trainings/certificates/", CertificateListApi.as_view(), name="certificate-list"),
    path("trainings/trained/", TrainedApi.as_view(), name="trained"),
]

activities_patterns: list[URLPattern] = [
    path("activities/", ActivityListApi.as_view(), name="list"),
    path("activities/patrols/", PatrolStartApi.as_view(), name="patrol-start"),
    path("activities/<int:activity_id>/", ActivityDetailApi.as_view(), name="detail"),
    path("activities/<int:activity_id>/check-ins/", PatrolCheckInApi.as_view(), name="check-in"),
    path("activities/<int:activity_id>/problems/", PatrolProblemApi.as_view(), name="problem"),
    path("activities/<int:activity_id>/finish/", PatrolFinishApi.as_view(), name="finish"),
]

mediation_patterns: list[URLPattern] = [
    path("mediation/centres/", CentreListApi.as_view(), name="centre-list"),
    path("mediation/files/", FileListApi.as_view(), name="file-list"),
    path("mediation/files/<str:number>/", FileDetailApi.as_view(), name="file-detail"),
    path(
        "mediation/files/<str:number>/documents/<slug:kind>.<slug:fmt>",
        FileDocumentApi.as_view(),
        name="file-document",
    ),
    path("risks/", RiskListApi.as_view(), name="risk-list"),
    path("figures/", FiguresApi.as_view(), name="figures"),
    path("reports/analysis/", AnalysisReportApi.as_view(), name="analysis-report"),
    path("reports/analysis/meetings/", MeetingListApi.as_view(), name="meeting-list"),
    path(
        "reports/analysis/meetings/<int:meeting_id>/",
        MeetingDetailApi.as_view(),
        name="meeting-detail",
    ),
    path("risks/<int:risk_id>/", RiskDetailApi.as_view(), name="risk-detail"),
]

assessment_patterns: list[URLPattern] = [
    path("assessment/scores/", ScoreListApi.as_view(), name="score-list"),
    path("assessment/scores/recompute/", ScoreRecomputeApi.as_view(), name="score-recompute"),
    path("assessment/scores/<int:score_id>/", ScoreDetailApi.as_view(), name="score-detail"),
    path("supervision-orders/", OrderListApi.as_view(), name="order-list"),
    path("supervision-orders/<str:number>/", OrderDetailApi.as_view(), name="order-detail"),
    path(
        "supervision-orders/<str:number>/respond/", OrderRespondApi.as_view(), name="order-respond"
    ),
    path("supervision-orders/<str:number>/review/", OrderReviewApi.as_view(), name="order-review"),
    path(
        "supervision-orders/<str:number>/withdraw/",
        OrderWithdrawApi.as_view(),
        name="order-withdraw",
    ),
    path("assessment/packages/", PackageListApi.as_view(), name="package-list"),
    path("assessment/packages/mine/", MyPackageApi.as_view(), name="package-mine"),
    path("assessment/packages/<int:package_id>/end/", PackageEndApi.as_view(), name="package-end"),
]

urlpatterns = [
    path("", include((platform_patterns, "api"))),
    path("", include((dashboard_patterns, "dashboards-api"))),
    path("", include((case_patterns, "cases-api"))),
    path("", include((broadcast_patterns, "broadcast-api"))),
    path("", include((people_patterns, "people-api"))),
    path("", include((mediation_patterns, "mediation-api"))),
    path("", include((teams_patterns, "teams-api"))),
    path("", include((volunteers_patterns, "volunteers-api"))),
    path("", include((trainings_patterns, "trainings-api"))),
    path("", include((activities_patterns, "activities-api"))),
    path("", include((assessment_patterns, "assessment-api"))),
]
