// The log form: show the client questions only for client relationships, and the discharge
// date only for a discharged client. The server renders the form in the state this script keeps
// it in (RequestLogForm.visible_client_fields), so the script only reacts to changes and nothing
// moves as the page loads. Without script every field shows (base.html's <noscript> stylesheet)
// and the server checks the answers.
(function () {
  "use strict";

  function ready() {
    var relationship = document.getElementById("id_relationship");
    var clientFields = document.getElementById("client-fields");
    var discharged = document.getElementById("discharged-field");
    if (!relationship || !clientFields) {
      return;
    }
    var clientRelationships = (clientFields.getAttribute("data-client-relationships") || "").split(" ");
    function statusValue() {
      var checked = clientFields.querySelector("input[name=client_status]:checked");
      return checked ? checked.value : "";
    }
    function update() {
      var isClient = clientRelationships.indexOf(relationship.value) !== -1;
      clientFields.hidden = !isClient;
      if (discharged) {
        discharged.hidden = !(isClient && (statusValue() === "discharged" || relationship.value === "former_client"));
      }
    }
    relationship.addEventListener("change", update);
    clientFields.addEventListener("change", update);
    // A no-op on a fresh page (the server's state is this state); it matters only when the browser
    // restored earlier answers, going back to the page.
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
