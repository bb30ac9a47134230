// The delivery page replaces its figures every few seconds while a message is on its way
// (htmx): a folded list the reader opened would close at each refresh, so it is opened again.
(function () {
  "use strict";
  var opened = {};
  // "toggle" does not bubble: listen in the capture phase to hear it from any <details>.
  document.addEventListener(
    "toggle",
    function (event) {
      var details = event.target;
      if (details instanceof HTMLDetailsElement && details.dataset.keepOpen) {
        opened[details.dataset.keepOpen] = details.open;
      }
    },
    true
  );
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("details[data-keep-open]").forEach(function (details) {
      if (opened[details.dataset.keepOpen]) {
        details.open = true;
      }
    });
  });
})();
