/**
 * The fast paths: code that replaces a stock library path for speed, and nothing else. The rest
 * of the server imports them from here only, and `FAST_PATHS=off` runs the stock paths instead
 * (everything that is behaviour, not speed — auth, CSRF, limits, keepalive, audit — lives
 * outside this folder and holds in both modes).
 *
 * - `graphql-fast-path.ts` replaces Yoga's Fetch-API request handling for a POSTed JSON query or
 *   mutation (it executes through `yoga.getEnveloped`, so every plugin still applies), and
 *   `json-body.ts` replaces Yoga's size-limiting body stream (whatwg-node takes a pre-read
 *   `req.body`). Stock: Yoga's `requestListener` with its own body parsing.
 * - `ws-socket.ts` replaces graphql-ws's `makeServer`/`useServer`: each `next` is encoded once per
 *   result (`next-message.ts`, big strings escaped in WebAssembly by `json-escape.*`) and costs no
 *   promise unless the socket is backed up; its keepalive reads ws's private `_socket`.
 *   Stock: graphql-ws's `useServer` (`graphql-ws/use/ws`).
 * - `shared-events.ts` executes a shared stream's event once per document for every subscriber,
 *   with graphql-jit, masking with Yoga's private `maskedErrorsOpts`. Stock: Envelop runs each
 *   subscriber's event through graphql-js.
 * - `async-context.ts` patches `AsyncLocalStorage.prototype` so MikroORM's storages are disabled
 *   when idle (Node 20 otherwise keeps promise hooks on for good). Stock: no patch.
 * - `tally.ts` replaces prom-client's labelled `inc`/`observe` on every operation with a Map
 *   lookup read at scrape. Stock: prom-client's Counter and Histogram.
 * - `memo.ts` caches a value on an object under a symbol, for the two above that share results.
 *
 * `internals.test.ts` pins the private parts of the libraries these rely on.
 */
export { installAsyncContextSwitch } from './async-context.js';
export { createFastPath } from './graphql-fast-path.js';
export { BodyEndedError, MAX_JSON_BODY, readJsonBody } from './json-body.js';
export { SHARED_EVENTS, useSharedEvents } from './shared-events.js';
export { TallyHistogram, tallyCounter } from './tally.js';
export {
  serveGraphqlWs,
  type Connection,
  type Operation,
  type ProtocolOptions,
} from './ws-socket.js';
