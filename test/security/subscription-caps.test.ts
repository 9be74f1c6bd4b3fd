// Issue 17 item 5: operations per socket, sockets per user and subscriptions per user (WebSocket
// and SSE together) are capped, from agent.yaml's `limits:` (re-read on reload). A refused
// subscription is that operation's RATE_LIMITED error and the socket stays open; a socket over the
// limit is closed at connection_init with 4429. Hundreds of real subscriptions, sent at once.
import { readFileSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAgentConfig } from '../../api/src/config/agent-config.js';

import { startServer, type TestServer } from '../../api/src/test/harness.js';
import { waitUntil } from '../../api/src/test/wait.js';

const SUB = 'subscription { commandRunUpdated { id } }';

let s: TestServer;
beforeAll(async () => {
  s = await startServer({}, { agentYaml: 'commands: []\nlogs: []\n' }); // the default limits: 100 / 200 / 20
});
afterAll(() => s.stop());

const open = () => s.app.services.pubsub.listenerCount('runUpdated');

/** waitUntil, and on a timeout the figures that were seen. */
const until = (check: () => boolean, ms: number, what: string, seen: () => string) =>
  waitUntil(check, { timeoutMs: ms, what: () => `${what}; saw ${seen()}` });

/** A raw graphql-transport-ws socket: every frame, how it closed, and subscribe/complete by id. */
async function socket(token?: string) {
  const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws');
  const frames: any[] = [];
  let closed: { code: number; reason: string } | null = null;
  ws.on('message', (d) => frames.push(JSON.parse(String(d))));
  ws.on('close', (code, reason) => (closed = { code, reason: String(reason) }));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const send = (m: unknown) => ws.send(JSON.stringify(m));
  send({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} });
  await waitUntil(() => frames.some((f) => f.type === 'connection_ack') || closed !== null, {
    timeoutMs: 5000,
    what: 'ack or close',
  });
  return {
    ws,
    frames,
    closed: () => closed as { code: number; reason: string } | null,
    subscribe: (ids: string[], query = SUB) =>
      ids.forEach((id) => send({ id, type: 'subscribe', payload: { query } })),
    complete: (ids: string[]) => ids.forEach((id) => send({ id, type: 'complete' })),
    refused: () => frames.filter((f) => f.type === 'error'),
  };
}
type Socket = Awaited<ReturnType<typeof socket>>;

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const closeAll = async (sockets: Socket[]) => {
  for (const c of sockets) c.ws.close();
  await waitUntil(() => open() === 0, { timeoutMs: 5000, what: 'every stream ended' });
};

describe('subscriptionsPerSocket (default 100)', () => {
  it('150 subscriptions sent at once on one socket: 100 open, 50 refused RATE_LIMITED, the socket stays open', async () => {
    const user = await s.createUser('sock-user');
    const c = await socket(user.token);
    c.subscribe(ids('s', 150));
    await until(
      () => c.refused().length === 50 && open() === 100,
      10_000,
      '100 open and 50 refused',
      () => `${open()} open, ${c.refused().length} refused`,
    );
    for (const f of c.refused()) {
      expect(f.payload[0].extensions.code).toBe('RATE_LIMITED');
      expect(f.payload[0].message).toMatch(/100 operations .*limits\.subscriptionsPerSocket/);
    }
    expect(c.closed()).toBeNull();
    c.complete(ids('s', 10)); // room again: the socket takes 10 more
    await waitUntil(() => open() === 90, { timeoutMs: 5000, what: '10 completed' });
    c.subscribe(ids('again', 10));
    await waitUntil(() => open() === 100, { timeoutMs: 5000, what: '100 open' });
    expect(c.refused()).toHaveLength(50);
    await closeAll([c]);
  });
});

describe('subscriptionsPerUser (default 200), across WebSocket and SSE', () => {
  it('300 subscriptions at once on three sockets: exactly 200 open; SSE counts too; other users are not affected', async () => {
    const user = await s.createUser('many-subs');
    const sockets = await Promise.all([1, 2, 3].map(() => socket(user.token)));
    sockets.forEach((c, i) => c.subscribe(ids(`u${i}-`, 100)));
    const refused = () => sockets.reduce((n, c) => n + c.refused().length, 0);
    await until(
      () => refused() === 100 && open() === 200,
      15_000,
      '200 open and 100 refused',
      () => `${open()} open, ${refused()} refused`,
    );
    for (const c of sockets) {
      for (const f of c.refused()) {
        expect(f.payload[0].extensions.code).toBe('RATE_LIMITED');
        expect(f.payload[0].message).toMatch(/200 subscriptions .*limits\.subscriptionsPerUser/);
      }
      expect(c.closed()).toBeNull();
    }

    const sse = s.subscribeSse(SUB, {}, user);
    await sse.waitEnd();
    expect(sse.events[0].errors[0].extensions.code).toBe('RATE_LIMITED');

    const other = await s.createUser('other-user');
    const theirs = s.subscribeSse(SUB, {}, other);
    await waitUntil(() => open() === 201, { timeoutMs: 5000, what: "another user's stream" });
    theirs.stop();
    await waitUntil(() => open() === 200, { timeoutMs: 5000, what: 'their stream ended' });

    // slots come back when streams end: end one socket's streams, and SSE takes them
    sockets[0]!.ws.close();
    await waitUntil(() => open() < 200, { timeoutMs: 5000, what: 'the closed socket released' });
    const freed = 200 - open();
    const tails = Array.from({ length: freed }, () => s.subscribeSse(SUB, {}, user));
    await waitUntil(() => open() === 200, {
      timeoutMs: 10_000,
      what: 'SSE streams in the freed slots',
    });
    expect(tails.every((t) => t.ended === null)).toBe(true);
    for (const t of tails) t.stop();
    await closeAll(sockets);
  });
});

