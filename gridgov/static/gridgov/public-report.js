/* The public report form: a two-level category select, and a map to place a pin on. The map has
   no tile layer (nothing leaves the intranet): the county's town and village outlines are its
   backdrop. Without JavaScript the form still works with the address and the select. */
(function () {
  "use strict";

  // Categories: the first select narrows the second to one group.
  function linkCategories() {
    var group = document.getElementById("id_category_group");
    var leaf = document.getElementById("id_category");
    if (!group || !leaf) {
      return;
    }
    var all = Array.prototype.slice.call(leaf.children).map(function (node) {
      return node.cloneNode(true);
    });
    function groupOfLeaf() {
      var selected = leaf.options[leaf.selectedIndex];
      if (!selected || !selected.value) {
        return;
      }
      var parent = selected.parentNode;
      var label = parent.tagName === "OPTGROUP" ? parent.label : selected.textContent;
      Array.prototype.forEach.call(group.options, function (option) {
        if (option.value && option.textContent === label) {
          group.value = option.value;
        }
      });
    }
    function narrow() {
      var chosen = group.options[group.selectedIndex];
      var label = chosen && chosen.value ? chosen.textContent : "";
      var current = leaf.value;
      leaf.textContent = "";
      all.forEach(function (node, index) {
        var keep = !label || index === 0 ||
          (node.tagName === "OPTGROUP" ? node.label === label : node.value === chosen.value);
        if (keep) {
          leaf.appendChild(node.cloneNode(true));
        }
      });
      leaf.value = current;
      if (leaf.value !== current || !current) {
        // A group without sub-categories is its own category.
        var single = chosen && chosen.value ? leaf.querySelector('option[value="' + chosen.value + '"]') : null;
        leaf.value = single ? chosen.value : "";
      }
    }
    groupOfLeaf();
    if (group.value) {
      narrow();
    }
    group.addEventListener("change", narrow);
    leaf.addEventListener("change", groupOfLeaf);
  }

  // Point in polygon (ray casting) over a GeoJSON Polygon or MultiPolygon, lng/lat.
  function inRing(lng, lat, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }
  function inGeometry(lng, lat, geometry) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polygons.some(function (rings) {
      return inRing(lng, lat, rings[0]) && !rings.slice(1).some(function (hole) {
        return inRing(lng, lat, hole);
      });
    });
  }

  function setUpMap() {
    var element = document.getElementById("report-map");
    var latitude = document.getElementById("id_latitude");
    var longitude = document.getElementById("id_longitude");
    var region = document.getElementById("id_region");
    var status = document.getElementById("pin-status");
    if (!element || !window.L || !latitude || !longitude) {
      return;
    }
    var buttons = {
      centre: document.getElementById("pin-centre"),
      here: document.getElementById("pin-here"),
      clear: document.getElementById("pin-clear"),
    };
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
    if (window.gridgovMapTiles) { window.gridgovMapTiles(map); }
    var features = [];
    var marker = null;

    function say(text) {
      status.textContent = text || "";
    }
    function placeAt(lat, lng) {
      var village = null;
      var town = null;
      features.forEach(function (feature) {
        if (inGeometry(lng, lat, feature.geometry)) {
          if (feature.properties.level === "village") {
            village = feature;
          } else {
            town = feature;
          }
        }
      });
      if (features.length && !village && !town) {
        say(status.dataset.outsideText);
        return;
      }
      latitude.value = lat.toFixed(6);
      longitude.value = lng.toFixed(6);
      if (marker) {
        marker.setLatLng([lat, lng]);
      } else {
        marker = L.marker([lat, lng], { keyboard: false }).addTo(map);
      }
      var place = village || town;
      if (place && region) {
        region.value = place.properties.code;
      }
      say(status.dataset.setText + (place ? " " + place.properties.name : "") +
        " (" + lat.toFixed(5) + ", " + lng.toFixed(5) + ")");
      buttons.clear.hidden = false;
    }
    function clearPin() {
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      latitude.value = "";
      longitude.value = "";
      buttons.clear.hidden = true;
      say(status.dataset.noneText);
    }

    map.on("click", function (event) {
      placeAt(event.latlng.lat, event.latlng.lng);
    });
    buttons.centre.hidden = false;
    buttons.centre.addEventListener("click", function () {
      var centre = map.getCenter();
      placeAt(centre.lat, centre.lng);
    });
    buttons.clear.addEventListener("click", clearPin);
    if (navigator.geolocation) {
      buttons.here.hidden = false;
      buttons.here.addEventListener("click", function () {
        say(status.dataset.locatingText);
        navigator.geolocation.getCurrentPosition(
          function (position) {
            var lat = position.coords.latitude, lng = position.coords.longitude;
            placeAt(lat, lng);
            if (marker) {
              map.setView([lat, lng], Math.max(map.getZoom(), 13));
            }
          },
          function () { say(status.dataset.unlocatedText); },
          { enableHighAccuracy: true, timeout: 15000 }
        );
      });
    }

    function draw(collection) {
      features = collection.features || [];
      var layer = L.geoJSON(collection, {
        style: function (feature) {
          return feature.properties.level === "town"
            ? { color: "#1f4e79", weight: 2, fill: false, interactive: false }
            : { color: "#7b8794", weight: 1, fillColor: "#90caf9", fillOpacity: 0.15 };
        },
        onEachFeature: function (feature, path) {
          if (feature.properties.level === "village") {
            // A click on a village bubbles up to the map, which places the pin.
            // A text node, not a string: Leaflet puts a string tooltip in as HTML.
            path.bindTooltip(document.createTextNode(feature.properties.name), { direction: "center", className: "place-label" });
          }
        },
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [4, 4] });
      } else {
        map.setView([35, 105], 4);
      }
      if (latitude.value && longitude.value) {
        placeAt(parseFloat(latitude.value), parseFloat(longitude.value));
      } else {
        say(status.dataset.noneText);
      }
      element.classList.add("is-loaded");
    }

    fetch(element.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(draw)
      .catch(function () {
        var message = document.createElement("p");
        message.className = "map-message";
        message.textContent = element.dataset.failedText;
        element.appendChild(message);
        element.classList.add("is-failed");
        map.setView([35, 105], 4);
      });
  }

  linkCategories();
  setUpMap();
})();
