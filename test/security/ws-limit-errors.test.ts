// Issue 17 item 7: an operation over a request limit (depth, cost, aliases, tokens, directives)
// is refused as that operation's error, with the code HTTP gives (BAD_USER_INPUT); the WebSocket
// and its other subscriptions carry on, and nothing is logged as an ERROR. Same code over SSE.
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  authHeaders,
  sseBlocks,
  startServer,
  type TestServer,
} from '../../api/src/test/harness.js';
import { waitUntil } from '../../api/src/test/wait.js';

const AGENT = `commands: []\nlogs:\n  - { name: app, path: app.log, roles: [admin, user] }\n`;

// each over one of graphql-armor's limits (api/src/app.ts), and otherwise a valid operation
const OVER_LIMIT: Record<string, { query: string; says: RegExp }> = {
  depth: {
    query:
      '{ __type(name: "Query") { fields { type { ofType { ofType { ofType { name } } } } } } }',
    says: /depth limit of 6/,
  },
  cost: {
    query:
      '{ commandRuns(first: 5000) { edges { node { id argv status startedBy { id username } } } } }',
    says: /Cost limit of 20000/,
  },
  aliases: {
    query: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(' ')} }`,
    says: /Aliases limit of 15/,
  },
  tokens: { query: `{ me { ${'id '.repeat(1000)}} }`, says: /Token limit of 1000/ },
  directives: {
    query: `{ me ${'@include(if: true) '.repeat(51)}{ id } }`,
    says: /Directives limit of 50/,
  },
  'aliases in a subscription': {
    query: `subscription { logTail(source: "app") { ${Array.from({ length: 16 }, (_, i) => `t${i}: text`).join(' ')} } }`,
    says: /Aliases limit of 15/,
  },
};

let s: TestServer;
let user: { token: string };
beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  writeFileSync(path.join(s.dir, 'app.log'), '');
  user = await s.createUser('lena');
});
afterAll(() => s.stop());

const errorLines = () =>
  s
    .logText()
    .split('\n')
    .filter((l) => l.includes('"level":"error"'));

/** A raw socket with one live logTail ('live') that received a live line. */
async function socketWithLiveTail() {
  const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws');
  const frames: any[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d))));
  let closed: number | null = null;
  ws.on('close', (code) => (closed = code));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const send = (m: unknown) => ws.send(JSON.stringify(m));
  send({ type: 'connection_init', payload: { authorization: `Bearer ${user.token}` } });
  await waitUntil(() => frames.some((f) => f.type === 'connection_ack'), {
    timeoutMs: 5000,
    what: 'ack',
  });
  send({
    id: 'live',
    type: 'subscribe',
    payload: { query: 'subscription { logTail(source: "app") { text } }' },
  });
  const liveLines = () => frames.filter((f) => f.id === 'live' && f.type === 'next').length;
  const liveLine = async () => {
    const before = liveLines();
    await waitUntil(
      () => liveLines() > before || (appendFileSync(path.join(s.dir, 'app.log'), 'tick\n'), false),
      { timeoutMs: 5000, what: 'a live line' },
    );
  };
  await liveLine();
  return { ws, frames, send, liveLine, closed: () => closed };
}

describe('over WebSocket', () => {
  it.each(Object.keys(OVER_LIMIT))(
    '%s: an error for that operation; the socket and its live subscription carry on',
    async (kind) => {
      const { query, says } = OVER_LIMIT[kind]!;
      const c = await socketWithLiveTail();
      const errorsBefore = errorLines().length;
      c.send({ id: 'bad', type: 'subscribe', payload: { query } });
      await waitUntil(() => c.frames.some((f) => f.id === 'bad') || c.closed() !== null, {
        timeoutMs: 5000,
        what: 'an answer to the operation',
      });
      expect(c.closed()).toBeNull();
      const answer = c.frames.filter((f) => f.id === 'bad');
      expect(answer).toHaveLength(1);
      expect(answer[0].type).toBe('error');
      expect(answer[0].payload[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(answer[0].payload[0].message).toMatch(says);
      await c.liveLine(); // the other subscription still streams
      c.send({ id: 'after', type: 'subscribe', payload: { query: '{ me { id } }' } }); // and the socket takes new operations
      await waitUntil(() => c.frames.some((f) => f.id === 'after' && f.type === 'complete'), {
        timeoutMs: 5000,
        what: 'a later query answered',
      });
      expect(c.frames.filter((f) => f.id === 'live' && f.type !== 'next')).toEqual([]);
      expect(errorLines().slice(errorsBefore)).toEqual([]);
      c.ws.close();
    },
  );
});

describe('over HTTP and SSE', () => {
  it.each(Object.keys(OVER_LIMIT))('%s: BAD_USER_INPUT, as on the WebSocket', async (kind) => {
    const { query, says } = OVER_LIMIT[kind]!;
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        ...authHeaders(user),
      },
      body: JSON.stringify({ query }),
    });
    const events = [];
    for await (const block of sseBlocks(res.body!))
      if (block.data) events.push(JSON.parse(block.data));
    expect(events).toHaveLength(1);
    expect(events[0].errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(events[0].errors[0].message).toMatch(says);
    if (kind.includes('subscription')) return;
    const http = await s.gql(query, {}, user);
    expect(http.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
