// Starts Swagger UI on /api/v1/docs from a file, so the page needs no inline script (strict CSP).
//
// Swagger UI's own layout puts its operations in a <main> of their own, and jumps from the API's
// title (a heading level 1) to each tag (level 3). Our page already has its one <main>, so the
// layout below is Swagger UI's BaseLayout with two changes: the operations sit in a <div>, and a
// level 2 heading ("Operations", visually hidden) comes before the tags. While the document is
// loading, or when it fails, Swagger UI's own layout draws the message as it always does.
// Swagger UI is pinned with drf-spectacular-sidecar: on an upgrade, compare with its BaseLayout, and
// check the accessibility fixes below (they lean on its component names and markup) with the browser test.
(function () {
  "use strict";

  function BoundariesLayout(props) {
    var specSelectors = props.specSelectors;
    var getComponent = props.getComponent;
    var h = props.React.createElement;
    var status = specSelectors.loadingStatus();
    if (status === "loading" || status === "failed" || status === "failedConfig" || !specSelectors.specStr()) {
      return h(getComponent("BaseLayout", true));
    }
    var SvgAssets = getComponent("SvgAssets");
    var InfoContainer = getComponent("InfoContainer", true);
    var VersionPragmaFilter = getComponent("VersionPragmaFilter");
    var Operations = getComponent("operations", true);
    var Models = getComponent("Models", true);
    var Webhooks = getComponent("Webhooks", true);
    var Row = getComponent("Row");
    var Col = getComponent("Col");
    var Errors = getComponent("errors", true);
    var ServersContainer = getComponent("ServersContainer", true);
    var SchemesContainer = getComponent("SchemesContainer", true);
    var AuthorizeBtnContainer = getComponent("AuthorizeBtnContainer", true);
    var FilterContainer = getComponent("FilterContainer", true);

    var servers = specSelectors.servers();
    var schemes = specSelectors.schemes();
    var hasServers = servers && servers.size;
    var hasSchemes = schemes && schemes.size;
    var hasSecurity = !!specSelectors.securityDefinitions();
    var isOAS31 = specSelectors.isOAS31();

    return h("div", {className: "swagger-ui"},
      h(SvgAssets),
      h(VersionPragmaFilter, {
        isSwagger2: specSelectors.isSwagger2(), isOAS3: specSelectors.isOAS3(), isOAS31: isOAS31,
        isOAS32: specSelectors.isOAS32 ? specSelectors.isOAS32() : false, alsoShow: h(Errors),
      },
        h(Errors),
        h(Row, {className: "information-container"}, h(Col, {mobile: 12}, h(InfoContainer))),
        hasServers || hasSchemes || hasSecurity ? h("div", {className: "scheme-container"},
          // Swagger UI's Authorize dialog opens in here with its own level 3 and 4 headings: a level 2
          // heading first keeps the outline stepping down one level at a time (axe: heading-order).
          h("h2", {className: "visually-hidden"},
            hasServers || hasSchemes ? "Servers and authorization" : "Authorization"),
          h(Col, {className: "schemes wrapper", mobile: 12},
            hasServers || hasSchemes ? h("div", {className: "schemes-server-container"},
              hasServers ? h(ServersContainer) : null,
              hasSchemes ? h(SchemesContainer) : null) : null,
            hasSecurity ? h(AuthorizeBtnContainer) : null)) : null,
        h(FilterContainer),
        h("div", {id: "operations", className: "api-reference-operations", tabIndex: "-1"},
          h("h2", {className: "visually-hidden"}, "Operations"),
          h(Row, null, h(Col, {mobile: 12, desktop: 12}, h(Operations))),
          isOAS31 ? h(Row, {className: "webhooks-container"}, h(Col, {mobile: 12, desktop: 12}, h(Webhooks))) : null,
          h(Row, null, h(Col, {mobile: 12, desktop: 12}, h(Models))))));
  }

  // Without deep linking Swagger UI still wraps each tag and path in an <a> with no href, which is no
  // link at all (and Lighthouse counts it as one it cannot crawl). Deep links would give them an href,
  // but then a link sits inside the button that opens the operation. So: plain text, as it reads.
  function DeepLink(h, props) {
    if (props.enabled) {
      return h("a", {className: "nostyle", href: "#/" + props.path, onClick: function (e) { e.preventDefault(); }},
        h("span", null, props.text));
    }
    return h("span", {className: "nostyle"}, h("span", null, props.text));
  }

  // Swagger UI's own components, wrapped where a prop is all it takes.
  function accessibleWrappers(h) {
    return {
      // "Authorize" and "Logout" in the Authorize dialog carry aria-labels ("Apply credentials",
      // "Remove authorization") without the words shown on them, so someone using speech input who says
      // "click Authorize" misses (axe: label-content-name-mismatch). Their visible text names them.
      Button: function (Original) {
        return function (props) {
          var label = props["aria-label"];
          var text = props.children;
          if (typeof label === "string" && typeof text === "string" &&
              label.toLowerCase().indexOf(text.toLowerCase()) === -1) {
            props = Object.assign({}, props, {"aria-label": undefined});
          }
          return h(Original, props);
        };
      },
      // The dialog's bearer token field is labelled by its own id ("auth-bearer-value"), hiding its
      // <label for> ("Value:"): let the label name it.
      Input: function (Original) {
        return function (props) {
          if (props.id && props["aria-label"] === props.id) {
            props = Object.assign({}, props, {"aria-label": undefined});
          }
          return h(Original, props);
        };
      },
      // The dialog's close button holds only this icon, hidden from assistive technology, so the button
      // had no name (axe: button-name). The icon is used nowhere else.
      CloseIcon: function (Original) {
        return function (props) {
          return h("span", null, h(Original, props), h("span", {className: "visually-hidden"}, "Close"));
        };
      },
    };
  }

  // Where Swagger UI offers no hook (its own markup, drawn as operations open and "Try it out" is
  // pressed), add what it leaves out. Run on every redraw; each step skips elements already mended,
  // and setting attributes doesn't wake the observer again.
  function mend(root) {
    // An enum parameter is a <select> with no label at all: name it after its parameter, as its row
    // shows it (axe: select-name).
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", select.closest("tr").getAttribute("data-param-name"));
    });
    // Each open operation's responses table is a role="region" landmark with no name, so two open
    // operations give two landmarks no one can tell apart: name each after its operation
    // (axe: landmark-unique).
    root.querySelectorAll("table.responses-table[role=region]:not([aria-label])").forEach(function (table) {
      var operation = table.closest(".opblock");
      var method = operation && operation.querySelector(".opblock-summary-method");
      var path = operation && operation.querySelector(".opblock-summary-path");
      table.setAttribute("aria-label", ["Responses of", method && method.textContent,
        path && path.getAttribute("data-path")].filter(Boolean).join(" "));
    });
    // Examples and response bodies scroll (swagger-ui.css caps them at 400px) but hold nothing
    // focusable, so a keyboard could not scroll them: make each a tab stop (axe: scrollable-region-focusable).
    root.querySelectorAll(".highlight-code > pre:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
    });
  }

  function BoundariesLayoutPlugin(system) {
    return {
      wrapComponents: accessibleWrappers(system.React.createElement),
      components: {
        BoundariesLayout: function (props) {
          return BoundariesLayout(Object.assign({React: system.React}, props));
        },
        DeepLink: function (props) {
          return DeepLink(system.React.createElement, props);
        },
      },
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("swagger-ui");
    window.SwaggerUIBundle({
      url: root.dataset.specUrl,
      dom_id: "#swagger-ui",
      presets: [window.SwaggerUIBundle.presets.apis],
      plugins: [BoundariesLayoutPlugin],
      layout: "BoundariesLayout",
      deepLinking: false,
      persistAuthorization: false,
      // Swagger UI's default code theme ("agate") draws numbers in #d36363 on #333, 3.4:1 (axe:
      // color-contrast). "idea" meets 4.5:1 for everything JSON and curl commands hold (only its
      // comments fall short, and neither has any).
      syntaxHighlight: {activated: true, theme: "idea"},
    });
    mend(root);
    new MutationObserver(function () { mend(root); }).observe(root, {childList: true, subtree: true});
  });
})();
