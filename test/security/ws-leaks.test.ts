// Issue 17 item 4: however a WebSocket goes away (close, reset, stalled reader then close or
// reset, keepalive drop), its logTail streams end and release their follower, and the
// tiny_agent_open_subscriptions gauge returns to where it was. Real sockets, a real appended log.
import { appendFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startServer, type TestServer } from '../../api/src/test/harness.js';
import { waitUntil } from '../../api/src/test/wait.js';

const AGENT = `commands: []\nlogs:\n  - { name: app, path: app.log, roles: [admin, user] }\n`;
const TAIL = 'subscription { logTail(source: "app") { text } }';
const BIG_LINE = `${'x'.repeat(60_000)}\n`; // near the follower's 64 KiB line limit: buffers fill fast

interface Server {
  s: TestServer;
  token: string;
}

async function serve(keepAliveMs?: number): Promise<Server> {
  const s = await startServer(
    {},
    { agentYaml: AGENT, configure: (c) => void (keepAliveMs && (c.wsKeepAliveMs = keepAliveMs)) },
  );
  writeFileSync(path.join(s.dir, 'app.log'), '');
  const user = await s.createUser('lena');
  return { s, token: user.token };
}

/** The gauge as Prometheus scrapes it. */
async function scrapedLogTails(s: TestServer): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('tiny_agent_open_subscriptions{kind="logTail"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

const gauge = async (s: TestServer) =>
  (await s.app.services.metrics.openSubscriptions.get()).values.find(
    (v) => v.labels.kind === 'logTail',
  )?.value ?? 0;
const buffered = async (s: TestServer) =>
  (await s.app.services.metrics.webSocketBufferedBytes.get()).values[0]?.value ?? 0;

/** A raw graphql-transport-ws socket with one live logTail, receiving its lines. */
async function rawTail({ s, token }: Server, opts: { autoPong?: boolean } = {}) {
  const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws', { autoPong: opts.autoPong ?? true });
  const got = { lines: 0 };
  const before = { gauge: await gauge(s), subscribers: s.app.services.logHub.stats().subscribers };
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw));
    if (m.type === 'connection_ack')
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: TAIL } }));
    if (m.type === 'next') got.lines++;
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(
    JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
  );
  await waitUntil(
    async () =>
      (await gauge(s)) === before.gauge + 1 &&
      s.app.services.logHub.stats().subscribers === before.subscribers + 1,
    { timeoutMs: 5000, what: 'the stream open' },
  );
  // the follower attaches just after the stream opens: append until a live line arrives
  await waitUntil(
    () => got.lines > 0 || (appendFileSync(path.join(s.dir, 'app.log'), 'live\n'), false),
    { timeoutMs: 5000, what: 'a live line' },
  );
  const tcp = (ws as unknown as { _socket: import('node:net').Socket })._socket;
  return { ws, tcp, got };
}

// graphql-ws's own server (FAST_PATHS=off) waits on every write, so it never queues 64 KiB: a
// write it cannot finish for half a second is its stall (else a keepalive drop ends the wait)
const STOCK = process.env.FAST_PATHS === 'off';

/** Stops reading at the TCP level and appends until the server holds more than the 64 KiB it queues before a stream waits on its writes. */
async function stall(srv: Server, tcp: import('node:net').Socket) {
  tcp.pause();
  const file = path.join(srv.s.dir, 'app.log');
  let heldSince = 0;
  await waitUntil(
    async () => {
      // (a keepalive may drop the peer first: then its stream must be gone)
      if ((await gauge(srv.s)) === 0) return true;
      const bytes = await buffered(srv.s);
      if (!STOCK && bytes > 64 * 1024) return true;
      if (STOCK && bytes > 0) {
        heldSince ||= Date.now();
        if (Date.now() - heldSince >= 500) return true;
      } else heldSince = 0;
      appendFileSync(file, BIG_LINE.repeat(8));
      return false;
    },
    { timeoutMs: 20_000, what: 'a backlog in the server' },
  );
}

