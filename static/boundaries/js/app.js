// Boundaries behaviour that needs script: kept here so pages carry no inline script.
(function () {
  "use strict";
  // htmx sends the CSRF token with every request it makes.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });
  // A form sent back with its errors answers 422: swap it in place, like a success, so the
  // message shows by the field and what was typed stays (htmx leaves 4xx answers unswapped).
  if (window.htmx) {
    window.htmx.config.responseHandling.unshift({ code: "422", swap: true, error: false });
  }
  // Any button or link marked data-print opens the print dialog.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-print]");
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
