// The log form: show the client questions only for client relationships, and the discharge
// date only for a discharged client. Without script every field shows and the server checks.
(function () {
  "use strict";
  var CLIENT_RELATIONSHIPS = ["current_client", "client_family", "former_client"];

  function ready() {
    var relationship = document.getElementById("id_relationship");
    var clientFields = document.getElementById("client-fields");
    var discharged = document.getElementById("div_id_discharged_on");
    var note = document.getElementById("client-fields-note");
    if (!relationship || !clientFields) {
      return;
    }
    function statusValue() {
      var checked = clientFields.querySelector("input[name=client_status]:checked");
      return checked ? checked.value : "";
    }
    function update() {
      var isClient = CLIENT_RELATIONSHIPS.indexOf(relationship.value) !== -1;
      clientFields.hidden = !isClient;
      if (note) {
        note.hidden = true;
      }
      if (discharged) {
        discharged.hidden = !(isClient && (statusValue() === "discharged" || relationship.value === "former_client"));
      }
    }
    relationship.addEventListener("change", update);
    clientFields.addEventListener("change", update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
