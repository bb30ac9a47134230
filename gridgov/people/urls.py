"""Staff pages of the register."""

from django.urls import path

from gridgov.people import views, views_cards, views_edit, views_spreadsheets

app_name = "people"

urlpatterns = [
    path("", views.residents, name="residents"),
    path("round/", views.round_page, name="round"),
    path("export.xlsx", views_spreadsheets.export, name="export"),
    path("export-unmasked.xlsx", views_spreadsheets.export_unmasked, name="export-unmasked"),
    path("import/", views_spreadsheets.import_page, name="import"),
    path("import/template.xlsx", views_spreadsheets.import_template, name="import-template"),
    path("residents/<int:resident_id>/", views.resident, name="resident"),
    path(
        "residents/<int:resident_id>/reveal/",
        views.resident_reveal_page,
        name="resident-reveal",
    ),
    path("residents/<int:pk>/edit/", views_edit.resident_edit, name="resident-edit"),
    path("households/<int:pk>/edit/", views_edit.household_edit, name="household-edit"),
    path("buildings/<int:pk>/edit/", views_edit.building_edit, name="building-edit"),
    path("organisations/<int:pk>/edit/", views_edit.organisation_edit, name="organisation-edit"),
    path("cards/", views_cards.card_list, name="cards"),
    path("cards/<str:region_code>/", views_cards.card_edit, name="card"),
    path("households/", views.households, name="households"),
    path("households/<int:household_id>/", views.household, name="household"),
    path("buildings/", views.buildings, name="buildings"),
    path("buildings/<int:building_id>/", views.building, name="building"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:organisation_id>/", views.organisation, name="organisation"),
]
