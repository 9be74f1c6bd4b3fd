import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../api/src/test/harness.js';

const NGINX_CONF = path.resolve(
  import.meta.dirname,
  '../../infra/nginx/templates/tiny-agent.conf.template',
);
const NGINX_SITE = path.resolve(
  import.meta.dirname,
  '../../infra/nginx/templates/tiny-agent.site.inc.template',
);

/** nginx's policies and fixed headers: the app must send the same ones (the slim mode has no nginx). */
function nginxPolicy() {
  const conf = readFileSync(NGINX_CONF, 'utf8');
  const site = readFileSync(NGINX_SITE, 'utf8');
  const csp = /map \$uri \$ta_csp \{[^}]*?default\s+"([^"]+)";/s.exec(conf)![1]!;
  const fixed = Object.fromEntries(
    [
      ...site.matchAll(
        /^add_header (X-Frame-Options|Referrer-Policy|Permissions-Policy|Cross-Origin-Opener-Policy|X-Content-Type-Options) ("[^"]+"|\S+) always;$/gm,
      ),
    ].map((m) => [m[1]!.toLowerCase(), m[2]!.replace(/^"|"$/g, '')]),
  );
  return { csp, fixed };
}

/** Does `policy` let the page load `url` under `directive` (falling back to default-src)? */
function allows(policy: string, directive: string, url: string): boolean {
  const dirs = new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name!, sources]),
  );
  const sources = dirs.get(directive) ?? dirs.get('default-src') ?? [];
  return sources.some((src) =>
    src.endsWith('/') ? url.startsWith(src) : url === src || url.startsWith(`${src}/`),
  );
}

let s: TestServer;
let admin: { token: string };
beforeAll(async () => {
  s = await startServer();
  admin = await s.login();
});
afterAll(() => s?.stop());

function expectAppHeaders(h: Headers, what: string, csp = nginxPolicy().csp) {
  const { fixed } = nginxPolicy();
  expect(Object.keys(fixed).length, 'nginx headers found').toBe(5);
  expect(h.get('content-security-policy'), what).toBe(csp);
  for (const [name, value] of Object.entries(fixed))
    expect(h.get(name), `${what}: ${name}`).toBe(value);
}

describe("the app's own responses carry nginx's security headers", () => {
  it('on the UI, the API (fast path, Yoga, SSE), health and a 404', async () => {
    expectAppHeaders((await fetch(`${s.url}/`)).headers, 'UI');
    expectAppHeaders((await fetch(`${s.url}/runs/1`)).headers, 'UI route');
    expectAppHeaders((await s.gql('{ me { id } }', {}, admin)).headers, 'fast path');
    expectAppHeaders((await s.gql('{ me { nope } }', {}, admin)).headers, 'Yoga');
    const sse = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${admin.token}`,
      },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expectAppHeaders(sse.headers, 'SSE');
    await sse.body?.cancel();
    expectAppHeaders((await fetch(`${s.url}/health`)).headers, '/health');
    expectAppHeaders((await fetch(`${s.url}/nothing`, { method: 'POST' })).headers, '404');
  });

  it("on a download, with the download's stricter policy (one policy, not two)", async () => {
    const up = await s.upload({ name: 'a.txt', content: 'hello\n', type: 'text/plain' }, admin);
    const res = await fetch(`${s.url}/files/${up.data.uploadFile.id}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.status).toBe(200);
    expectAppHeaders(
      res.headers,
      'download',
      "default-src 'none'; sandbox; frame-ancestors 'none'",
    );
  });

  it("GraphiQL's page gets a policy that allows exactly what it loads, and nothing else", async () => {
    const res = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await res.text();
    expect(html).toContain('renderYogaGraphiQL');
    const policy = res.headers.get('content-security-policy')!;
    expect(policy).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const scripts = [...html.matchAll(/<script src=([^ >]+)>/g)].map((m) => m[1]!);
    const styles = [...html.matchAll(/<link crossorigin rel=stylesheet href=([^ >]+)>/g)].map(
      (m) => m[1]!,
    );
    const icons = [...html.matchAll(/<link rel=icon href=([^ >]+)>/g)].map((m) => m[1]!);
    const fetched = [...html.matchAll(/"(https:\/\/[^"]+worker[^"]*\.js)"/g)].map((m) => m[1]!);
    expect([scripts.length, styles.length, icons.length, fetched.length]).toEqual([1, 1, 1, 3]);
    for (const u of scripts) expect(allows(policy, 'script-src', u), u).toBe(true);
    for (const u of styles) expect(allows(policy, 'style-src', u), u).toBe(true);
    for (const u of icons) expect(allows(policy, 'img-src', u), u).toBe(true);
    for (const u of fetched) expect(allows(policy, 'connect-src', u), u).toBe(true);
    expect(policy).toMatch(/worker-src blob:/); // the fetched workers run from blob: URLs
    expect(policy).toMatch(/connect-src 'self'/); // the API, over HTTP and WebSocket
    // nothing from anywhere else
    expect(allows(policy, 'script-src', 'https://evil.example/x.js')).toBe(false);
    expect(allows(policy, 'script-src', 'https://unpkg.com/some-other-package/x.js')).toBe(false);
    expect(allows(policy, 'connect-src', 'https://evil.example/')).toBe(false);
  });
});
