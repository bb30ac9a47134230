"""Pages of volunteer service: events (a volunteer's phone, an organiser's desk), hours and
stars, micro-wishes."""

from django.urls import path

from gridgov.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("new/", views.event_new, name="event-new"),
    path("<int:event_id>/", views.event_detail, name="event"),
    path("<int:event_id>/act/", views.event_act, name="event-act"),
    path("<int:event_id>/correct/", views.event_correct, name="event-correct"),
    path("hours/", views.hours, name="hours"),
    path("wishes/", views.wish_list, name="wishes"),
    path("wishes/new/", views.wish_new, name="wish-new"),
    path("wishes/<int:wish_id>/", views.wish_detail, name="wish"),
    path("wishes/<int:wish_id>/phone/", views.wish_phone, name="wish-phone"),
]
