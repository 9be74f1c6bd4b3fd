// logLines(filter:) through the real server: results, linear time, and a search the client abandons.
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type TestServer } from '../../test/harness.js';
import { LINES, code } from '../../test/log.api-testkit.js';
import { waitUntil } from '../../test/wait.js';

const AGENT = `commands: []
logs:
  - { name: app, path: app.log, roles: [admin] }
  - { name: big, path: big.log, roles: [admin] }
`;
const BIG_BYTES = 48 * 1024 * 1024;

let s: TestServer;
let admin: { token: string };
const file = (name: string) => path.join(s.dir, name);

/** Bytes this process has read through read(2) so far (the server runs in it). */
const bytesReadSoFar = () => Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
/** How many descriptors this process holds open on `target`. */
const openOn = (target: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === target;
    } catch {
      return false; // closed meanwhile
    }
  }).length;

beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  admin = await s.login();
  const app = openSync(file('app.log'), 'w');
  writeSync(app, 'GET /a 200\r\nPOST /b 500 failed\nGET /c 200\n');
  writeSync(app, `${'x'.repeat(70_000)} failed at the end\n`); // cut at 64 KiB: shown without "failed"
  writeSync(app, `${'a'.repeat(100_000)}\nGET /d 404 failed\npartial`);
  closeSync(app);
  // every line ends with "a" and the next starts with "b": /a\sb/ matches across each newline, on no line
  const big = openSync(file('big.log'), 'w');
  const chunk = Buffer.from(`b ${'-'.repeat(60)} a\n`.repeat(16_384));
  for (let written = 0; written < BIG_BYTES; written += chunk.length) writeSync(big, chunk);
  closeSync(big);
});
afterAll(() => s.stop());

const search = async (f: string, n = 100, before?: string) => {
  const r = await s.gql(LINES, { s: 'app', n, f, before }, admin);
  expect(r.errors).toBeUndefined();
  return r.data.logLines as { text: string; cursor: string; truncated: boolean }[];
};

describe('logLines(filter:)', () => {
  it('finds plain text and regexes line by line, as shown, and pages back with cursors', async () => {
    const failed = await search('failed');
    expect(failed.map((l) => l.text)).toEqual(['POST /b 500 failed', 'GET /d 404 failed']);
    expect((await search('/ 200$/')).map((l) => l.text)).toEqual(['GET /a 200', 'GET /c 200']); // CRLF line too
    expect((await search('/^(a+)+$/')).map((l) => [l.text.length, l.truncated])).toEqual([
      [65536, true],
    ]);
    expect((await search('/A{3}|GET/i', 1, failed[1]!.cursor)).map((l) => l.text)).toEqual([
      'a'.repeat(65536),
    ]);
    expect(await search('/0\\s[PG]/')).toEqual([]); // matches across newlines only
  });

  it('refuses what RE2 cannot run, saying why', async () => {
    const r = await s.gql(LINES, { s: 'app', f: '/(\\w)\\1/' }, admin);
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message).toMatch(/backreferences .* not supported/);
  });

  it('stops reading when the client goes away, and answers other requests meanwhile', async () => {
    const target = file('big.log');
    const before = bytesReadSoFar();
    const ac = new AbortController();
    const abandoned = fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query: LINES, variables: { s: 'big', n: 10, f: '/a\\sb/' } }),
      signal: ac.signal,
    }).catch((err: unknown) => err);
    await waitUntil(() => openOn(target) === 1, {
      what: 'the search to open the file',
      everyMs: 5,
    });
    const me = await s.gql(`{ me { username } }`, {}, admin);
    expect(me.data.me.username).toBe('admin');
    expect(openOn(target), 'the search still runs').toBe(1);
    ac.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    await waitUntil(() => openOn(target) === 0, { timeoutMs: 20_000, what: 'the file to close' });
    // the old code read all 48 MiB before it closed the file
    expect(bytesReadSoFar() - before).toBeLessThan(BIG_BYTES / 2);
  });

  it('stops reading when a WebSocket client goes away mid-search', async () => {
    const target = file('big.log');
    const before = bytesReadSoFar();
    const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws');
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as { type: string };
      if (m.type !== 'connection_ack') return;
      const variables = { s: 'big', n: 10, f: '/a\\sb/' };
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: LINES, variables } }));
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${admin.token}` },
      }),
    );
    await waitUntil(() => openOn(target) === 1, {
      what: 'the search to open the file',
      everyMs: 5,
    });
    ws.terminate(); // the connection drops, as a closed laptop's does
    await waitUntil(() => openOn(target) === 0, { timeoutMs: 20_000, what: 'the file to close' });
    expect(bytesReadSoFar() - before).toBeLessThan(BIG_BYTES / 2);
  });
});
