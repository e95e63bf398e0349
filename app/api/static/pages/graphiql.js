// GraphiQL on the service's GraphQL endpoint, opened on an example query with the headers tab
// showing where the bearer token goes. A static file, so the page's CSP needs no 'unsafe-inline'.
"use strict";
(function () {
  const root = document.getElementById("graphiql");
  const NO_TOKEN = {
    errors: [{ message: "No token yet: paste one into the Headers tab (print one with `tandem token`)." }],
  };
  let token = null; // the token the schema was last loaded with

  function bearerToken(headers) {
    for (const [name, value] of Object.entries(headers || {})) {
      const match = name.toLowerCase() === "authorization" && /^Bearer ([^\s<>]+)$/.exec(String(value));
      if (match) return match[1];
    }
    return null;
  }

  // Without a token every request would be a 401: say what is missing instead of sending it.
  function newFetcher() {
    const send = GraphiQL.createFetcher({ url: root.dataset.endpoint });
    return (params, options) => (bearerToken(options && options.headers) ? send(params, options) : Promise.resolve(NO_TOKEN));
  }

  // A new fetcher makes GraphiQL load the schema again, now with the pasted token.
  function onEditHeaders(text) {
    let pasted = null;
    try {
      pasted = bearerToken(JSON.parse(text));
    } catch (_) {
      return; // still typing
    }
    if (pasted && pasted !== token) {
      token = pasted;
      render(newFetcher());
    }
  }

  const app = ReactDOM.createRoot(root);
  function render(fetcher) {
    app.render(
      React.createElement(GraphiQL, {
        fetcher: fetcher,
        defaultQuery: root.dataset.query,
        defaultHeaders: root.dataset.headers,
        defaultEditorToolsVisibility: "headers",
        onEditHeaders: onEditHeaders,
      }),
    );
  }
  render(newFetcher());
})();
