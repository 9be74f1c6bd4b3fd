import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';

const AGENT = `commands: []
logs:
  - name: app
    path: app.log
    roles: [admin, user]
  - name: secret
    path: secret.log
    roles: [admin]
  - name: big
    path: big.log
    roles: [admin, user]
`;
const T0 = Date.UTC(2026, 11, 7, 0, 0, 0);
const at = (second: number) => new Date(T0 + second * 1000).toISOString();
const BIG_MB = 100;

let s: TestServer;
let admin: { token: string };
let user: { token: string; cookie?: string };
const get = (p: string, auth: { token?: string; cookie?: string } = {}) =>
  fetch(`${s.url}${p}`, {
    headers: {
      ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
    },
  });
const openFds = () => readdirSync('/proc/self/fd').length;

beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  const lines = ['untimed header\n'];
  for (let i = 0; i < 600; i++)
    lines.push(`${at(i)} ${i % 3 === 0 ? 'ERROR' : 'INFO'} line ${i}\n`);
  writeFileSync(path.join(s.dir, 'app.log'), lines.join(''));
  writeFileSync(path.join(s.dir, 'secret.log'), `${at(0)} root password is hunter2\n`);
  // generated once: 100 MB of timed lines
  const block = Array.from(
    { length: 10_000 },
    (_, i) => `${at(i)} INFO ${'y'.repeat(76)} ${i}\n`,
  ).join('');
  const big = path.join(s.dir, 'big.log');
  writeFileSync(big, '');
  for (let mb = 0; mb < BIG_MB; mb++) appendFileSync(big, block.slice(0, 1_048_576));
  admin = await s.login();
  user = await s.createUser('lena');
});
afterAll(() => s.stop());

describe('GET /logs/:source/lines.txt', () => {
  it('sends the lines of a range and filter as a text attachment', async () => {
    const q = new URLSearchParams({ since: at(30), until: at(60), filter: 'ERROR' });
    const r = await get(`/logs/app/lines.txt?${q}`, user);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-disposition')).toMatch(
      /^attachment; filename="app-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.txt"/,
    );
    const want = Array.from(
      { length: 10 },
      (_, k) => `${at(30 + 3 * k)} ERROR line ${30 + 3 * k}\n`,
    );
    expect(await r.text()).toBe(want.join(''));

    // the same as logLines gives, cursors included; no count limit
    const page = await s.gql(
      `{ logLines(source: "app", first: 3, since: "${at(10)}") { cursor text } }`,
      {},
      user,
    );
    const [, second] = page.data.logLines;
    const after = await (await get(`/logs/app/lines.txt?after=${second.cursor}`, user)).text();
    expect(after.split('\n').slice(0, 2)).toEqual([
      `${at(12)} ERROR line 12`,
      `${at(13)} INFO line 13`,
    ]);
    expect(after.split('\n')).toHaveLength(600 - 12 + 1);
    const before = await (await get(`/logs/app/lines.txt?before=${second.cursor}`, user)).text();
    expect(before.split('\n').slice(-3)).toEqual([
      `${at(9)} ERROR line 9`,
      `${at(10)} INFO line 10`,
      '',
    ]);
  });

  it('answers 401 signed out, 404 for a source the role may not read as for an unknown one, 400 in logLines words', async () => {
    const signedOut = await get('/logs/app/lines.txt');
    expect(signedOut.status).toBe(401);
    expect((await signedOut.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');

    const forbidden = await get('/logs/secret/lines.txt', user);
    const unknown = await get('/logs/nope/lines.txt', user);
    expect(forbidden.status).toBe(404);
    const message = (b: any) => b.errors[0].message.replace(/"[^"]*"/, '<name>');
    expect(message(await forbidden.json())).toBe(message(await unknown.json()));
    expect(await (await get('/logs/secret/lines.txt', admin)).text()).toContain('hunter2');

    // a session cookie works as a token does
    expect(user.cookie).toBeTruthy();
    expect((await get('/logs/app/lines.txt', { cookie: user.cookie })).status).toBe(200);

    const bad = async (query: Record<string, string>, gqlArgs: string) => {
      const r = await get(`/logs/app/lines.txt?${new URLSearchParams(query)}`, user);
      expect(r.status, JSON.stringify(query)).toBe(400);
      const body = await r.json();
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const g = await s.gql(`{ logLines(source: "app", ${gqlArgs}) { text } }`, {}, user);
      if (gqlArgs) expect(body.errors[0].message).toBe(g.errors![0]!.message);
      return body.errors[0].message as string;
    };
    await bad({ since: at(5), until: at(5) }, `since: "${at(5)}", until: "${at(5)}"`);
    await bad({ since: '1969-01-01T00:00:00Z' }, 'since: "1969-01-01T00:00:00Z"');
    await bad({ filter: '/(unclosed/' }, 'filter: "/(unclosed/"');
    await bad({ after: 'nope!' }, 'after: "nope!"');
    expect(await bad({ since: 'yesterday' }, '')).toMatch(/since must be an ISO-8601 date-time/);
  });

  it('streams a 100 MB file with backpressure and stops reading when the client goes away', async () => {
    const fdsBefore = openFds();
    const heap = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const base = heap();
    let received = 0;
    const req = http.get(`${s.url}/logs/big/lines.txt`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
    expect(res.statusCode).toBe(200);
    res.on('data', (c: Buffer) => {
      received += c.length;
      if (received > 1_000_000) res.pause(); // a slow client: stops taking bytes
    });
    await waitUntil(() => res.isPaused(), { what: 'the first megabyte' });
    // the server fills the socket's buffers, then waits: what it holds stays far below the file
    let last = -1;
    await waitUntil(
      async () => {
        const before = last;
        last = heap();
        await new Promise((r) => setTimeout(r, 200));
        return Math.abs(heap() - before) < 2e6 && Math.abs(heap() - last) < 2e6;
      },
      { what: 'memory to settle', timeoutMs: 10_000 },
    );
    expect(heap() - base).toBeLessThan(30e6);
    // the reader's file stays open while the client waits, and closes once it leaves
    expect(openFds()).toBeGreaterThan(fdsBefore);
    req.destroy();
    await waitUntil(() => openFds() <= fdsBefore, { what: 'the log file to be closed' });

    // read in full, every byte of the 100 MB arrives
    const full = await get('/logs/big/lines.txt', user);
    let bytes = 0;
    for await (const c of full.body as unknown as AsyncIterable<Uint8Array>) bytes += c.length;
    // all but the unfinished last line (no newline yet), which is not a line
    const file = readFileSync(path.join(s.dir, 'big.log'));
    expect(bytes).toBe(file.lastIndexOf(0x0a) + 1);
    expect(bytes).toBeGreaterThan((BIG_MB - 1) * 1_048_576);
  });
});
