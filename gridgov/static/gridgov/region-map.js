/* The region browser's map: the chosen region's outline and its children's boundaries, on a plain
   background (no tile layer, so nothing leaves the intranet). Selecting a child opens its page. */
(function () {
  "use strict";
  var element = document.getElementById("region-map");
  if (!element || !window.L) {
    return;
  }
  var FILL_OPACITY = 0.35;

  var map = L.map(element, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
    if (window.gridgovMapTiles) { window.gridgovMapTiles(map); }

  function showMessage(text) {
    element.classList.add("has-message");
    var message = document.createElement("p");
    message.className = "map-message";
    message.textContent = text;
    element.appendChild(message);
  }

  function styleOf(feature) {
    if (feature.properties.role === "region") {
      return { className: "region-outline", color: "#b71c1c", weight: 3, fill: false, dashArray: "6 4" };
    }
    return { className: "region-child", color: "#1f4e79", weight: 1.5, fillColor: "#90caf9", fillOpacity: FILL_OPACITY };
  }

  // A label shows on its area only when it fits inside it; otherwise it shows on hover, so
  // neighbouring labels never cover each other.
  function placeLabels(paths) {
    paths.forEach(function (path) {
      var tooltip = path.getTooltip();
      var label = tooltip && tooltip.getElement();
      if (!label) {
        return;
      }
      label.classList.remove("is-hidden");
      var bounds = path.getBounds();
      var corner = map.latLngToContainerPoint(bounds.getNorthWest());
      var opposite = map.latLngToContainerPoint(bounds.getSouthEast());
      var fits = label.offsetWidth + 4 <= Math.abs(opposite.x - corner.x) &&
        label.offsetHeight + 4 <= Math.abs(opposite.y - corner.y);
      label.classList.toggle("is-hidden", !fits);
      path.labelHidden = !fits;
    });
  }

  function draw(collection) {
    var paths = [];
    var layer = L.geoJSON(collection, {
      style: styleOf,
      onEachFeature: function (feature, path) {
        if (feature.properties.role !== "child") {
          return;
        }
        paths.push(path);
        // A text node, not a string: Leaflet puts a string tooltip in as HTML.
        path.bindTooltip(document.createTextNode(feature.properties.label || feature.properties.name), {
          permanent: true,
          direction: "center",
          className: "region-label",
        });
        path.on("click", function () {
          window.location.assign(feature.properties.url);
        });
        path.on("mouseover", function () {
          path.setStyle({ fillOpacity: 0.6 });
          var label = path.getTooltip().getElement();
          if (label) {
            label.classList.remove("is-hidden");
          }
        });
        path.on("mouseout", function () {
          path.setStyle({ fillOpacity: FILL_OPACITY });
          var label = path.getTooltip().getElement();
          if (label && path.labelHidden) {
            label.classList.add("is-hidden");
          }
        });
      },
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
    } else {
      map.setView([0, 0], 1);
      showMessage(element.dataset.emptyText);
    }
    placeLabels(paths);
    map.on("zoomend", function () { placeLabels(paths); });
    element.dataset.childCount = String(paths.length);
    element.classList.add("is-loaded");
  }

  fetch(element.dataset.geojsonUrl, {
    credentials: "same-origin",
    headers: { Accept: "application/geo+json" },
  })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    })
    .then(draw)
    .catch(function () {
      element.classList.add("is-failed");
      showMessage(element.dataset.failedText);
    });
})();
