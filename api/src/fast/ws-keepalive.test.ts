// The server's keepalive: a peer that neither answers pings nor takes data is dropped; one that
// is still reading a backlog (its pong queued behind our frames) is kept. Only a quiet peer is
// pinged: one taking a stream shows it is there.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSchema, parse, type ExecutionResult } from 'graphql';
import WebSocket, { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { serveGraphqlWs } from './ws-socket.js';
import { waitUntil } from '../test/wait.js';

const KEEPALIVE_MS = 300;
const schema = buildSchema('type Query { x: String } type Subscription { x: String }');
const chunk = 'x'.repeat(16 * 1024);

let server: Server;
let url: string;
let served: { dispose(): Promise<void> };
let wss: WebSocketServer;

/** A stream that never ends: a 16 KiB result every `everyMs`, as fast as the socket takes them. */
async function* endless(everyMs: number): AsyncGenerator<ExecutionResult> {
  for (;;) {
    yield { data: { x: chunk } };
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

beforeAll(async () => {
  server = createServer();
  wss = new WebSocketServer({ server });
  served = serveGraphqlWs(
    {
      connectionInitWaitTimeout: 5_000,
      onConnect: async () => true,
      onSubscribe: async (_conn, _id, payload) => ({
        args: { schema, document: parse(payload.query) },
        execute: () => ({ data: null }),
        subscribe: () => endless(Number(payload.variables?.everyMs ?? 5)),
      }),
    },
    wss,
    createLogger({ dir: mkdtempSync(path.join(tmpdir(), 'tiny-agent-keepalive-')) }),
    KEEPALIVE_MS,
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await served.dispose();
  server.close();
});

/** A client (answering no pings unless `autoPong`), after init and, if given, one subscription. */
async function peer(subscribe?: { everyMs: number }, autoPong = false) {
  const ws = new WebSocket(url, 'graphql-transport-ws', { autoPong });
  let received = 0;
  let pings = 0;
  ws.on('ping', () => pings++);
  const acked = new Promise((r) => ws.once('message', r));
  ws.on('message', () => received++);
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'connection_init' }));
  await acked;
  if (subscribe)
    ws.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: 'subscription { x }', variables: subscribe },
      }),
    );
  return { ws, closed, received: () => received, pings: () => pings };
}

const outcome = (p: Promise<number>, ms: number) =>
  Promise.race([p, new Promise<'open'>((r) => setTimeout(() => r('open'), ms))]);

describe('WebSocket keepalive', () => {
  it('drops an idle peer that answers no ping', async () => {
    const idle = await peer();
    expect(await outcome(idle.closed, 10 * KEEPALIVE_MS)).toBe(1006);
  });

  it('keeps an idle peer that answers its pings', async () => {
    const idle = await peer(undefined, true);
    expect(await outcome(idle.closed, 10 * KEEPALIVE_MS)).toBe('open');
    expect(idle.pings()).toBeGreaterThanOrEqual(5);
    idle.ws.close();
  });

  it('keeps a peer that answers no ping while it keeps reading its stream, and pings it not at all', async () => {
    const reader = await peer({ everyMs: 5 });
    expect(await outcome(reader.closed, 10 * KEEPALIVE_MS)).toBe('open');
    expect(reader.received()).toBeGreaterThan(50);
    expect(reader.pings()).toBe(0);
    reader.ws.close();
  });

  it('drops a peer that stops reading, once our data no longer gets through', async () => {
    await waitUntil(() => wss.clients.size === 0, {
      timeoutMs: 10_000,
      what: 'the server to drop the socket',
    });
    const stalled = await peer({ everyMs: 0 });
    await new Promise((r) => setTimeout(r, 50));
    // it reads nothing more, so it can't see the close either: watch the server's side
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    expect(wss.clients.size).toBe(1);
    await waitUntil(() => wss.clients.size === 0, {
      timeoutMs: 10_000,
      what: 'the server to drop the socket',
    });
    stalled.ws.terminate();
  });
});
