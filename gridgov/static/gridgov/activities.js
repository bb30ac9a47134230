/* The activities' pages: a patrol's "check in here" and "report a problem" take the phone's
   position (the server checks it lies in the worker's grid); the log form shows the fields of
   the kind chosen. */
(function () {
  "use strict";

  function locateInto(form, then) {
    var status = form.querySelector("[data-geo-status]");
    var lat = form.querySelector("input[name=latitude]");
    var lng = form.querySelector("input[name=longitude]");
    var accuracy = form.querySelector("input[name=accuracy_m]");
    if (!navigator.geolocation) {
      if (status) {
        status.textContent = form.dataset.noGeoText || "";
      }
      return;
    }
    if (status) {
      status.textContent = form.dataset.locatingText || "";
    }
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lng.value = position.coords.longitude.toFixed(6);
        if (accuracy && position.coords.accuracy) {
          accuracy.value = Math.round(position.coords.accuracy);
        }
        if (status) {
          status.textContent = form.dataset.foundText || "";
        }
        then();
      },
      function () {
        if (status) {
          status.textContent = form.dataset.failedText || "";
        }
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 }
    );
  }

  /* A form marked data-geo: on submit, take the position first, then send. */
  document.querySelectorAll("form[data-geo]").forEach(function (form) {
    var located = false;
    form.addEventListener("submit", function (event) {
      if (located) {
        return;
      }
      event.preventDefault();
      locateInto(form, function () {
        located = true;
        form.submit();
      });
    });
  });

  /* The log form: school and lecturer for law education, the file for a mediation. */
  var kind = document.getElementById("id_kind");
  if (kind) {
    var only = document.querySelectorAll("[data-only-for]");
    var show = function () {
      only.forEach(function (element) {
        element.hidden = element.dataset.onlyFor.split(" ").indexOf(kind.value) === -1;
      });
    };
    kind.addEventListener("change", show);
    show();
  }
})();
