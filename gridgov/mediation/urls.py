"""Staff pages for mediation."""

from django.urls import path

from gridgov.mediation import views

app_name = "mediation"

urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("risks/", views.risks, name="risks"),
    path("risks/<int:risk_id>/", views.risk, name="risk"),
    path("risks/<int:risk_id>/follow-up/", views.risk_follow_up_view, name="risk-follow-up"),
    path("files/", views.files, name="files"),
    path("analysis/", views.analysis, name="analysis"),
    path("meetings/new/", views.meeting_new, name="meeting-new"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("meetings/tasks/<int:task_id>/done/", views.task_done, name="task-done"),
    path("files/<str:number>/", views.detail, name="detail"),
    path("files/<str:number>/sessions/", views.session_add, name="session-add"),
    path(
        "files/<str:number>/sessions/<int:session_id>/record/",
        views.session_write,
        name="session-record",
    ),
    path("files/<str:number>/outcome/", views.outcome, name="outcome"),
    path("files/<str:number>/follow-up/", views.follow_up, name="follow-up"),
    path("files/<str:number>/judicial/", views.judicial, name="judicial"),
    path("files/<str:number>/refer/", views.refer, name="refer"),
]
