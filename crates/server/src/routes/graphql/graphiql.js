// Starts GraphiQL on Frontier's /graphiql page. Served from the binary as
// /graphiql/assets/frontier-graphiql.<hash>.js (see graphiql.rs); React, ReactDOM and GraphiQL are
// loaded before it by the page. The endpoint comes from the page (it depends on the path prefix).
(function () {
  'use strict';

  var DEFAULT_QUERY = [
    '# Frontier · GraphiQL',
    '#',
    '# Reading published content needs no login.',
    '# To log in:',
    '#  1. Run, with your e-mail and password:',
    '#     mutation {',
    '#       login(email: "…", password: "…") {',
    '#         accessToken refreshToken',
    '#       }',
    '#     }',
    '#  2. Copy the accessToken. In Headers (below),',
    '#     paste {"Authorization": "Bearer …"}',
    '#     with the token in place of "…".',
    '#  3. When it has expired, run',
    '#     refresh(refreshToken: "…") the same way',
    '#     and paste the new accessToken.',
    '#',
    '#',
    '# Subscriptions (the live feed) take the same',
    '# Headers; their events appear one by one:',
    '#     subscription {',
    '#       scanRecorded(unit: "…") {',
    '#         occurredAt scannedCode device',
    '#       }',
    '#     }',
    '#',
    '# Ctrl+Enter runs, Ctrl+Space completes; the',
    '# book icon (top left) opens the documentation.',
    '',
    '{',
    '  articles(first: 5) {',
    '    totalCount',
    '    edges { node { slug title } }',
    '  }',
    '}',
    '',
  ].join('\n');

  var root = document.getElementById('graphiql');
  // Subscriptions go over a websocket (graphql-transport-ws, GraphiQL's bundled graphql-ws client);
  // GraphiQL sends the Headers editor's object as the connection_init payload. An HTTPS page may
  // only open wss:.
  var socket = root.getAttribute('data-subscription-endpoint');
  if (window.location.protocol === 'https:') {
    socket = socket.replace(/^ws:/, 'wss:');
  }
  var fetcher = GraphiQL.createFetcher({
    url: root.getAttribute('data-endpoint'),
    subscriptionUrl: socket,
    // The API has no @defer/@stream: plain JSON requests and answers.
    enableIncrementalDelivery: false,
  });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: DEFAULT_QUERY,
      // The header editor carries the bearer token: keep it enabled and open.
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: 'headers',
      // A token stays in this tab only, never in the browser's storage.
      shouldPersistHeaders: false,
    }),
  );
})();