describe('socketsPerUser (default 20)', () => {
  it('the 21st socket of a user is closed at connection_init with 4429 and a reason; a freed slot is usable', async () => {
    const user = await s.createUser('socket-hoarder');
    const sockets = await Promise.all(Array.from({ length: 20 }, () => socket(user.token)));
    expect(sockets.every((c) => c.frames[0]?.type === 'connection_ack')).toBe(true);
    const extra = await socket(user.token);
    await waitUntil(() => extra.closed() !== null, {
      timeoutMs: 5000,
      what: 'the extra socket closed',
    });
    expect(extra.closed()!.code).toBe(4429);
    expect(extra.closed()!.reason).toMatch(/20 .*limits\.socketsPerUser/);
    expect(sockets.every((c) => c.closed() === null)).toBe(true);

    sockets[0]!.ws.close();
    await waitUntil(() => sockets[0]!.closed() !== null, { timeoutMs: 5000, what: 'one closed' });
    const again = await waitForAck(user.token);
    expect(again.closed()).toBeNull();
    for (const c of [...sockets, again]) c.ws.close();
  });

  it('signed-out sockets count per client address, and hold at most 5 operations each', async () => {
    const strangers = await Promise.all(Array.from({ length: 20 }, () => socket()));
    expect(strangers.every((c) => c.frames[0]?.type === 'connection_ack')).toBe(true);
    const extra = await socket();
    expect(extra.closed()?.code).toBe(4429);
    for (const c of strangers.slice(1)) c.ws.close();

    // a burst of 30 sign-ins on one signed-out socket: 5 run, the rest are refused at once
    const c = strangers[0]!;
    const login = (i: number) =>
      `mutation { login(username: "nobody-${i}", password: "wrong-password") { token } }`;
    ids('l', 30).forEach((id, i) =>
      c.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query: login(i) } })),
    );
    await waitUntil(
      () => c.frames.filter((f) => f.type === 'error' || f.type === 'complete').length === 30,
      { timeoutMs: 20_000, what: '30 answers' },
    );
    const busy = c.refused().filter((f) => /signed out/.test(f.payload[0].message));
    expect(busy.length).toBeGreaterThanOrEqual(20);
    for (const f of busy) expect(f.payload[0].extensions.code).toBe('RATE_LIMITED');
    expect(c.closed()).toBeNull();
    c.ws.close();
  });
});

/** A socket for `token`, retried while the server still counts a just-closed one. */
async function waitForAck(token: string): Promise<Socket> {
  for (let i = 0; ; i++) {
    const c = await socket(token);
    if (!c.closed()) return c;
    if (i > 50) throw new Error(`still refused: ${JSON.stringify(c.closed())}`);
  }
}

describe('limits are re-read when agent.yaml changes', () => {
  it('lower limits apply to new subscriptions and sockets', async () => {
    const user = await s.createUser('reload-user');
    const original = readFileSync(s.agentPath, 'utf8');
    writeFileSync(
      s.agentPath,
      `${original}limits:\n  subscriptionsPerSocket: 3\n  subscriptionsPerUser: 4\n  socketsPerUser: 2\n`,
    );
    try {
      await waitUntil(() => s.app.services.agent.config.limits.socketsPerUser === 2, {
        timeoutMs: 10_000,
        what: 'the reload',
      });
      const a = await socket(user.token);
      a.subscribe(ids('a', 5));
      await until(
        () => a.refused().length === 2 && open() === 3,
        5000,
        '3 open on a',
        () => `${open()} open, ${JSON.stringify(a.frames)}`,
      );
      expect(a.refused()[0].payload[0].message).toMatch(/limits\.subscriptionsPerSocket/);
      const b = await socket(user.token);
      b.subscribe(ids('b', 2));
      await waitUntil(() => b.refused().length === 1 && open() === 4, {
        timeoutMs: 5000,
        what: '4 open for the user',
      });
      expect(b.refused()[0].payload[0].message).toMatch(/limits\.subscriptionsPerUser/);
      expect((await socket(user.token)).closed()?.code).toBe(4429);
      await closeAll([a, b]);
    } finally {
      writeFileSync(s.agentPath, original);
      await waitUntil(() => s.app.services.agent.config.limits.socketsPerUser === 20, {
        timeoutMs: 10_000,
        what: 'the defaults back',
      });
    }
  });
});

describe('the limits in agent.yaml', () => {
  it('default to 100 / 200 / 20 and refuse a value below 1 or not a whole number', async () => {
    const limits = async (yaml: string) => (await parseAgentConfig(yaml, s.agentPath)).limits;
    expect(await limits('commands: []\n')).toMatchObject({
      subscriptionsPerSocket: 100,
      subscriptionsPerUser: 200,
      socketsPerUser: 20,
    });
    for (const bad of [
      'subscriptionsPerSocket: 0',
      'subscriptionsPerUser: 1.5',
      'socketsPerUser: -1',
      'socketsPerUser: many',
    ]) {
      await expect(limits(`limits: { ${bad} }\n`)).rejects.toThrow(`limits.${bad.split(':')[0]}`);
    }
  });
});
