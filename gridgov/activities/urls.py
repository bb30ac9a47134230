"""Staff pages for the front lines' activities."""

from django.urls import path

from gridgov.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_new, name="new"),
    path("patrol/", views.patrol, name="patrol"),
    path("patrol/start/", views.patrol_start, name="patrol-start"),
    path("<int:activity_id>/", views.activity_detail, name="detail"),
    path("<int:activity_id>/photos/<int:photo_id>/", views.activity_photo, name="photo"),
    path("<int:activity_id>/check-in/", views.patrol_check_in, name="check-in"),
    path("<int:activity_id>/problem/", views.patrol_problem, name="problem"),
    path("<int:activity_id>/finish/", views.patrol_finish, name="finish"),
]
