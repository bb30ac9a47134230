from django.contrib.auth import views as auth_views
from django.urls import path

from gridgov.web import views, visits

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "round/households/<int:household_id>/visit/",
        visits.household_visit,
        name="household-visit",
    ),
    path("regions/", views.region_browser, name="regions"),
    path("regions/map.geojson", views.regions_geojson, name="regions-geojson"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("regions/<str:code>/map.geojson", views.region_geojson, name="region-geojson"),
]
