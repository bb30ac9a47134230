"""Staff pages for cases."""

from django.urls import path

from gridgov.cases import views

app_name = "cases"

urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/places/", views.report_places, name="report-places"),
    path("report/caller/", views.report_caller, name="report-caller"),
    path("tasks/", views.tasks, name="my-tasks"),
    path("queue/", views.queue, name="queue"),
    path("queue/dispatch/", views.bulk_dispatch, name="bulk-dispatch"),
    path("queue/accept/", views.bulk_accept, name="bulk-accept"),
    path("all/", views.all_cases, name="all"),
    path("all/export/", views.all_cases_export, name="all-export"),
    path("all/phone/", views.all_cases_by_phone, name="all-phone"),
    path("overdue/", views.overdue, name="overdue"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/action/", views.transition, name="transition"),
    path("<str:number>/merge/", views.merge, name="merge"),
    path("<str:number>/contact/", views.reveal_contact, name="reveal-contact"),
    path("<str:number>/photos/<int:photo_id>/", views.photo, name="photo"),
]
