import { getNamedType, isNonNullType, isScalarType, isEnumType, type GraphQLField } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from './schema.js';
import { authHeaders, startServer, type TestServer } from './test/harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.stop());

const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;

/** A syntactically valid call of a root field: required args filled with dummies, a minimal selection. */
function callOf(
  kind: 'query' | 'mutation' | 'subscription',
  field: GraphQLField<unknown, unknown>,
): string {
  const dummy = (t: any): string => {
    const named = getNamedType(t);
    if (isEnumType(named)) return named.getValues()[0]!.name;
    if (isScalarType(named)) return ['Int', 'Float'].includes(named.name) ? '1' : '"x"';
    const inner = (named as any).getFields();
    return `{ ${Object.values<any>(inner)
      .filter((f) => isNonNullType(f.type))
      .map((f) => `${f.name}: ${dummy(f.type)}`)
      .join(', ')} }`;
  };
  const args = field.args
    .filter((a) => isNonNullType(a.type))
    .map((a) => `${a.name}: ${dummy(a.type)}`);
  const named = getNamedType(field.type);
  const selection = isScalarType(named) || isEnumType(named) ? '' : '{ __typename }';
  return `${kind} { ${field.name}${args.length ? `(${args.join(', ')})` : ''} ${selection} }`;
}

describe('deny by default', () => {
  const roots = (['query', 'mutation', 'subscription'] as const).flatMap((kind) => {
    const type =
      kind === 'query'
        ? schema.getQueryType()
        : kind === 'mutation'
          ? schema.getMutationType()
          : schema.getSubscriptionType();
    return Object.values(type?.getFields() ?? {}).map((f) => ({
      kind,
      name: f.name,
      doc: callOf(kind, f),
    }));
  });

  it('covers every root field of the schema', () => {
    expect(roots.length).toBeGreaterThan(10);
  });

  it.each(
    roots
      .filter((r) => r.kind !== 'subscription' && !['me', 'login'].includes(r.name))
      .map((r) => [r.name, r.doc]),
  )('anonymous %s over HTTP answers UNAUTHENTICATED', async (_name, doc) => {
    const r = await s.gql(doc);
    expect(code(r), JSON.stringify(r.errors)).toBe('UNAUTHENTICATED');
    expect(r.data?.[_name as string]).toBeUndefined();
  });

  it.each(roots.filter((r) => r.kind === 'subscription').map((r) => [r.name, r.doc]))(
    'anonymous subscription %s answers UNAUTHENTICATED over WebSocket and SSE',
    async (_name, doc) => {
      const ws = s.subscribeWs(doc);
      await ws.waitEnd();
      const wsErr = ws.events[0]?.errors?.[0] ?? (ws.ended as any).error?.[0];
      expect(wsErr?.extensions?.code).toBe('UNAUTHENTICATED');
      const sse = s.subscribeSse(doc);
      await sse.waitEnd();
      expect(sse.events[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    },
  );

  it('a document a signed-in caller ran (and the server remembers as valid) is still refused signed out', async () => {
    const admin = await s.login();
    const doc = `{ users { id username } }`;
    for (let i = 0; i < 2; i++)
      expect((await s.gql(doc, {}, admin)).data.users.length).toBeGreaterThan(0);
    const anon = await s.gql(doc);
    expect(code(anon)).toBe('UNAUTHENTICATED');
    expect(anon.data?.users).toBeUndefined();
    // a remembered document still runs the operation each request names
    const two = `query A { me { username } } query B { users { username } }`;
    const run = async (operationName: string) => {
      const res = await fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders(admin) },
        body: JSON.stringify({ query: two, operationName }),
      });
      return ((await res.json()) as { data: object }).data;
    };
    expect(await run('A')).toEqual({ me: { username: 'admin' } });
    expect(await run('B')).toEqual({ users: [{ username: 'admin' }] });
    expect(await run('A')).toEqual({ me: { username: 'admin' } });
  });

  it('me answers null when signed out, never an error', async () => {
    const r = await s.gql(`{ me { id } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.me).toBeNull();
  });

  it('introspection and field suggestions only for signed-in users', async () => {
    const anon = await s.gql(`{ __schema { types { name } } }`);
    expect(code(anon)).toBe('UNAUTHENTICATED');
    // signed out, a typo says nothing about the schema either
    const typo = await s.gql(`{ mee { id } }`);
    expect(code(typo)).toBe('UNAUTHENTICATED');
    expect(typo.errors).toHaveLength(1);
    expect(typo.errors![0]!.message).not.toMatch(/Did you mean/);
    const admin = await s.login();
    const intro = await s.gql(`{ __schema { queryType { name } } }`, {}, admin);
    expect(intro.data.__schema.queryType.name).toBe('Query');
    const typo2 = await s.gql(`{ mee { id } }`, {}, admin);
    expect(typo2.errors![0]!.message).toMatch(/Did you mean "me"/);
  });
});

describe('request protections', () => {
  it('a cookie-authenticated request without a JSON body needs the CSRF header', async () => {
    const admin = await s.login();
    const q = encodeURIComponent('{ me { username } }');
    const bare = await fetch(`${s.url}/graphql?query=${q}`, {
      headers: { cookie: admin.cookie, accept: 'application/json' },
    });
    expect(bare.status).toBe(403);
    expect((await bare.json()).errors[0].extensions.code).toBe('FORBIDDEN');
    const withHeader = await fetch(`${s.url}/graphql?query=${q}`, {
      headers: { cookie: admin.cookie, accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
    });
    expect((await withHeader.json()).data.me.username).toBe('admin');
  });

  it('aliased and long queries are refused with BAD_USER_INPUT', async () => {
    const admin = await s.login();
    const long = await s.gql(`{ me { ${'id '.repeat(1100)} } }`, {}, admin);
    expect(code(long)).toBe('BAD_USER_INPUT');
    expect(long.errors![0]!.message).toMatch(/token/i);
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: me { id }`).join(' ');
    const many = await s.gql(`{ ${aliases} }`, {}, admin);
    expect(code(many)).toBe('BAD_USER_INPUT');
    expect(many.errors![0]!.message).toMatch(/^Query too large: Aliases limit of 15 exceeded/);
  });

  it('fragments do not count as nesting, so a real paged query with a fragment passes', async () => {
    const admin = await s.login();
    const r = await s.gql(
      `query { commandRuns(first: 100) { edges { node { ...Run } } pageInfo { hasNextPage } } }
       fragment Run on CommandRun { id status startedBy { id username } }`,
      {},
      admin,
    );
    expect(r.errors).toBeUndefined();
  });

  it('batching is off', async () => {
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('a huge JSON body is refused at the Node layer with PAYLOAD_TOO_LARGE', async () => {
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ me { id } }',
        variables: { pad: 'x'.repeat(3 * 1024 * 1024) },
      }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a JSON body that arrives in pieces after its headers is read whole; one over the limit in chunks is refused', async () => {
    const { connect } = await import('node:net');
    const exchange = (head: string, pieces: string[]) =>
      new Promise<string>((resolve, reject) => {
        const sock = connect(Number(new URL(s.url).port), '127.0.0.1');
        let got = '';
        sock.on('data', (d) => (got += d));
        sock.on('end', () => resolve(got));
        sock.on('error', reject);
        sock.write(head);
        pieces.forEach((p, i) => setTimeout(() => sock.write(p), 100 * (i + 1)));
      });
    const body = JSON.stringify({ query: '{ __typename }' });
    const slow = await exchange(
      `POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`,
      [body.slice(0, 5), body.slice(5)],
    );
    expect(slow).toMatch(/^HTTP\/1.1 200/);
    expect(slow).toContain('{"data":{"__typename":"Query"}}');
    const mib = 'x'.repeat(1024 * 1024);
    const chunk = (t: string) => `${t.length.toString(16)}\r\n${t}\r\n`;
    const huge = await exchange(
      'POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n',
      [
        chunk('{"query":"{ __typename }","variables":{"pad":"'),
        chunk(mib),
        chunk(mib),
        chunk('"}}') + '0\r\n\r\n',
      ],
    );
    expect(huge).toMatch(/^HTTP\/1.1 413/);
    expect(huge).toContain('PAYLOAD_TOO_LARGE');
  });

  it('syntax errors carry BAD_USER_INPUT', async () => {
    const r = await s.gql(`{ me { id }`);
    expect(code(r)).toBe('BAD_USER_INPUT');
  });
});

