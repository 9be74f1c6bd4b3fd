import { createHash } from 'node:crypto';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_HEADROOM_BYTES } from '../../infra/nginx/render.js';
import { collect, gqlAt, startServer, type TestServer } from '../../api/src/test/harness.js';
import { fakeWebRoot, filesUnder, startNginx, type RunningNginx } from './tools.js';

// nginx from the repository's templates in front of the real app (in this process: the stream
// timings that need the real entry point are in nginx-streams.test.ts).
const UPLOAD_MAX_BYTES = 256 * 1024 * 1024;
const MiB = 1024 * 1024;
const AGENT = `
commands:
  - name: tick
    title: One line after half a second, then quiet
    argv: ["sh", "-c", "sleep 0.5; echo first; sleep 30"]
  - name: flood
    title: 40 MB of output as fast as it comes
    argv: ["sh", "-c", "yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde | head -c 40000000"]
logs: []
`;

let s: TestServer;
let nginx: RunningNginx;
let webRoot: string;
let assetJs: string;
let admin: { token: string; cookie: string };

beforeAll(async () => {
  s = await startServer(
    { TRUST_PROXY: 'true', UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) },
    { agentYaml: AGENT },
  );
  webRoot = mkdtempSync(path.join(tmpdir(), 'tiny-agent-web-'));
  assetJs = fakeWebRoot(webRoot).js;
  nginx = await startNginx({
    upstream: new URL(s.url).host,
    webRoot,
    uploadMaxBytes: UPLOAD_MAX_BYTES,
  });
  admin = await login(nginx.httpUrl);
});

afterAll(async () => {
  await nginx?.stop();
  await s?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

async function login(base: string, headers: Record<string, string> = {}) {
  const r = await gqlAt(
    base,
    `mutation { login(username: "admin", password: "admin-password-1") { token } }`,
    {},
    { headers },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return {
    token: r.data.login.token as string,
    cookie: r.headers.get('set-cookie')!.split(';')[0]!,
  };
}

/** A GET as bytes, without any client-side decompression. */
function rawGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }),
      );
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

function expectSecurityHeaders(h: IncomingHttpHeaders | Headers, what: string) {
  const get = (n: string) => (h instanceof Headers ? h.get(n) : (h[n] as string | undefined)) ?? '';
  expect(get('content-security-policy'), what).toContain("frame-ancestors 'none'");
  expect(get('content-security-policy'), what).toMatch(/^default-src '(self|none)'/);
  // one policy: two headers would be joined with ", " (no policy here has a comma)
  expect(get('content-security-policy'), what).not.toContain(',');
  expect(get('x-frame-options'), what).toBe('DENY');
  expect(get('x-content-type-options'), what).toBe('nosniff'); // once: the app's copy is hidden
  expect(get('referrer-policy'), what).toBe('no-referrer');
  expect(get('permissions-policy'), what).toContain('camera=()');
}

