import { isIntrospectionType } from 'graphql';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../api/src/schema.js';
import { sseBlocks, startServer, type TestServer } from '../../api/src/test/harness.js';

interface Probe {
  query: string;
  variables?: Record<string, unknown>;
}

// each is a way to learn a name of the schema from an error message; `me` and `login` are open
const PROBES: Probe[] = [
  { query: '{ me { nope } }' }, // Cannot query field "nope" on type "User"
  { query: '{ me { id(x: 1) } }' }, // Unknown argument "x" on field "User.id"
  { query: '{ me { ...F } } fragment F on CommandRun { id }' }, // can never be of type "CommandRun"
  { query: '{ me { ...F } } fragment F on NoSuchType { id }' }, // Unknown type: and so the known ones show
  { query: 'query($r: Role!) { me @include(if: $r) { id } }' }, // "Role!" used where "Boolean!" is expected
  { query: '{ me login }' }, // Cannot query field "login" on type "Query"
  { query: 'mutation { login(username: "a") { token } }' }, // argument "password" of type "String!" is required
  { query: 'mutation { login(username: "a", password: "b") { user { role(x: 1) } } }' },
  { query: 'mutation { login(username: 1, password: "b") { token } }' }, // String cannot represent...
  { query: 'query($b: Boolean!) { me @include(if: $b) { id } }', variables: { b: 'yes' } }, // variable coercion
  {
    query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
    variables: { u: { a: 1 } },
  },
  {
    query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
    variables: {},
  },
];

// field names that are also plain words of the protocol's own messages ("…a mutation operation
// from a POST request"): RunLogWindow.from and .to; a message using them as words tells nothing
const PLAIN_WORDS = new Set(['from', 'to']);

/** Every name a stranger could learn: the schema's types (built-in scalars included) and its fields but `me` and `login`. */
const SCHEMA_NAMES = (() => {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type)) continue;
    names.add(type.name);
    if ('getFields' in type)
      for (const f of Object.keys(type.getFields()))
        if (f !== 'me' && f !== 'login' && !PLAIN_WORDS.has(f)) names.add(f);
  }
  return [...names];
})();

function expectNothingNamed(
  errors: { message: string; extensions?: { code?: string } }[] | undefined,
  where: string,
) {
  expect(errors?.length, where).toBeGreaterThan(0);
  for (const e of errors!) {
    expect(['BAD_USER_INPUT', 'UNAUTHENTICATED'], `${where}: ${e.message}`).toContain(
      e.extensions?.code,
    );
    // names appear in messages quoted ("User") or as words (User.id); neither may appear
    expect(e.message, where).not.toMatch(/"/);
    const named = SCHEMA_NAMES.filter((n) =>
      new RegExp(`(^|[^A-Za-z0-9_])${n}([^A-Za-z0-9_]|$)`).test(
        e.message.replace(/`(me|login)`/g, ''),
      ),
    );
    expect(named, `${where}: ${e.message}`).toEqual([]);
  }
}

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s?.stop());

async function viaGet(p: Probe) {
  const qs = new URLSearchParams({
    query: p.query,
    ...(p.variables ? { variables: JSON.stringify(p.variables) } : {}),
  });
  const res = await fetch(`${s.url}/graphql?${qs}`, {
    headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
  });
  return (await res.json()).errors;
}

async function viaSse(p: Probe) {
  const res = await fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(p),
  });
  for await (const block of sseBlocks(res.body!))
    if (block.data) return JSON.parse(block.data).errors;
  throw new Error('no SSE event');
}

/** One operation on a bare graphql-transport-ws socket, signed out: its error (or first result's) errors. */
async function viaWs(p: Probe) {
  const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws');
  try {
    return await new Promise<any>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
      ws.on('message', (raw) => {
        const m = JSON.parse(String(raw));
        if (m.type === 'connection_ack')
          ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: p }));
        else if (m.type === 'error') resolve(m.payload);
        else if (m.type === 'next') resolve(m.payload.errors);
      });
      ws.on('close', (code, reason) => reject(new Error(`socket closed ${code} ${reason}`)));
      ws.on('error', reject);
    });
  } finally {
    ws.close();
  }
}

describe('a signed-out caller learns nothing of the schema from errors', () => {
  it('over HTTP POST (the fast path and Yoga)', async () => {
    for (const p of PROBES)
      expectNothingNamed((await s.gql(p.query, p.variables)).errors, `POST ${p.query}`);
  });

  it('over HTTP GET', async () => {
    for (const p of PROBES) expectNothingNamed(await viaGet(p), `GET ${p.query}`);
  });

  it('over SSE', async () => {
    for (const p of PROBES) expectNothingNamed(await viaSse(p), `SSE ${p.query}`);
  });

  it('over WebSocket', async () => {
    for (const p of PROBES) expectNothingNamed(await viaWs(p), `WS ${p.query}`);
  });

  it('a signed-in caller still gets the detailed message', async () => {
    const admin = await s.login();
    const r = await s.gql('{ me { nope } }', {}, admin);
    expect(r.errors![0]!.message).toMatch(/^Cannot query field "nope" on type "User"/);
    const coerced = await s.gql(
      'query($b: Boolean!) { me @include(if: $b) { id } }',
      { b: 'yes' },
      admin,
    );
    expect(coerced.errors![0]).toMatchObject({
      message: expect.stringMatching(/^Variable "\$b" got invalid value/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('a signed-out login with good variables still works', async () => {
    const r = await s.gql(
      'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      { u: 'admin', p: 'admin-password-1' },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.login.token).toBeTruthy();
  });
});
