/* The hall's big screen: every 30 s it fetches the summary API and redraws its figures and
   charts in place (no reload); the map of the children is drawn once. */
(function () {
  "use strict";
  var body = document.body;
  var REFRESH_MS = 30000;
  var TEXT = { color: "#e6edf3", fontSize: 18 };
  var charts = {};

  function chart(id) {
    var element = document.getElementById(id);
    if (!element || !window.echarts) { return null; }
    if (!charts[id]) { charts[id] = window.echarts.init(element, null, { renderer: "canvas" }); }
    return charts[id];
  }

  function percent(value) { return value === null || value === undefined ? "–" : Math.round(value * 100) + "%"; }

  function showFigures(data) {
    var list = document.getElementById("screen-figures");
    Object.keys(data.totals).forEach(function (key) {
      var item = list.querySelector('[data-figure="' + key + '"] .count');
      if (item) { item.textContent = String(data.totals[key].value); }
    });
    var onTime = list.querySelector('[data-figure="on_time"] .count');
    if (onTime) { onTime.textContent = percent(data.on_time.value); }
    var updated = document.getElementById("screen-updated");
    if (updated && data.updated_at) {
      var seconds = Math.max(0, Math.round((Date.now() - Date.parse(data.updated_at)) / 1000));
      updated.textContent = (body.getAttribute("data-updated-text") || "").replace("{seconds}", String(seconds));
    }
  }

  function showCharts(data) {
    var trend = chart("screen-trend");
    if (trend) {
      trend.setOption({
        grid: { left: 50, right: 10, top: 10, bottom: 30 },
        textStyle: TEXT,
        xAxis: { type: "category", data: data.trend.map(function (p) { return p[0].slice(5); }), axisLabel: { color: "#9fb3c8" } },
        yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#9fb3c8" }, splitLine: { lineStyle: { color: "#24405f" } } },
        series: [{ name: body.getAttribute("data-received-text"), type: "line", smooth: true, areaStyle: { opacity: 0.3 }, data: data.trend.map(function (p) { return p[1]; }) }],
      });
    }
    var levels = chart("screen-levels");
    if (levels) {
      levels.setOption({
        textStyle: TEXT,
        series: [{ type: "pie", radius: ["40%", "70%"], label: { color: "#e6edf3", fontSize: 18, formatter: "{b}\n{d}%" },
          data: data.where_resolved.map(function (r) { return { name: r.of.label, value: r.of.value }; }) }],
      });
    }
    var categories = chart("screen-categories");
    if (categories) {
      var tops = data.by_category.slice(0, 6).reverse();
      categories.setOption({
        grid: { left: 130, right: 20, top: 5, bottom: 20 },
        textStyle: TEXT,
        xAxis: { type: "value", minInterval: 1, axisLabel: { color: "#9fb3c8" }, splitLine: { lineStyle: { color: "#24405f" } } },
        yAxis: { type: "category", data: tops.map(function (t) { return t[0].label; }), axisLabel: { color: "#e6edf3", fontSize: 16 } },
        series: [{ type: "bar", data: tops.map(function (t) { return t[0].value; }), itemStyle: { color: "#ffb74d" } }],
      });
    }
  }

  function showRisks(data) {
    var panel = document.getElementById("screen-risks");
    if (!panel || !data.risks) { return; }
    panel.querySelector(".count").textContent = String(data.risks.count);
    var list = panel.querySelector(".risk-items");
    list.textContent = "";
    data.risks.items.forEach(function (risk) {
      var item = document.createElement("li");
      var level = document.createElement("span");
      level.className = "risk-level risk-level-" + risk.level;
      level.textContent = risk.level_label;
      item.appendChild(level);
      item.appendChild(document.createTextNode(" " + risk.title + " · " + risk.place));
      list.appendChild(item);
    });
  }

  function refresh() {
    return fetch(body.getAttribute("data-summary-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
      .then(function (data) { showFigures(data); showCharts(data); showRisks(data); body.setAttribute("data-refreshed", String(Date.now())); })
      .catch(function () { body.setAttribute("data-refresh-failed", String(Date.now())); });
  }

  function drawMap() {
    var element = document.getElementById("screen-map");
    if (!element || !window.L) { return; }
    var map = L.map(element, { attributionControl: false, zoomControl: false, zoomSnap: 0.25 });
    if (window.gridgovMapTiles) { window.gridgovMapTiles(map); }
    var colours = ["#1b3a5c", "#2e6a9e", "#f0a030", "#e8590c", "#c92a2a"];
    fetch(body.getAttribute("data-map-url"), { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
      .then(function (collection) {
        var values = collection.features.map(function (f) { return f.properties.open_per_thousand || 0; });
        var max = Math.max.apply(null, values.concat([0])) || 1;
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            var value = feature.properties.open_per_thousand || 0;
            var index = Math.min(colours.length - 1, Math.floor(value / max * (colours.length - 0.001)));
            return { color: "#90caf9", weight: 1, fillOpacity: 0.8, fillColor: colours[index] };
          },
          onEachFeature: function (feature, path) {
            path.bindTooltip(document.createTextNode(feature.properties.name), { permanent: true, direction: "center", className: "screen-label" });
          },
        }).addTo(map);
        if (collection.features.length) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); }
      })
      .catch(function () { element.setAttribute("data-failed", "1"); });
  }

  drawMap();
  refresh();
  window.setInterval(refresh, REFRESH_MS);
  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (id) { charts[id].resize(); }); });
})();
