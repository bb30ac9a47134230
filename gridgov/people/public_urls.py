"""The community cards, public (no login)."""

from django.urls import path

from gridgov.people import views_cards

app_name = "cards"

urlpatterns = [
    path("<str:region_code>/", views_cards.card, name="card"),
    path("<str:region_code>/poster.pdf", views_cards.card_poster, name="poster"),
]
