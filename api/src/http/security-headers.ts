import type { ServerResponse } from 'node:http';

// The same policy as infra/nginx (its $ta_csp map and add_header lines): the slim mode has no nginx.
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

// GraphiQL's page (Yoga's, until issue 19 bundles it) loads exactly this: its script, style sheet
// and editor workers from unpkg (the workers fetched, then run from blob: URLs), two inline
// scripts, inline styles, its favicon from GitHub, and talks to /graphql (HTTP and WebSocket).
const GRAPHIQL_CDN = 'https://unpkg.com/@graphql-yoga/';
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  `script-src 'unsafe-inline' ${GRAPHIQL_CDN}`,
  `style-src 'unsafe-inline' ${GRAPHIQL_CDN}`,
  `font-src data: ${GRAPHIQL_CDN}`,
  "img-src 'self' data: blob: https://raw.githubusercontent.com/graphql-hive/",
  `connect-src 'self' ${GRAPHIQL_CDN}`,
  'worker-src blob:',
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': APP_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** Before any route answers: a route's own value (a download's sandbox policy) replaces these. */
export function setSecurityHeaders(res: ServerResponse): void {
  for (const name in SECURITY_HEADERS) res.setHeader(name, SECURITY_HEADERS[name]!);
}
