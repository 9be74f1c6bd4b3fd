// graphql-transport-ws as our loop speaks it, checked with raw frames, and shared stream events.
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../test/harness.js';
import { waitUntil } from '../test/wait.js';

let s: TestServer;
let admin: { token: string };

beforeAll(async () => {
  s = await startServer(
    {},
    { agentYaml: `commands: []\nlogs:\n  - { name: app, path: app.log, roles: [admin] }\n` },
  );
  writeFileSync(path.join(s.dir, 'app.log'), '');
  admin = await s.login();
});
afterAll(() => s.stop());

/** A raw socket: every frame received, parsed, and how it closed. */
async function raw(protocol: string | null = 'graphql-transport-ws') {
  const ws = protocol ? new WebSocket(s.wsUrl, protocol) : new WebSocket(s.wsUrl);
  const frames: any[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d))));
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.on('close', (code, reason) => r({ code, reason: String(reason) })),
  );
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const send = (m: unknown) => ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  const frame = async (match: (f: any) => boolean) => {
    await waitUntil(() => frames.some(match), { timeoutMs: 5000, what: 'a frame' });
    return frames.find(match);
  };
  const init = async () => {
    send({ type: 'connection_init', payload: { authorization: `Bearer ${admin.token}` } });
    await frame((f) => f.type === 'connection_ack');
  };
  return { ws, frames, closed, send, frame, init };
}

describe('graphql-transport-ws protocol', () => {
  it("closes with the protocol's codes: no subprotocol 4406, bad frame 4400, subscribe before init 4401, second init 4429, duplicate id 4409", async () => {
    expect((await (await raw(null)).closed).code).toBe(4406);

    const bad = await raw();
    bad.send('{not json');
    expect((await bad.closed).code).toBe(4400);

    const early = await raw();
    early.send({ id: '1', type: 'subscribe', payload: { query: '{ me { id } }' } });
    expect((await early.closed).code).toBe(4401);

    const twice = await raw();
    await twice.init();
    twice.send({ type: 'connection_init' });
    expect((await twice.closed).code).toBe(4429);

    const dup = await raw();
    await dup.init();
    const tail = { query: 'subscription { logTail(source: "app") { text } }' };
    dup.send({ id: 'a', type: 'subscribe', payload: tail });
    dup.send({ id: 'a', type: 'subscribe', payload: tail });
    expect(await dup.closed).toEqual({ code: 4409, reason: 'Subscriber for a already exists' });
  });

  it('answers a ping with its payload, a query with next then complete, and a refused operation with error', async () => {
    const c = await raw();
    await c.init();
    c.send({ type: 'ping', payload: { t: 1 } });
    expect(await c.frame((f) => f.type === 'pong')).toEqual({ type: 'pong', payload: { t: 1 } });
    c.send({ id: 'q', type: 'subscribe', payload: { query: '{ me { username } }' } });
    await c.frame((f) => f.id === 'q' && f.type === 'complete');
    expect(c.frames.filter((f) => f.id === 'q')).toEqual([
      { id: 'q', type: 'next', payload: { data: { me: { username: 'admin' } } } },
      { id: 'q', type: 'complete' },
    ]);
    c.send({
      id: 'n',
      type: 'subscribe',
      payload: { query: 'subscription { logTail(source: "../etc/passwd") { text } }' },
    });
    const refused = await c.frame((f) => f.id === 'n');
    expect(refused.type).toBe('next');
    expect(refused.payload.errors[0].extensions.code).toBe('NOT_FOUND');
    c.ws.close();
  });

  it('a complete from the client stops that stream only, and the server sends nothing more for it', async () => {
    const c = await raw();
    await c.init();
    c.send({
      id: 'x',
      type: 'subscribe',
      payload: { query: 'subscription { logTail(source: "app") { text } }' },
    });
    c.send({
      id: 'y',
      type: 'subscribe',
      payload: { query: 'subscription { logTail(source: "app") { text } }' },
    });
    await waitUntil(() => s.app.services.logHub.stats().subscribers >= 2, {
      timeoutMs: 5000,
      what: 'both tails attached',
    });
    // the follower attaches just after the streams open: append until x gets a live line
    const gotOne = () =>
      c.frames.some((f) => f.id === 'x' && f.payload?.data?.logTail?.text === 'one');
    await waitUntil(
      () => gotOne() || (appendFileSync(path.join(s.dir, 'app.log'), 'one\n'), false),
      { timeoutMs: 5000, what: 'a live line on x' },
    );
    c.send({ id: 'x', type: 'complete' });
    await waitUntil(() => s.app.services.logHub.stats().subscribers === 1, {
      timeoutMs: 5000,
      what: 'x detached',
    });
    appendFileSync(path.join(s.dir, 'app.log'), 'two\n');
    await c.frame((f) => f.id === 'y' && f.payload?.data?.logTail?.text === 'two');
    expect(
      new Set(c.frames.filter((f) => f.id === 'x').map((f) => f.payload?.data?.logTail?.text)),
    ).toEqual(new Set(['one']));
    c.ws.close();
    await waitUntil(() => s.app.services.logHub.stats().subscribers === 0, {
      timeoutMs: 5000,
      what: 'a closed socket ends its streams',
    });
  });
});

describe('shared stream events', () => {
  it('subscribers with the same document share results; other selections and variables get their own', async () => {
    const c = await raw();
    await c.init();
    const full = 'subscription($f: String) { logTail(source: "app", filter: $f) { kind text } }';
    c.send({ id: 'a', type: 'subscribe', payload: { query: full } });
    c.send({ id: 'b', type: 'subscribe', payload: { query: full } });
    c.send({ id: 'f', type: 'subscribe', payload: { query: full, variables: { f: 'keep' } } });
    c.send({
      id: 't',
      type: 'subscribe',
      payload: { query: 'subscription { logTail(source: "app") { t: text } }' },
    });
    // the follower attaches just after the streams open: prime until every tail gets a live line
    const primed = () => ['a', 'b', 'f', 't'].every((id) => c.frames.some((f) => f.id === id));
    await waitUntil(
      () => primed() || (appendFileSync(path.join(s.dir, 'app.log'), 'keep primed\n'), false),
      { timeoutMs: 5000, what: 'four tails attached' },
    );
    appendFileSync(path.join(s.dir, 'app.log'), 'drop me\nkeep me\n');
    const mine = (f: any) => f.type === 'next' && !JSON.stringify(f.payload).includes('primed');
    await waitUntil(() => c.frames.filter(mine).length >= 7, {
      timeoutMs: 5000,
      what: 'every line to every tail',
    });
    const got = (id: string) =>
      c.frames.filter((f) => f.id === id && mine(f)).map((f) => f.payload.data.logTail);
    expect(got('a')).toEqual([
      { kind: 'LINE', text: 'drop me' },
      { kind: 'LINE', text: 'keep me' },
    ]);
    expect(got('b')).toEqual(got('a'));
    expect(got('f')).toEqual([{ kind: 'LINE', text: 'keep me' }]);
    expect(got('t')).toEqual([{ t: 'drop me' }, { t: 'keep me' }]);
    c.ws.close();
  });
});
