/* The command centre's overview: the trend chart (ECharts), the sortable table of the region's
   children, the map of the children coloured by a chosen measure (click one to drill down), and
   the "updated N s ago" line, which keeps counting. No inline code: the data comes in
   <script type="application/json"> blocks and data attributes. */
(function () {
  "use strict";

  function trendChart() {
    var element = document.getElementById("trend-chart");
    var data = document.getElementById("trend-data");
    if (!element || !data || !window.echarts) {
      return;
    }
    var points = JSON.parse(data.textContent);
    var chart = window.echarts.init(element);
    chart.setOption({
      grid: { left: 40, right: 12, top: 12, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: points.map(function (p) { return p[0]; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: element.getAttribute("data-series-label") || "", type: "line", smooth: true, areaStyle: {}, data: points.map(function (p) { return p[1]; }) }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function sortableTable() {
    var table = document.getElementById("children-table");
    if (!table) {
      return;
    }
    var buttons = table.querySelectorAll("th button[data-sort]");
    buttons.forEach(function (button, column) {
      button.addEventListener("click", function () {
        var numeric = button.getAttribute("data-sort") === "number";
        var descending = button.getAttribute("aria-sort") !== "descending";
        buttons.forEach(function (other) { other.removeAttribute("aria-sort"); });
        button.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute("data-value");
          var y = b.cells[column].getAttribute("data-value");
          var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh");
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  var COLOURS = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];

  function map() {
    var element = document.getElementById("overview-map");
    var select = document.getElementById("map-measure");
    var legend = document.getElementById("map-legend");
    if (!element || !window.L) {
      return;
    }
    // maxZoom: the clusters break up down to it (the map may have no tiles that set one).
    var leaflet = L.map(element, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false, maxZoom: 18 });
    if (window.gridgovMapTiles) { window.gridgovMapTiles(leaflet); }
    var layer = null;
    var collection = null;

    function measure() { return select ? select.value : "open_per_thousand"; }

    function breaks(values) {
      var max = Math.max.apply(null, values.concat([0]));
      var steps = [];
      for (var i = 1; i <= COLOURS.length; i += 1) { steps.push(max * i / COLOURS.length); }
      return steps;
    }

    function colour(value, steps) {
      if (value === null || value === undefined) { return "#e4e7eb"; }
      for (var i = 0; i < steps.length; i += 1) { if (value <= steps[i]) { return COLOURS[i]; } }
      return COLOURS[COLOURS.length - 1];
    }

    function draw() {
      if (!collection) { return; }
      var name = measure();
      var values = collection.features.map(function (f) { return f.properties[name]; })
        .filter(function (v) { return v !== null && v !== undefined; });
      var steps = breaks(values);
      if (layer) { leaflet.removeLayer(layer); }
      layer = L.geoJSON(collection, {
        style: function (feature) {
          return { className: "region-child", color: "#1f4e79", weight: 1.2, fillOpacity: 0.75, fillColor: colour(feature.properties[name], steps) };
        },
        onEachFeature: function (feature, path) {
          var value = feature.properties[name];
          var shown = value === null || value === undefined ? "–" : (name === "on_time" ? Math.round(value * 100) + "%" : String(value));
          path.bindTooltip(document.createTextNode(feature.properties.name + ": " + shown));
          path.on("click", function () { window.location.href = feature.properties.href; });
        },
      }).addTo(leaflet);
      // The map has no view until it is fitted, and draws no path before then.
      if (collection.features.length) { leaflet.fitBounds(layer.getBounds(), { padding: [8, 8] }); }
      layer.eachLayer(function (path) {
        var el = path.getElement && path.getElement();
        if (el) { el.setAttribute("data-drill", path.feature.properties.code); }
      });
      if (legend) {
        legend.textContent = "";
        var low = 0;
        steps.forEach(function (high, i) {
          var item = document.createElement("span");
          item.className = "legend-item";
          var swatch = document.createElement("i");
          swatch.style.background = COLOURS[i];
          item.appendChild(swatch);
          var format = function (v) { return name === "on_time" ? Math.round(v * 100) + "%" : (Math.round(v * 10) / 10).toString(); };
          item.appendChild(document.createTextNode(format(low) + "–" + format(high)));
          legend.appendChild(item);
          low = high;
        });
      }
    }

    // The grids' open cases as points, gathered into clusters that show the sum of their cases
    // until zoomed in; a point opens the list of its grid's open cases.
    function cluster(points) {
      if (!L.markerClusterGroup || !points.length) { return; }
      var text = element.getAttribute("data-points-text") || "{name}: {count}";
      var group = L.markerClusterGroup({
        showCoverageOnHover: false,
        iconCreateFunction: function (c) {
          var total = c.getAllChildMarkers().reduce(function (sum, m) { return sum + m.options.open; }, 0);
          var size = total < 10 ? "small" : (total < 100 ? "medium" : "large");
          return L.divIcon({ html: "<div><span>" + total + "</span></div>", className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
        },
      });
      points.forEach(function (p) {
        var marker = L.marker([p.lat, p.lng], {
          open: p.open,
          icon: L.divIcon({ html: "<div><span>" + p.open + "</span></div>", className: "marker-cluster marker-cluster-small open-point", iconSize: L.point(30, 30) }),
        });
        marker.bindTooltip(document.createTextNode(text.replace("{name}", p.name).replace("{count}", String(p.open))));
        marker.on("click", function () { window.location.href = p.href; });
        group.addLayer(marker);
      });
      group.addTo(leaflet);
      element.setAttribute("data-points", String(points.length));
    }

    fetch(element.getAttribute("data-geojson-url"), { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
      .then(function (data) { collection = data; draw(); cluster(data.points || []); })
      .catch(function () {
        var message = document.createElement("p");
        message.className = "map-message";
        message.textContent = element.getAttribute("data-failed-text") || "";
        element.appendChild(message);
      });
    if (select) { select.addEventListener("change", draw); }
  }

  function staleness() {
    var element = document.getElementById("staleness");
    if (!element || element.getAttribute("data-age") === "") {
      return;
    }
    var started = Date.now();
    var age = parseInt(element.getAttribute("data-age"), 10);
    var template = element.textContent;
    var shown = String(age);
    window.setInterval(function () {
      var now = String(age + Math.floor((Date.now() - started) / 1000));
      element.textContent = template.replace(shown, now);
      template = element.textContent;
      shown = now;
    }, 1000);
  }

  trendChart();
  sortableTable();
  map();
  staleness();
})();
