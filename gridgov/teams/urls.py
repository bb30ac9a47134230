"""Staff pages for the teams."""

from django.urls import path

from gridgov.teams import views

app_name = "teams"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("<int:team_id>/", views.team_detail, name="detail"),
    path("<int:team_id>/members/<int:member_id>/leave/", views.member_leave_view, name="leave"),
]
