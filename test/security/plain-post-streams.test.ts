import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../api/src/test/harness.js';

const LOGS = `commands: []\nlogs:\n  - name: app\n    path: app.log\n    roles: [admin, user]\n`;

/** Open subscriptions as the server counts them: the gauge and the identities it watches. */
async function openStreams(s: TestServer) {
  const gauge = (await s.app.services.metrics.openSubscriptions.get()).values.reduce(
    (n, v) => n + v.value,
    0,
  );
  return { gauge, watched: s.app.services.auth.watcherCount() };
}

let s: TestServer;
let admin: Awaited<ReturnType<TestServer['login']>>;
beforeAll(async () => {
  s = await startServer({}, { agentYaml: LOGS });
  admin = await s.login();
});
afterAll(() => s?.stop());

describe('a subscription sent as a plain JSON POST', () => {
  it('is refused with a code and a way forward, and leaves no stream open (200 of them)', async () => {
    const before = await openStreams(s);
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        fetch(`${s.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            authorization: `Bearer ${admin.token}`,
          },
          body: JSON.stringify({
            query: 'subscription { logTail(source: "app", backfill: 1) { text } }',
          }),
        }).then(async (r) => ({ status: r.status, text: await r.text() })),
      ),
    );
    for (const a of answers) {
      expect(a.status).toBe(406);
      const body = JSON.parse(a.text);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message).toMatch(/text\/event-stream/);
    }
    expect(await openStreams(s)).toEqual(before);
  });
});

describe('a variable of the wrong type', () => {
  const query = 'query($n: Int) { logLines(source: "app", last: $n) { text } }';
  const check = (errors: any[] | undefined) => {
    expect(errors?.[0]?.message).toMatch(/Int cannot represent/);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  };

  it('is BAD_USER_INPUT over HTTP', async () =>
    check((await s.gql(query, { n: 'x' }, admin)).errors));
  it('is BAD_USER_INPUT over WebSocket', async () => {
    const ws = s.subscribeWs(query, { n: 'x' }, { token: admin.token });
    await ws.waitEnd();
    check(ws.events[0]?.errors);
  });
  it('is BAD_USER_INPUT over SSE, for a subscription too', async () => {
    const sse = s.subscribeSse(
      'subscription($b: Int) { logTail(source: "app", backfill: $b) { text } }',
      { b: 'x' },
      admin,
    );
    await sse.waitEnd();
    expect(sse.events[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
