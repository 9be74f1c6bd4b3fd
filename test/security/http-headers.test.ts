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

  it("GraphiQL's page gets nginx's /graphql policy: this origin only, no CDN, no blob: workers", async () => {
    const res = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/GraphiQL/);
    expect(html).not.toMatch(/https?:\/\//); // everything it loads is a path on this origin
    const policy = res.headers.get('content-security-policy')!;
    const conf = readFileSync(NGINX_CONF, 'utf8');
    expect(policy).toBe(/map \$uri \$ta_csp \{\s*\/graphql\s+"([^"]+)";/.exec(conf)![1]);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    // every source is this origin, 'none', data: (inlined fonts) or inline styles (the editor's)
    const sources = policy.split(';').flatMap((d) => d.trim().split(/\s+/).slice(1));
    for (const src of sources)
      expect(["'self'", "'none'", 'data:', "'unsafe-inline'"]).toContain(src);
    expect(policy).toMatch(/script-src 'self';/); // no inline script
    expect(policy).toMatch(/worker-src 'self';/); // the editor's workers are files under /assets/
    expect(allows(policy, 'script-src', 'https://unpkg.com/@graphql-yoga/x.js')).toBe(false);
    expect(allows(policy, 'connect-src', 'https://evil.example/')).toBe(false);
    // a client asking for JSON still gets the API
    const api = await fetch(`${s.url}/graphql?query=%7B__typename%7D`, {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