/** Everything back where it started: the gauge (scraped too) and the hub's followers. */
async function released(s: TestServer) {
  const hub = s.app.services.logHub;
  await waitUntil(
    async () => (await gauge(s)) === 0 && hub.stats().followers === 0 && hub.stats().closing === 0,
    { timeoutMs: 10_000, what: 'the stream released' },
  ).catch(async (err: Error) => {
    throw new Error(
      `${err.message}: open logTail ${await gauge(s)}, hub ${JSON.stringify(hub.stats())}`,
    );
  });
  expect(await scrapedLogTails(s)).toBe(0);
  expect(hub.stats()).toEqual({ followers: 0, subscribers: 0, closing: 0 });
}

describe('a WebSocket that goes away releases its streams', () => {
  let srv: Server;
  beforeAll(async () => {
    srv = await serve();
  });
  afterAll(() => srv.s.stop());

  it('clean close', async () => {
    const { ws } = await rawTail(srv);
    ws.close(1000);
    await released(srv.s);
  });

  it('TCP destroy, and TCP reset', async () => {
    (await rawTail(srv)).tcp.destroy();
    await released(srv.s);
    (await rawTail(srv)).tcp.resetAndDestroy();
    await released(srv.s);
  });

  it('stalled reader, then close', async () => {
    const { ws, tcp } = await rawTail(srv);
    await stall(srv, tcp);
    ws.close(1000); // the reader still reads nothing: the server never sees its close frame answered
    await released(srv.s);
    ws.terminate();
  });

  it('stalled reader, then reset', async () => {
    const { tcp } = await rawTail(srv);
    await stall(srv, tcp);
    tcp.resetAndDestroy();
    await released(srv.s);
  });

  it('several stalled readers on one file, then their sockets destroyed', async () => {
    const tails = [];
    for (let i = 0; i < 3; i++) tails.push(await rawTail(srv));
    for (const t of tails) t.tcp.pause();
    await stall(srv, tails[0]!.tcp);
    for (const t of tails) t.tcp.destroy();
    await released(srv.s);
  });
});

describe('keepalive drops release streams too', () => {
  let srv: Server;
  beforeAll(async () => {
    srv = await serve(300);
  });
  afterAll(() => srv.s.stop());

  it('an idle peer that stops answering pings', async () => {
    const { ws } = await rawTail(srv, { autoPong: false });
    await released(srv.s);
    ws.terminate();
  });

  it('a stalled peer that neither reads nor answers', async () => {
    const { ws, tcp } = await rawTail(srv, { autoPong: false });
    await stall(srv, tcp);
    await released(srv.s);
    ws.terminate();
  });
});

/** logTail over SSE on a raw HTTP request, once its first live line arrived. */
async function sseTail({ s, token }: Server) {
  const before = await gauge(s);
  const got = { bytes: 0 };
  const req = request(`${s.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${token}`,
    },
  });
  req.end(JSON.stringify({ query: TAIL }));
  const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
    req.once('response', resolve).once('error', reject),
  );
  res.on('data', (chunk: Buffer) => (got.bytes += chunk.length));
  req.on('error', () => {}); // the tests cut it
  await waitUntil(async () => (await gauge(s)) === before + 1, {
    timeoutMs: 5000,
    what: 'the SSE stream open',
  });
  const seen = got.bytes;
  await waitUntil(
    () => got.bytes > seen + 20 || (appendFileSync(path.join(s.dir, 'app.log'), 'live\n'), false),
    { timeoutMs: 5000, what: 'a live line' },
  );
  return { req, res, tcp: req.socket! };
}

describe('an SSE client that goes away releases its stream', () => {
  let srv: Server;
  beforeAll(async () => {
    srv = await serve();
  });
  afterAll(() => srv.s.stop());

  it('disconnect, and reset', async () => {
    (await sseTail(srv)).req.destroy();
    await released(srv.s);
    (await sseTail(srv)).tcp.resetAndDestroy();
    await released(srv.s);
  });

  it('stalled reader, then reset', async () => {
    const { tcp } = await sseTail(srv);
    tcp.pause();
    appendFileSync(path.join(srv.s.dir, 'app.log'), BIG_LINE.repeat(400)); // ~24 MB: more than the socket buffers hold
    await waitUntil(() => srv.s.app.services.logHub.stats().followers === 1, {
      timeoutMs: 5000,
      what: 'the follower',
    });
    tcp.resetAndDestroy();
    await released(srv.s);
  });
});
