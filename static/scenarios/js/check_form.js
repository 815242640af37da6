// "Before I do it": show the question a kind adds (a safety concern, written consent) only while
// that kind is chosen. The server renders the same state, so nothing moves as the page loads;
// without script, sending the form brings the question back for the kind chosen.
(function () {
  "use strict";
  var QUESTIONS = { "check-safety": "look_up_client", "check-consent": "post_photo" };

  function ready() {
    var kinds = document.querySelectorAll("input[name=kind]");
    if (!kinds.length) {
      return;
    }
    function chosen() {
      var checked = document.querySelector("input[name=kind]:checked");
      return checked ? checked.value : "";
    }
    function update() {
      Object.keys(QUESTIONS).forEach(function (id) {
        var wrapper = document.getElementById(id);
        if (wrapper) {
          wrapper.hidden = chosen() !== QUESTIONS[id];
        }
      });
    }
    Array.prototype.forEach.call(kinds, function (input) {
      input.addEventListener("change", update);
    });
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
