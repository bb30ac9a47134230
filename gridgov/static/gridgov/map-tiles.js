// Base-map tiles under a Leaflet map, when the deployment configures them (the page's body
// carries the URL template); without them the maps draw the region outlines alone.
window.gridgovMapTiles = function (map) {
  var template = document.body.getAttribute("data-map-tiles");
  if (!template || !window.L) {
    return;
  }
  L.tileLayer(template, {
    subdomains: "01234567",
    maxZoom: 18,
    attribution: document.body.getAttribute("data-map-attribution") || "",
  }).addTo(map);
  if (document.body.getAttribute("data-map-attribution")) {
    map.attributionControl ? map.attributionControl.addTo(map) : L.control.attribution().addTo(map);
  }
};
