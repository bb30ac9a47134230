/* The region browser's map: the chosen region's outline and its children's boundaries, on a plain
   background (no tile layer, so nothing leaves the intranet). Selecting a child opens its page. */
(function () {
  "use strict";
  var element = document.getElementById("region-map");
  if (!element || !window.L) {
    return;
  }
  // Beyond this many children, labels only show on hover so the map stays readable.
  var PERMANENT_LABELS_UP_TO = 30;

  var map = L.map(element, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });

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
    return { className: "region-child", color: "#1f4e79", weight: 1.5, fillColor: "#90caf9", fillOpacity: 0.35 };
  }

  function draw(collection) {
    var children = collection.features.filter(function (feature) {
      return feature.properties.role === "child";
    });
    var permanentLabels = children.length <= PERMANENT_LABELS_UP_TO;
    var layer = L.geoJSON(collection, {
      style: styleOf,
      onEachFeature: function (feature, path) {
        if (feature.properties.role !== "child") {
          return;
        }
        path.bindTooltip(feature.properties.name, {
          permanent: permanentLabels,
          direction: "center",
          className: "region-label",
        });
        path.on("click", function () {
          window.location.assign(feature.properties.url);
        });
        path.on("mouseover", function () { path.setStyle({ fillOpacity: 0.6 }); });
        path.on("mouseout", function () { path.setStyle({ fillOpacity: 0.35 }); });
      },
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
    } else {
      map.setView([0, 0], 1);
      showMessage(element.dataset.emptyText);
    }
    element.dataset.childCount = String(children.length);
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
