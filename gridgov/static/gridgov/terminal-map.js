/* The terminal map: each terminal a dot coloured by its status, over the county's town and
   village outlines, on a plain background (no tile layer unless the county configures one). */
(function () {
  "use strict";
  var element = document.getElementById("terminal-map");
  var data = document.getElementById("terminal-points");
  if (!element || !data || !window.L) {
    return;
  }
  var COLOURS = { online: "#2e7d32", offline: "#9e9e9e", faulty: "#c62828" };
  var points = JSON.parse(data.textContent);
  var map = L.map(element, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
  if (window.gridgovMapTiles) { window.gridgovMapTiles(map); }

  function showMessage(text) {
    element.classList.add("has-message");
    var message = document.createElement("p");
    message.className = "map-message";
    message.textContent = text;
    element.appendChild(message);
  }

  var dots = L.featureGroup();
  points.forEach(function (point) {
    var colour = COLOURS[point.status] || "#1f4e79";
    var dot = L.circleMarker([point.lat, point.lng], {
      radius: 6, color: "#ffffff", weight: 1, fillColor: colour, fillOpacity: 0.95,
      className: "terminal-point status-" + point.status,
    });
    // A text node, not a string: Leaflet puts a string tooltip in as HTML.
    dot.bindTooltip(document.createTextNode(point.name + " · " + point.place + " · " + point.label));
    dots.addLayer(dot);
  });
  dots.addTo(map);
  element.dataset.pointCount = String(points.length);

  var bounds = dots.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [16, 16], maxZoom: 15 });
  } else {
    map.setView([0, 0], 1);
    showMessage(element.dataset.emptyText);
  }

  fetch(element.dataset.outlinesUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (collection) {
      var outlines = L.geoJSON(collection, {
        style: { color: "#1f4e79", weight: 1, fillColor: "#90caf9", fillOpacity: 0.12 },
        interactive: false,
      }).addTo(map);
      if (!bounds.isValid() && outlines.getBounds().isValid()) {
        map.fitBounds(outlines.getBounds(), { padding: [8, 8] });
      }
      dots.bringToFront();
      element.classList.add("is-loaded");
    })
    .catch(function () {
      // The dots are what matters; without the outlines the map still shows them.
      element.classList.add("is-loaded");
    });
})();
