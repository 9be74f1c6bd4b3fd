import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, gqlAt, sseBlocks } from '../../api/src/test/harness.js';
import { fakeWebRoot, spawnApp, startNginx, type RunningNginx } from './tools.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitUntil } from '../../api/src/test/wait.js';

// Subscriptions through nginx in front of the real entry point. The app runs in its own process
// without NODE_ENV=test, so its real keep-alive intervals (WebSocket 10 s, SSE 12 s) are what
// carries the streams through a silence longer than nginx's read timeout. The shipped 300 s is
// cut to 25 s here, which a silence can outlast in a test: above the SSE interval and the longest
// WebSocket gap (20 s: the tick after data sends no ping), below the 35 s of silence, which ends a
// stream that has no keep-alive (as the 300 s would not).
const READ_TIMEOUT_S = 25;
const IDLE_MS = 35_000;

const AGENT = `
commands:
  - name: long-run
    title: One line, then a long silence
    argv: ["sh", "-c", "sleep 1; echo first; sleep 600"]
    timeout: 900
logs: []
`;
const OUTPUT = `subscription($id: ID!) { commandOutput(runId: $id) { seq data at } }`;

let app: Awaited<ReturnType<typeof spawnApp>>;
let nginx: RunningNginx;
let webRoot: string;
let token: string;

beforeAll(async () => {
  app = await spawnApp(AGENT, { TRUST_PROXY: 'true' });
  webRoot = mkdtempSync(path.join(tmpdir(), 'tiny-agent-web-'));
  fakeWebRoot(webRoot);
  nginx = await startNginx({
    upstream: new URL(app.url).host,
    webRoot,
    uploadMaxBytes: 104_857_600,
    proxyReadTimeout: `${READ_TIMEOUT_S}s`,
  });
  const r = await gqlAt(
    nginx.httpUrl,
    `mutation { login(username: "admin", password: "admin-password-1") { token } }`,
  );
  expect(r.errors).toBeUndefined();
  token = r.data.login.token;
});

afterAll(async () => {
  await nginx?.stop();
  await app?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

/** graphql-ws through nginx; counts the server's WebSocket ping frames that reach the client. */
function wsThroughNginx() {
  const pings: number[] = [];
  class Ws extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      this.on('ping', () => pings.push(Date.now()));
    }
  }
  const client = createClient({
    url: nginx.httpUrl.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: Ws,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  return { client, pings };
}

/** SSE through nginx, read raw: events with their arrival time, ping comments, and how it ended. */
function sseThroughNginx(query: string, variables: Record<string, unknown>) {
  const ac = new AbortController();
  const s = {
    events: [] as { data: any; receivedAt: number }[],
    pings: [] as number[],
    completeEvent: false,
    closed: false,
    error: null as unknown,
  };
  const done = (async () => {
    try {
      const res = await fetch(`${nginx.httpUrl}/graphql`, {
        method: 'POST',
        signal: ac.signal,
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      if (res.status !== 200 || !res.body) throw new Error(`SSE answered ${res.status}`);
      for await (const block of sseBlocks(res.body)) {
        if (block.ping) s.pings.push(Date.now());
        if (block.event === 'complete') s.completeEvent = true;
        if (block.data) s.events.push({ data: JSON.parse(block.data), receivedAt: Date.now() });
      }
      s.closed = true;
    } catch (err) {
      if (!ac.signal.aborted) s.error = err;
      s.closed = true;
    }
  })();
  return { s, done, close: () => ac.abort() };
}

describe('subscriptions through nginx', () => {
  it(
    'WebSocket and SSE deliver the first event at once and stay open across a silence longer than nginx’s read timeout',
    async () => {
      const run = await gqlAt(
        nginx.httpUrl,
        `mutation { runCommand(name: "long-run") { id } }`,
        {},
        { token },
      );
      expect(run.errors).toBeUndefined();
      const id = run.data.runCommand.id;

      const ws = wsThroughNginx();
      const wsOut = collect((sink) =>
        ws.client.subscribe({ query: OUTPUT, variables: { id } }, sink),
      );
      const wsReceived: number[] = [];
      const sse = sseThroughNginx(OUTPUT, { id });

      // "first" is printed a second after the start: it reaches both subscribers live
      await wsOut.waitFor(1, 10_000);
      wsReceived.push(Date.now());
      await waitUntil(() => sse.s.events.length >= 1, {
        timeoutMs: 10_000,
        what: 'the first SSE event',
      });
      const wsChunk = wsOut.events[0].data.commandOutput;
      const sseChunk = sse.s.events[0]!.data.data.commandOutput;
      expect(wsChunk.data).toBe('first\n');
      expect(sseChunk.data).toBe('first\n');
      // from the moment the output was read to its arrival through nginx: no buffering anywhere
      const wsLag = wsReceived[0]! - Date.parse(wsChunk.at);
      const sseLag = sse.s.events[0]!.receivedAt - Date.parse(sseChunk.at);
      expect(wsLag).toBeLessThan(2_000);
      expect(sseLag).toBeLessThan(2_000);

      // the silence: nothing but keep-alive pings for longer than nginx's default read timeout
      const idleFrom = Date.now();
      await new Promise((r) => setTimeout(r, IDLE_MS));
      // a stream that ended here because the app went away is a different failure: say so
      expect(
        app.child.exitCode,
        `the app process exited during the idle period:\n${app.output()}`,
      ).toBeNull();
      expect(wsOut.ended).toBeNull();
      expect(sse.s.closed).toBe(false);
      expect(wsOut.events).toHaveLength(1);
      expect(sse.s.events).toHaveLength(1);
      const wsPings = ws.pings.filter((t) => t >= idleFrom).length;
      const ssePings = sse.s.pings.filter((t) => t >= idleFrom).length;
      // the real intervals (10 s and 12 s), not the 300 ms Yoga uses under NODE_ENV=test; a
      // WebSocket is pinged at every tick but one that follows data (3 or 4 ticks in 35 s; the
      // SSE stream 2 or 3)
      expect(wsPings).toBeGreaterThanOrEqual(2);
      expect(wsPings).toBeLessThanOrEqual(4);
      expect(ssePings).toBeGreaterThanOrEqual(2);
      expect(ssePings).toBeLessThanOrEqual(4);

      // both streams are still live: ending the run ends them cleanly
      const cancel = await gqlAt(
        nginx.httpUrl,
        `mutation($id: ID!) { cancelCommandRun(id: $id) { status } }`,
        { id },
        { token },
      );
      expect(cancel.errors).toBeUndefined();
      const end = await wsOut.waitEnd(10_000);
      expect(end.error).toBeUndefined();
      await waitUntil(() => sse.s.closed, { timeoutMs: 10_000, what: 'the SSE stream to end' });
      expect(sse.s.error).toBeNull();
      expect(sse.s.completeEvent).toBe(true);
      await ws.client.dispose();
      console.log(
        `through nginx: first event after ${wsLag} ms (WS) / ${sseLag} ms (SSE); ${IDLE_MS / 1000} s idle with ${wsPings} WS pings, ${ssePings} SSE pings`,
      );
    },
    IDLE_MS + 45_000,
  );
});
