"""Pages of the trainings: courses, a course's sessions, a session's attendance (a tick list of
the roster), certificates, and the people trained by kind with their attendance records."""

from django.urls import path

from gridgov.trainings import views

app_name = "trainings"

urlpatterns = [
    path("", views.course_list, name="courses"),
    path("courses/<int:course_id>/", views.course_detail, name="course"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("trained/", views.trained, name="trained"),
    path("attendance/", views.attendance, name="attendance"),
    path("certificates/", views.certificates, name="certificates"),
]
