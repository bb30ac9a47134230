/* The case pages' small enhancements; every page works without them.
   - the report form: a two-level category select, the phone's position, a map to tap;
   - the case page: the case's point on a plain map (no tile layer: nothing leaves the intranet);
   - the queue: select all; every form: one submission per tap. */
(function () {
  "use strict";

  function showJsOnly(root) {
    root.querySelectorAll(".js-only[hidden]").forEach(function (element) {
      element.hidden = false;
    });
  }

  /* Two-level category: a select of top-level groups filters the (grouped) category select. */
  function twoLevelCategory() {
    var group = document.querySelector("[data-category-group]");
    var select = document.getElementById("id_category");
    if (!group || !select) {
      return;
    }
    var groups = Array.prototype.slice.call(select.querySelectorAll("optgroup"));
    var placeholder = select.querySelector("option[value='']");
    groups.forEach(function (optgroup, index) {
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = optgroup.label;
      group.appendChild(option);
    });
    function apply() {
      var chosen = groups[Number(group.value)];
      groups.forEach(function (optgroup) {
        var on = optgroup === chosen;
        optgroup.hidden = !on;
        optgroup.disabled = !on;
      });
      if (!chosen) {
        return;
      }
      var current = select.selectedOptions[0];
      if (!current || current.parentElement !== chosen) {
        var options = chosen.querySelectorAll("option");
        select.value = options.length === 1 ? options[0].value : placeholder ? "" : options[0].value;
      }
    }
    var selected = select.selectedOptions[0];
    if (selected && selected.parentElement && selected.parentElement.tagName === "OPTGROUP") {
      group.value = String(groups.indexOf(selected.parentElement));
    }
    group.addEventListener("change", apply);
    apply();
  }

  function plainMap(element) {
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
    if (window.gridgovMapTiles) { window.gridgovMapTiles(map); }
    return map;
  }

  function outline(map, url, fit) {
    if (!url) {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: { color: "#1f4e79", weight: 1.5, fillColor: "#90caf9", fillOpacity: 0.2 },
          interactive: false,
        }).addTo(map);
        if (fit && layer.getBounds().isValid()) {
          map.fitBounds(layer.getBounds(), { padding: [4, 4] });
        }
      })
      .catch(function () {
        /* The outline is decoration: the point is what matters. */
      });
  }

  /* The report form: position from the phone, or a tap on the map. */
  function reportLocation() {
    var latInput = document.getElementById("id_latitude");
    var lngInput = document.getElementById("id_longitude");
    if (!latInput || !lngInput) {
      return;
    }
    var element = document.getElementById("report-map");
    var map = null;
    var marker = null;
    function place(lat, lng, move) {
      latInput.value = lat.toFixed(6);
      lngInput.value = lng.toFixed(6);
      if (map) {
        if (marker) {
          marker.setLatLng([lat, lng]);
        } else {
          marker = L.circleMarker([lat, lng], { radius: 8, color: "#b71c1c", fillOpacity: 0.8 }).addTo(map);
        }
        if (move) {
          map.setView([lat, lng], Math.max(map.getZoom() || 0, 14));
        }
      }
    }
    if (element && window.L) {
      map = plainMap(element);
      map.setView([34.3, 107.9], 9);
      outline(map, element.dataset.geojsonUrl, true);
      map.on("click", function (event) {
        place(event.latlng.lat, event.latlng.lng, false);
      });
      var lat = parseFloat(latInput.value);
      var lng = parseFloat(lngInput.value);
      if (!isNaN(lat) && !isNaN(lng)) {
        place(lat, lng, true);
      }
    }
    var button = document.querySelector("[data-locate]");
    var status = document.querySelector("[data-locate-status]");
    if (!button || !navigator.geolocation) {
      if (button) {
        button.hidden = true;
      }
      return;
    }
    button.addEventListener("click", function () {
      status.textContent = button.dataset.locatingText;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          place(position.coords.latitude, position.coords.longitude, true);
          status.textContent = button.dataset.foundText;
        },
        function () {
          status.textContent = button.dataset.failedText;
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  /* The case page: its point, and the grid around it when the viewer may see the grid. */
  function caseMap() {
    var element = document.getElementById("case-map");
    if (!element || !window.L) {
      return;
    }
    var lat = parseFloat(element.dataset.lat);
    var lng = parseFloat(element.dataset.lng);
    if (isNaN(lat) || isNaN(lng)) {
      return;
    }
    var map = plainMap(element);
    map.setView([lat, lng], 15);
    outline(map, element.dataset.outlineUrl, false);
    L.circleMarker([lat, lng], { radius: 8, color: "#b71c1c", fillOpacity: 0.8 }).addTo(map);
    element.classList.add("is-loaded");
  }

  function selectAll() {
    document.querySelectorAll("[data-select-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        var form = box.closest("form");
        form.querySelectorAll("input[name='cases']").forEach(function (item) {
          item.checked = box.checked;
        });
      });
    });
  }

  /* One submission per tap; the server's Idempotency-Key handling is what makes it safe. */
  function submitOnce() {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.submitting) {
          event.preventDefault();
          return;
        }
        form.dataset.submitting = "1";
        window.setTimeout(function () {
          delete form.dataset.submitting;
        }, 10000);
      });
    });
  }

  // The report form's place search: a result chosen fills the form's region; Enter in the
  // search box searches rather than submitting the report half filled.
  function placeSearch() {
    var box = document.querySelector("[data-place-search]");
    if (!box) {
      return;
    }
    var codeInput = box.querySelector("[data-place-code-input]");
    var chosen = box.querySelector("[data-place-chosen]");
    var chosenLabel = box.querySelector("[data-place-chosen-label]");
    var query = box.querySelector("input[type='search']");
    var results = box.querySelector("#place-results");
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    results.addEventListener("click", function (event) {
      var button = event.target.closest("[data-place-code]");
      if (!button) {
        return;
      }
      codeInput.value = button.dataset.placeCode;
      chosenLabel.textContent = button.dataset.placeLabel;
      chosen.hidden = false;
      results.innerHTML = "";
      query.value = "";
    });
  }

  // An assignee picker with many people narrows to those whose name, role or place holds what
  // is typed, and chooses the first of them.
  function filterOptions() {
    document.querySelectorAll("[data-filter-options]").forEach(function (input) {
      var select = document.getElementById(input.dataset.filterOptions);
      if (!select) {
        return;
      }
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        var first = null;
        Array.prototype.forEach.call(select.options, function (option) {
          if (!option.value) {
            return;
          }
          var match = !needle || option.text.toLowerCase().indexOf(needle) !== -1;
          option.hidden = !match;
          option.disabled = !match;
          if (match && first === null) {
            first = option;
          }
        });
        var chosen = select.options[select.selectedIndex];
        if (needle && first !== null && (!chosen || !chosen.value || chosen.disabled)) {
          select.value = first.value;
        }
      });
    });
  }

  // A lookup that answers 400 (a half-typed phone, an over-long query) still shows its message.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.elt;
    if (event.detail.xhr.status === 400 && target && target.hasAttribute("data-swap-errors")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  showJsOnly(document);
  twoLevelCategory();
  reportLocation();
  placeSearch();
  filterOptions();
  caseMap();
  selectAll();
  submitOnce();
  document.body.addEventListener("htmx:afterSwap", function () {
    selectAll();
  });
})();