describe('the web UI through nginx', () => {
  it('serves hashed assets gzipped with a year of immutable caching', async () => {
    const r = await rawGet(`${nginx.httpUrl}/assets/app-abc123.js`, { 'accept-encoding': 'gzip' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gunzipSync(r.body).toString()).toBe(assetJs);
    expect(r.body.length).toBeLessThan(assetJs.length / 3);
    expectSecurityHeaders(r.headers, 'asset');
  });

  it('serves the app shell for routes, revalidated; a missing asset is a 404 that is not cached', async () => {
    for (const route of ['/', '/runs/123']) {
      const r = await rawGet(`${nginx.httpUrl}${route}`);
      expect(r.status, route).toBe(200);
      expect(r.body.toString()).toContain('<div id="app">');
      expect(r.headers['cache-control'], route).toBe('no-cache');
      expectSecurityHeaders(r.headers, route);
    }
    const missing = await rawGet(`${nginx.httpUrl}/assets/app-000000.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control']).toBeUndefined();
    expectSecurityHeaders(missing.headers, '404');
  });

  it('with NGINX_HTTP_REDIRECT=on, plain HTTP redirects to HTTPS except /health', async () => {
    const redirecting = await startNginx({
      upstream: new URL(s.url).host,
      webRoot,
      uploadMaxBytes: UPLOAD_MAX_BYTES,
      httpRedirect: true,
    });
    try {
      const r = await rawGet(`${redirecting.httpUrl}/runs/1?x=2`);
      expect(r.status).toBe(301);
      expect(r.headers.location).toBe('https://127.0.0.1/runs/1?x=2');
      expect((await rawGet(`${redirecting.httpUrl}/health`)).status).toBe(200);
    } finally {
      await redirecting.stop();
    }
  });

  it('keeps /metrics inside; /health and /ready pass through', async () => {
    expect((await rawGet(`${nginx.httpUrl}/metrics`)).status).toBe(404);
    expect((await rawGet(`${nginx.httpUrl}/health`)).status).toBe(200);
    expect((await rawGet(`${nginx.httpUrl}/ready`)).status).toBe(200);
  });
});

describe('the API through nginx', () => {
  it('answers GraphQL with the security headers', async () => {
    const r = await gqlAt(nginx.httpUrl, `{ me { username } }`, {}, { token: admin.token });
    expect(r.data.me.username).toBe('admin');
    expectSecurityHeaders(r.headers, '/graphql');
  });

  it('passes the client address, not one the client claims (X-Forwarded-For)', async () => {
    await login(nginx.httpUrl, { 'x-forwarded-for': '203.0.113.9' });
    const signIns = s
      .logText()
      .split('\n')
      .filter((l) => l.includes('"signed in"'))
      .map((l) => JSON.parse(l));
    expect(signIns.at(-1).ip).toBe('127.0.0.1');
    expect(s.logText()).not.toContain('203.0.113.9');
  });

  it('forwards Host with its port: a WebSocket with the session cookie works from this origin only', async () => {
    const ws = (origin: string) =>
      createClient({
        url: nginx.httpUrl.replace(/^http/, 'ws') + '/graphql',
        retryAttempts: 0,
        webSocketImpl: class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers: { cookie: admin.cookie, origin } });
          }
        },
      });
    const own = ws(nginx.httpUrl);
    const me = collect((sink) => own.subscribe({ query: `{ me { username } }` }, sink));
    await me.waitEnd();
    expect(me.events[0].data.me.username).toBe('admin');
    await own.dispose();
    const foreign = ws('https://evil.example');
    const refused = collect((sink) => foreign.subscribe({ query: `{ me { username } }` }, sink));
    expect((await refused.waitEnd()).error).toBeDefined();
    await foreign.dispose();
  });

  it('streams 40 MB of command output over a WebSocket intact (big chunks go as fragmented messages)', async () => {
    const id = (
      await gqlAt(nginx.httpUrl, `mutation { runCommand(name: "flood") { id } }`, {}, admin)
    ).data.runCommand.id as string;
    let raw = 0;
    let text = '';
    let lastSeq = 0;
    let seqsRise = true;
    const client = createClient({
      url: nginx.httpUrl.replace(/^http/, 'ws') + '/graphql',
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${admin.token}` },
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols);
          this.on('message', (data: Buffer) => (raw = Math.max(raw, data.length)));
        }
      },
    });
    const out = collect((sink) =>
      client.subscribe<{ commandOutput: { seq: number; data: string } }>(
        {
          query: `subscription($id: ID!) { commandOutput(runId: $id) { seq data } }`,
          variables: { id },
        },
        {
          next: (m) => {
            const c = m.data!.commandOutput;
            seqsRise &&= c.seq > lastSeq;
            lastSeq = c.seq;
            text += c.data;
            sink.next(null);
          },
          error: (e) => sink.error(e),
          complete: () => sink.complete(),
        },
      ),
    );
    expect((await out.waitEnd(60_000)).error).toBeUndefined();
    await client.dispose();
    expect(seqsRise).toBe(true);
    // all of it is kept (1 GiB by default): no notice rides along, it is `yes`, whole
    expect(text).not.toMatch(/\[tiny-agent\]/);
    const stdout = text;
    expect(stdout.length).toBe(40_000_000);
    const line = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n';
    expect(stdout === line.repeat(Math.ceil(40_000_000 / line.length)).slice(0, 40_000_000)).toBe(
      true,
    );
    expect(raw).toBeGreaterThan(16 * 1024); // messages big enough to go out in fragments
  });

  it('serves HTTPS over HTTP/2 with HSTS, and the session cookie is Secure there', async () => {
    const session = http2Connect(nginx.httpsUrl, { ca: readFileSync(nginx.cert) }); // the script's certificate verifies
    try {
      await new Promise<void>((resolve, reject) =>
        session.once('connect', () => resolve()).once('error', reject),
      );
      expect(session.alpnProtocol).toBe('h2');
      const body = JSON.stringify({
        query: `mutation { login(username: "admin", password: "admin-password-1") { token } }`,
      });
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const req = session.request({
          ':method': 'POST',
          ':path': '/graphql',
          'content-type': 'application/json',
        });
        req.once('response', (h) => resolve(h as Record<string, unknown>));
        req.once('error', reject);
        req.end(body);
        req.resume();
      });
      expect(headers[':status']).toBe(200);
      expect(headers['strict-transport-security']).toBe('max-age=31536000');
      expect(String(headers['set-cookie'])).toMatch(/tiny_agent_session=.*;\s*Secure/i);
      expect(headers['x-frame-options']).toBe('DENY');
    } finally {
      session.close();
    }
  });

  it('refuses a body over UPLOAD_MAX_BYTES + the multipart headroom before reading it', async () => {
    const askWith = (length: number) =>
      new Promise<string>((resolve, reject) => {
        const sock = netConnect(Number(new URL(nginx.httpUrl).port), '127.0.0.1');
        let answer = '';
        sock.on('data', (d) => {
          answer += d;
          if (answer.includes('\r\n')) sock.destroy();
        });
        sock.on('close', () => resolve(answer.split('\r\n')[0]!));
        sock.on('error', reject);
        sock.write(
          `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${length}\r\n\r\n`,
        );
      });
    const limit = UPLOAD_MAX_BYTES + BODY_HEADROOM_BYTES;
    expect(await askWith(limit + 1)).toContain(' 413 ');
    // at the limit nginx passes it on, and the app refuses the unauthenticated upload itself
    expect(await askWith(limit)).toMatch(/ 40[13] /);
  });
});

