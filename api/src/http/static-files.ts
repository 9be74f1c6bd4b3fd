import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { safeJoin } from './safe-join.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const PLACEHOLDER = `<!doctype html><meta charset="utf-8"><title>Tiny Agent</title>
<p>Tiny Agent is running. The web UI has not been built yet (<code>npm run build</code>);
the API and GraphiQL are at <a href="/graphql">/graphql</a>.</p>`;

/** The built web app: hashed assets cached for a year, every other route gets index.html. */
export function serveStatic(req: IncomingMessage, res: ServerResponse, root = WEB_DIST): void {
  const url = new URL(req.url ?? '/', 'http://x');
  let file = safeJoin(root, decodeURIComponent(url.pathname));
  if (!file || !existsSync(file) || !statSync(file).isFile()) file = path.join(root, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PLACEHOLDER);
    return;
  }
  const hashed = url.pathname.startsWith('/assets/');
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
