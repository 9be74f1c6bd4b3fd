// The app's own routes outside /graphql reach it through the shipped nginx (infra/nginx/templates):
// a log download (`/logs/<source>/lines.txt`) and a webhook (`POST /hooks/<name>`), not the web
// UI's index.html that every other path gets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../api/src/test/harness.js';
import { fakeWebRoot, filesUnder, startNginx, type RunningNginx } from './tools.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-routes-'));
const logFile = path.join(dir, 'app.log');
const LINES = Array.from({ length: 50_000 }, (_, i) => `line ${i + 1} of the app log`);

let s: TestServer;
let nginx: RunningNginx;
let webRoot: string;
let admin: { token: string };

beforeAll(async () => {
  writeFileSync(logFile, LINES.join('\n') + '\n');
  s = await startServer(
    { TRUST_PROXY: 'true' },
    { agentYaml: `commands: []\nlogs:\n  - name: app\n    path: ${logFile}\n    format: text\n` },
  );
  admin = await s.login();
  webRoot = mkdtempSync(path.join(tmpdir(), 'tiny-agent-web-'));
  fakeWebRoot(webRoot);
  nginx = await startNginx({ upstream: new URL(s.url).host, webRoot, uploadMaxBytes: 1024 });
}, 60_000);

afterAll(async () => {
  await nginx?.stop();
  await s?.stop();
  for (const d of [dir, webRoot]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('app routes through nginx', () => {
  it('GET /logs/<source>/lines.txt is the app’s download of the lines, none spooled to disk', async () => {
    const r = await fetch(`${nginx.httpUrl}/logs/app/lines.txt`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="app-/);
    expect(await r.text()).toBe(LINES.join('\n') + '\n');
    expect(filesUnder(nginx.proxyTemp)).toEqual([]);
    // signed out: the app's JSON refusal, not the web UI
    const out = await fetch(`${nginx.httpUrl}/logs/app/lines.txt`);
    expect(out.status).toBe(401);
    expect((await out.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('POST /hooks/<name> reaches the app: an unknown hook is its JSON 404', async () => {
    const r = await fetch(`${nginx.httpUrl}/hooks/no-such-hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(404);
    expect((await r.json()).errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