describe('operations endpoints', () => {
  it('/health, /ready and /metrics answer', async () => {
    expect((await (await fetch(`${s.url}/health`)).json()).status).toBe('ok');
    const ready = await fetch(`${s.url}/ready`);
    expect(ready.status).toBe(200);
    await s.gql(`{ me { id } }`);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(
      /tiny_agent_graphql_operations_total\{type="query",name="anonymous",outcome="ok"\} \d+/,
    );
    expect(metrics).toMatch(/tiny_agent_graphql_operation_duration_seconds_bucket/);
    expect(metrics).toMatch(/tiny_agent_process_resident_memory_bytes/);
  });

  it('GraphiQL answers a browser asking for HTML', async () => {
    const res = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/GraphiQL/);
  });
});

describe('WebSocket limits', () => {
  const raw = (url: string) =>
    new Promise<{ ws: import('ws').WebSocket; closed: Promise<{ code: number; ms: number }> }>(
      (resolve, reject) => {
        import('ws').then(({ default: WebSocket }) => {
          const ws = new WebSocket(url, 'graphql-transport-ws');
          const t = Date.now();
          const closed = new Promise<{ code: number; ms: number }>((r) =>
            ws.on('close', (code) => r({ code, ms: Date.now() - t })),
          );
          ws.on('open', () => resolve({ ws, closed }));
          ws.on('error', reject);
        });
      },
    );

  it('a connection that never initialises is closed after the init timeout', async () => {
    const { closed } = await raw(s.wsUrl);
    const { code, ms } = await closed;
    expect(code).toBe(4408);
    expect(ms).toBeLessThan(8000);
  });

  it('a message over the size limit closes the socket', async () => {
    const { ws, closed } = await raw(s.wsUrl);
    ws.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(200 * 1024) } }));
    expect((await closed).code).toBe(1009);
  });
});
