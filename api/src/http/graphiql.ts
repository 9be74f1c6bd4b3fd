import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { GRAPHIQL_CSP, setSecurityHeaders } from './security-headers.js';
import { WEB_DIST } from './static-files.js';

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Tiny Agent GraphiQL</title>
<p>GraphiQL is part of the web build, which has not been made yet: run <code>npm run build</code>
(or <code>npm start</code>, which builds what is missing). The API itself answers at this address.</p>`;

/** A browser opening /graphql (a GET asking for HTML), as Yoga decided it: GraphiQL's page. */
export function wantsGraphiQL(req: IncomingMessage): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    String(req.headers.accept ?? '').includes('text/html')
  );
}

let cached: { mtimeMs: number; html: Buffer } | undefined;

/** web/dist/graphiql.html, re-read when a new build replaced it. */
function page(file: string): Buffer | undefined {
  if (!existsSync(file)) return undefined;
  const { mtimeMs } = statSync(file);
  if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, html: readFileSync(file) };
  return cached.html;
}

/** GraphiQL's page: its scripts, styles and workers are the build's files on this same origin. */
export function serveGraphiQL(req: IncomingMessage, res: ServerResponse, root = WEB_DIST): void {
  setSecurityHeaders(res);
  res.setHeader('content-security-policy', GRAPHIQL_CSP);
  const html = page(path.join(root, 'graphiql.html'));
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    vary: 'accept',
  });
  res.end(req.method === 'HEAD' ? undefined : (html ?? NOT_BUILT));
}
