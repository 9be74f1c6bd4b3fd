import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './test/harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.stop());

describe('GraphQL over HTTP audit (graphql-http serverAudits) against the live server', () => {
  it('passes every MUST and every SHOULD', async () => {
    // as a signed-in script would call: some audits query __type (introspection needs a sign-in)
    // and a real client sends our CSRF header on every request
    const { token } = await s.login();
    const fetchFn: typeof fetch = (input, init = {}) =>
      fetch(input, {
        ...init,
        headers: {
          ...Object.fromEntries(new Headers(init.headers).entries()),
          'x-graphql-yoga-csrf': '1',
          authorization: `Bearer ${token}`,
        },
      });
    const results = await Promise.all(
      serverAudits({ url: `${s.url}/graphql`, fetchFn }).map(async (audit) => ({
        name: audit.name,
        result: await audit.fn(),
      })),
    );
    const failedMust = results
      .filter((r) => r.name.startsWith('MUST') && r.result.status !== 'ok')
      .map((r) => `${r.name}: ${r.result.status === 'ok' ? '' : r.result.reason}`);
    expect(failedMust).toEqual([]);
    const notOkShould = results
      .filter((r) => r.name.startsWith('SHOULD') && r.result.status !== 'ok')
      .map((r) => r.name)
      .sort();
    expect(notOkShould).toEqual(KNOWN_SHOULD_GAPS);
  });
});

// None today; a gap accepted later is listed here with its reason (docs/architecture.md).
const KNOWN_SHOULD_GAPS: string[] = [];
