// Starts Swagger UI on /api/v1/docs from a file, so the page needs no inline script (strict CSP).
//
// Swagger UI's own layout puts its operations in a <main> of their own, and jumps from the API's
// title (a heading level 1) to each tag (level 3). Our page already has its one <main>, so the
// layout below is Swagger UI's BaseLayout with two changes: the operations sit in a <div>, and a
// level 2 heading ("Operations", visually hidden) comes before the tags. While the document is
// loading, or when it fails, Swagger UI's own layout draws the message as it always does.
// Swagger UI is pinned with drf-spectacular-sidecar: on an upgrade, compare with its BaseLayout.
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

  function BoundariesLayoutPlugin(system) {
    return {
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
    });
  });
})();
