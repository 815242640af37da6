// The idle warning: a minute before the session ends, offer to stay signed in; when it has ended,
// go to the sign-in page (which says why). Configured by data- attributes on #session-timeout.
// Before warning or leaving it asks the server how long is left (asking isn't activity), so
// work in another tab keeps this one signed in too.
(function () {
  "use strict";
  var box = document.getElementById("session-timeout");
  if (!box || !window.fetch) {
    return;
  }
  var warningSeconds = Number(box.dataset.warningSeconds) || 60;
  var stay = box.querySelector("[data-session-stay]");
  var idleText = box.querySelector("[data-session-idle]");
  var limitText = box.querySelector("[data-session-limit]");
  var timer = null;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function signIn() {
    var next = window.location.pathname + window.location.search;
    window.location.assign(box.dataset.signInUrl + "?next=" + encodeURIComponent(next));
  }

  function later(seconds, then) {
    window.clearTimeout(timer);
    timer = window.setTimeout(then, Math.max(0, seconds) * 1000);
  }

  function hideWarning() {
    box.hidden = true;
  }

  function showWarning(status) {
    var atLimit = status.ends === "limit";
    idleText.hidden = atLimit;
    limitText.hidden = !atLimit;
    stay.hidden = atLimit;
    // Announced by its role="alert"; focus stays where it is, so nobody's typing is taken over.
    box.hidden = false;
  }

  // Decide from the server's answer: carry on quietly, warn, or leave.
  function follow(status) {
    if (!status.signed_in || status.seconds_left <= 0) {
      signIn();
      return;
    }
    if (status.seconds_left > warningSeconds + 2) {
      hideWarning();
      later(status.seconds_left - warningSeconds, check);
      return;
    }
    showWarning(status);
    later(status.seconds_left + 1, check);
  }

  function ask(url, options) {
    return window.fetch(url, options).then(function (response) {
      return response.json();
    });
  }

  function check() {
    ask(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(follow)
      .catch(function () {
        later(15, check); // offline for a moment: ask again soon
      });
  }

  stay.addEventListener("click", function () {
    ask(box.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": csrfToken()}
    }).then(follow).catch(check);
  });

  later(Number(box.dataset.secondsLeft) - warningSeconds, check);
})();
