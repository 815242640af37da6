// The walk-through: each box autosaves a moment after it is left (htmx, hx-trigger in
// templates/scenarios/_step.html). When its phase's button is pressed first, the phase's own save
// carries every box, so a pending autosave is dropped rather than sent alongside it.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-walk-phase]")) {
      form.dataset.submitting = "true";
    }
  });
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.target.closest && event.target.closest("form[data-walk-phase]");
    if (form && form.dataset.submitting === "true") {
      event.preventDefault();
    }
  });
})();