describe('SSE through nginx', () => {
  const OUTPUT = `subscription($id: ID!) { commandOutput(runId: $id) { seq data at } }`;
  const start = async (name: string) =>
    (await gqlAt(nginx.httpUrl, `mutation { runCommand(name: "${name}") { id } }`, {}, admin)).data
      .runCommand.id as string;

  it('events are neither compressed nor held back (the client accepts gzip)', async () => {
    const id = await start('tick');
    const ac = new AbortController();
    const res = await fetch(`${nginx.httpUrl}/graphql`, {
      method: 'POST',
      signal: ac.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        'accept-encoding': 'gzip',
        authorization: `Bearer ${admin.token}`,
      },
      body: JSON.stringify({ query: OUTPUT, variables: { id } }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('content-encoding') ?? '').not.toMatch(/gzip|br|deflate/);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('first')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended early: ${text}`);
      text += new TextDecoder().decode(value);
    }
    const chunk = JSON.parse(/^data: (.*)$/m.exec(text)![1]!).data.commandOutput;
    expect(Date.now() - Date.parse(chunk.at)).toBeLessThan(2_000);
    ac.abort();
    await gqlAt(
      nginx.httpUrl,
      `mutation($id: ID!) { cancelCommandRun(id: $id) { id } }`,
      { id },
      admin,
    );
  });

  it('a slow reader holds the app back instead of filling nginx’s disk', async () => {
    const id = await start('flood');
    const req = httpRequest(`${nginx.httpUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${admin.token}`,
      },
    });
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      req.once('response', resolve).once('error', reject);
      req.end(JSON.stringify({ query: OUTPUT, variables: { id } }));
    });
    res.pause(); // read nothing: the subscriber falls behind
    let maxSpooled = 0;
    for (let i = 0; i < 60; i++) {
      maxSpooled = Math.max(maxSpooled, filesUnder(nginx.proxyTemp).length);
      await new Promise((r) => setTimeout(r, 50));
    }
    req.destroy();
    expect(maxSpooled).toBe(0);
    expect(nginx.errorLog()).not.toMatch(/upstream response is buffered to a temporary file/);
  });
});

/**
 * `uploadFile` as one multipart request of `size` bytes, streamed with backpressure over HTTP/1.1
 * or HTTP/2 (what a browser uses over HTTPS), sampling nginx's body spool and the app's uploads
 * folder while it is sent.
 */
async function streamUpload(via: 'http1' | 'h2', size: number) {
  const boundary = `----tiny-agent-${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n` +
      JSON.stringify({
        query: 'mutation($file: Upload!) { uploadFile(file: $file) { id sha256 size } }',
        variables: { file: null },
      }) +
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const block = Buffer.from(
    Array.from(
      { length: 16_384 },
      (_, i) => `line ${String(i).padStart(6, '0')} of a large text upload`.padEnd(63, '.') + '\n',
    ).join(''),
  );
  expect(block.length).toBe(MiB);
  const headers = {
    'content-type': `multipart/form-data; boundary=${boundary}`,
    'content-length': String(head.length + size + tail.length),
    'x-graphql-yoga-csrf': '1',
    authorization: `Bearer ${admin.token}`,
  };

  const uploadsDir = path.join(s.config.DATA_DIR, 'uploads');
  const earlier = new Set(filesUnder(uploadsDir).map((f) => f.file));
  let maxSpooled = 0;
  let appBytesWhenHalfSent = -1;
  const sample = setInterval(() => {
    maxSpooled = Math.max(maxSpooled, filesUnder(nginx.clientBodyTemp).length);
  }, 25);
  const hash = createHash('sha256');
  const started = Date.now();
  const h2 = via === 'h2' ? http2Connect(nginx.httpsUrl, { ca: readFileSync(nginx.cert) }) : null;
  try {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      let req: import('node:stream').Writable;
      const collectBody = (status: number, res: NodeJS.ReadableStream) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status, body }));
      };
      if (h2) {
        const r = h2.request({ ':method': 'POST', ':path': '/graphql', ...headers });
        r.on('response', (h) => collectBody(Number(h[':status']), r));
        r.on('error', reject);
        req = r;
      } else {
        const r = httpRequest(`${nginx.httpUrl}/graphql`, { method: 'POST', headers });
        r.on('response', (res) => collectBody(res.statusCode!, res));
        r.on('error', reject);
        req = r;
      }
      void (async () => {
        const write = (b: Buffer) =>
          req.write(b) ? Promise.resolve() : new Promise<void>((r) => req.once('drain', () => r()));
        await write(head);
        for (let sent = 0; sent < size; sent += MiB) {
          if (sent === size / 2) {
            // with nginx buffering the request, the app would have seen nothing yet
            await new Promise((r) => setTimeout(r, 300));
            appBytesWhenHalfSent = Math.max(
              0,
              ...filesUnder(uploadsDir)
                .filter((f) => !earlier.has(f.file))
                .map((f) => f.size),
            );
          }
          hash.update(block);
          await write(block);
        }
        req.end(tail);
      })().catch(reject);
    });
    return {
      answer,
      sha256: hash.digest('hex'),
      appBytesWhenHalfSent,
      maxSpooled,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    clearInterval(sample);
    h2?.close();
  }
}

describe('200 MB through nginx', () => {
  const SIZE = 200 * MiB;
  let fileId: string;
  let sha256: string;

  it.each(['http1', 'h2'] as const)(
    'an upload (%s) streams through to the app as it is sent, nothing spooled to nginx’s disk',
    async (via) => {
      const up = await streamUpload(via, SIZE);
      expect(up.answer.status, up.answer.body.slice(0, 300)).toBe(200);
      const stored = JSON.parse(up.answer.body).data.uploadFile;
      expect(stored.sha256).toBe(up.sha256);
      expect(stored.size).toBe(SIZE);
      expect(up.appBytesWhenHalfSent).toBeGreaterThan(SIZE / 4);
      expect(up.maxSpooled).toBe(0);
      expect(filesUnder(nginx.clientBodyTemp)).toEqual([]);
      expect(nginx.errorLog()).not.toMatch(/buffered to a temporary file/);
      fileId = stored.id;
      sha256 = up.sha256;
      console.log(
        `200 MiB upload (${via}) through nginx in ${up.seconds.toFixed(1)} s; ${Math.round(up.appBytesWhenHalfSent / MiB)} MiB at the app when half was sent`,
      );
    },
    120_000,
  );

  it('the download streams back through nginx unchanged, nothing spooled to nginx’s disk', async () => {
    expect(fileId).toBeDefined();
    let maxSpooled = 0;
    const sample = setInterval(() => {
      maxSpooled = Math.max(maxSpooled, filesUnder(nginx.proxyTemp).length);
    }, 25);
    const hash = createHash('sha256');
    let size = 0;
    const headers = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
      httpRequest(
        `${nginx.httpUrl}/files/${fileId}`,
        { headers: { authorization: `Bearer ${admin.token}` } },
        (res) => {
          if (res.statusCode !== 200) reject(new Error(`download answered ${res.statusCode}`));
          res.on('data', (d: Buffer) => {
            hash.update(d);
            size += d.length;
          });
          res.on('end', () => resolve(res.headers));
          res.on('error', reject);
        },
      )
        .on('error', reject)
        .end();
    });
    clearInterval(sample);
    expect(size).toBe(SIZE);
    expect(hash.digest('hex')).toBe(sha256);
    expect(headers['content-disposition']).toMatch(/^attachment/);
    expectSecurityHeaders(headers, 'download');
    expect(maxSpooled).toBe(0);
    expect(nginx.errorLog()).not.toMatch(/buffered to a temporary file/);
  }, 120_000);
});
