// GET /runs/<id>/output.txt through the shipped nginx (infra/nginx/templates): a run's whole
// output, far longer than nginx's proxy buffers, with a Bearer token and with the session cookie;
// Range; the contract's JSON errors signed out and for another user's run.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../api/src/test/harness.js';
import { waitUntil } from '../../api/src/test/wait.js';
import { fakeWebRoot, filesUnder, startNginx, type RunningNginx } from './tools.js';

const LINES = 600_000; // `seq` prints ~3.9 MB: hundreds of times nginx's proxy buffers
const AGENT = `
commands:
  - name: count
    title: Counts to ${LINES}
    argv: ["seq", "1", "${LINES}"]
    roles: [admin, user]
logs: []
`;
const EXPECTED = Buffer.from(
  Array.from({ length: LINES }, (_, i) => `${i + 1}\n`).join(''),
  'utf8',
);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let s: TestServer;
let nginx: RunningNginx;
let webRoot: string;
let admin: { token: string; cookie: string };
let other: { token: string; cookie: string };
let runId: string;

beforeAll(async () => {
  s = await startServer({ TRUST_PROXY: 'true' }, { agentYaml: AGENT });
  admin = await s.login();
  other = await s.createUser('olga');
  const r = await s.gql(`mutation { runCommand(name: "count") { id } }`, {}, admin);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  runId = r.data.runCommand.id;
  await waitUntil(
    async () =>
      (await s.gql(`query($id: ID!) { commandRun(id: $id) { status } }`, { id: runId }, admin)).data
        .commandRun.status === 'SUCCEEDED',
    { timeoutMs: 60_000, what: 'the counting run to succeed' },
  );
  webRoot = mkdtempSync(path.join(tmpdir(), 'tiny-agent-web-'));
  fakeWebRoot(webRoot);
  nginx = await startNginx({ upstream: new URL(s.url).host, webRoot, uploadMaxBytes: 1024 });
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
  await s?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

/** A GET as the bytes on the wire (no client-side decompression), with every header. */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; raw: string[]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          raw: res.rawHeaders,
          body: Buffer.concat(parts),
        }),
      );
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

const url = () => `${nginx.httpUrl}/runs/${runId}/output.txt`;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
/** How many times a header appears in the raw response (a proxy must not double one). */
const count = (raw: string[], name: string) =>
  raw.filter((v, i) => i % 2 === 0 && v.toLowerCase() === name).length;

describe('run output download through nginx', () => {
  it('with a Bearer token: the whole output, as one attachment, none of it spooled to disk', async () => {
    const r = await get(url(), bearer(admin.token));
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(EXPECTED.length);
    expect(sha(r.body)).toBe(sha(EXPECTED));
    expect(Number(r.headers['content-length'])).toBe(EXPECTED.length);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="count-[\d-]+\.txt"/);
    expect(r.headers['accept-ranges']).toBe('bytes');
    // one policy (the app's sandbox, not nginx's page policy), one nosniff
    expect(count(r.raw, 'content-security-policy')).toBe(1);
    expect(r.headers['content-security-policy']).toMatch(/sandbox/);
    expect(count(r.raw, 'x-content-type-options')).toBe(1);
    expect(filesUnder(nginx.proxyTemp)).toEqual([]);
  }, 60_000);

  it('with the session cookie: the same bytes', async () => {
    const r = await get(url(), { cookie: admin.cookie });
    expect(r.status).toBe(200);
    expect(sha(r.body)).toBe(sha(EXPECTED));
  }, 60_000);

  it('a browser that accepts gzip can still resume it: Accept-Ranges and the strong ETag pass through', async () => {
    const r = await get(url(), { cookie: admin.cookie, 'accept-encoding': 'gzip' });
    expect(r.status).toBe(200);
    const body = r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body;
    expect(sha(body)).toBe(sha(EXPECTED));
    // a download cut short resumes with Range + If-Range: that needs both of these as the app sent them
    expect(r.headers['accept-ranges']).toBe('bytes');
    expect(r.headers.etag).toMatch(/^"/);
    const resumed = await get(url(), {
      cookie: admin.cookie,
      'accept-encoding': 'gzip',
      range: 'bytes=3000000-',
      'if-range': r.headers.etag!,
    });
    expect(resumed.status).toBe(206);
    expect(resumed.body.equals(EXPECTED.subarray(3_000_000))).toBe(true);
  }, 60_000);

  it('a text file from /files/ likewise: gzip-accepting clients keep Accept-Ranges and the strong ETag', async () => {
    const text = EXPECTED.subarray(0, 200_000);
    const up = await s.upload({ name: 'numbers.txt', content: text, type: 'text/plain' }, admin);
    expect(up.errors).toBeUndefined();
    const fileUrl = `${nginx.httpUrl}/files/${up.data.uploadFile.id}`;
    const r = await get(fileUrl, { cookie: admin.cookie, 'accept-encoding': 'gzip' });
    expect(r.status).toBe(200);
    expect(r.headers['accept-ranges']).toBe('bytes');
    expect(r.headers.etag).toBe(`"${up.data.uploadFile.sha256}"`);
    const resumed = await get(fileUrl, {
      cookie: admin.cookie,
      'accept-encoding': 'gzip',
      range: 'bytes=150000-',
      'if-range': r.headers.etag!,
    });
    expect(resumed.status).toBe(206);
    expect(resumed.body.equals(text.subarray(150_000))).toBe(true);
  });

  it('Range: a slice from the middle, a suffix, and an unsatisfiable one', async () => {
    const mid = await get(url(), { ...bearer(admin.token), range: 'bytes=2000000-2000099' });
    expect(mid.status).toBe(206);
    expect(mid.headers['content-range']).toBe(`bytes 2000000-2000099/${EXPECTED.length}`);
    expect(mid.body.equals(EXPECTED.subarray(2_000_000, 2_000_100))).toBe(true);

    const tail = await get(url(), { ...bearer(admin.token), range: 'bytes=-7' });
    expect(tail.status).toBe(206);
    expect(tail.body.equals(EXPECTED.subarray(-7))).toBe(true);

    const past = await get(url(), { ...bearer(admin.token), range: `bytes=${EXPECTED.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${EXPECTED.length}`);
  }, 60_000);

  it('signed out: 401 with the contract JSON error body', async () => {
    const tries: Record<string, string>[] = [
      {},
      bearer('not-a-token'),
      { cookie: 'tiny_agent_session=nope' },
    ];
    for (const headers of tries) {
      const r = await get(url(), headers);
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(r.body.toString());
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0].message).toMatch(/Sign in/);
    }
  });

  it("another user's run: 404 NOT_FOUND, exactly like a run that does not exist", async () => {
    const theirs = await get(url(), bearer(other.token));
    const missing = await get(
      `${nginx.httpUrl}/runs/00000000-0000-4000-8000-000000000000/output.txt`,
      bearer(other.token),
    );
    for (const r of [theirs, missing]) {
      expect(r.status).toBe(404);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(r.body.toString())).toEqual({
        errors: [{ message: 'That command run was not found.', extensions: { code: 'NOT_FOUND' } }],
      });
    }
    expect(theirs.body.equals(missing.body)).toBe(true);
  });
});
