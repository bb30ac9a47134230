"""Base-map tiles are used only when the deployment configures them (GRIDGOV_MAP_TILES): the
pages then carry the template for the maps and the CSP admits the tile host; without them the
pages name no outside host at all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from config.settings.base import map_tile_origin

TIANDITU = "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"


def test_the_csp_source_of_a_tile_template():
    assert map_tile_origin(TIANDITU) == "https://*.tianditu.gov.cn"
    assert map_tile_origin("http://tiles.county.lan:8080/{z}/{x}/{y}.png") == (
        "http://tiles.county.lan:8080"
    )
    assert map_tile_origin("") == ""
    assert map_tile_origin("not a url") == ""


@pytest.mark.django_db
def test_without_tiles_the_public_map_names_no_outside_host(client):
    body = client.get(reverse("public:report")).content.decode()
    assert "data-map-tiles" not in body
    assert "/static/gridgov/map-tiles.js" in body


@pytest.mark.django_db
def test_configured_tiles_reach_the_page(client, settings):
    settings.GRIDGOV_MAP_TILES = TIANDITU
    settings.GRIDGOV_MAP_TILES_ATTRIBUTION = "天地图"
    body = client.get(reverse("public:report")).content.decode()
    assert 'data-map-tiles="https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&amp;' in body
    assert 'data-map-attribution="天地图"' in body
