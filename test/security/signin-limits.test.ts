import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditEvent } from '../../api/src/modules/audit/audit-event.entity.js';
import { startServer, type GqlResult, type TestServer } from '../../api/src/test/harness.js';

// issue 17, items 1 and 3: the sign-in limit holds under concurrency, and nothing an unauthenticated
// caller sends is stored at its own size

const code = (r: GqlResult) => r.errors?.[0]?.extensions?.code;
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`;
const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;

let s: TestServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

const tally = (results: GqlResult[]) => {
  const by: Record<string, number> = {};
  for (const r of results) {
    const k = r.errors ? String(code(r)) : 'OK';
    by[k] = (by[k] ?? 0) + 1;
  }
  return by;
};

describe('the sign-in limit under concurrency', () => {
  it('300 concurrent wrong logins on one account: at most 10 are evaluated, the rest are RATE_LIMITED', async () => {
    s = await startServer();
    const srv = s;
    await srv.createUser('target', 'USER', 'target-password-1');
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => srv.gql(LOGIN, { u: 'target', p: `wrong-guess-${i}` })),
    );
    const by = tally(results);
    expect(by.UNAUTHENTICATED ?? 0).toBeLessThanOrEqual(10);
    expect(by.RATE_LIMITED).toBeGreaterThanOrEqual(290);
    expect(by.OK).toBeUndefined();
    // the failed-login counter only counts verified guesses
    const failed = await srv.app.services.metrics.registry.getSingleMetricAsString(
      'tiny_agent_failed_logins_total',
    );
    expect(Number(/ (\d+)$/m.exec(failed)![1])).toBeLessThanOrEqual(10);
    // the audit trail: the failures, and the limit once (not once per refused request)
    const em = srv.app.services.orm.em.fork();
    expect(await em.count(AuditEvent, { action: 'SIGN_IN_FAILED', actorName: 'target' })).toBe(
      by.UNAUTHENTICATED,
    );
    expect(await em.count(AuditEvent, { action: 'SIGN_IN_LIMITED' })).toBe(1);
  });

  it('a burst of 80 guesses with the right password 40th and last does not sign in', async () => {
    s = await startServer();
    const srv = s;
    await srv.createUser('victim', 'USER', 'victim-password-1');
    const guesses = Array.from({ length: 80 }, (_, i) =>
      i === 39 || i === 79 ? 'victim-password-1' : `wrong-guess-${i}`,
    );
    const results = await Promise.all(guesses.map((p) => srv.gql(LOGIN, { u: 'victim', p })));
    expect(results.filter((r) => r.data?.login?.token)).toHaveLength(0);
    expect(code(results.at(-1)!)).toBe('RATE_LIMITED');
    expect(results.at(-1)!.errors![0]!.message).toMatch(
      /Too many failed sign-ins\. Try again in \d+ minute/,
    );
  });

  it('a sign-in that succeeds frees its place: the right password after a few wrong ones still works', async () => {
    s = await startServer();
    for (let i = 0; i < 5; i++)
      expect(code(await s.gql(LOGIN, { u: 'admin', p: `wrong-${i}` }))).toBe('UNAUTHENTICATED');
    await s.login();
    // the success cleared the account's failures: ten more wrong ones are evaluated before the limit
    for (let i = 0; i < 10; i++)
      expect(code(await s.gql(LOGIN, { u: 'admin', p: `wrong-again-${i}` }))).toBe(
        'UNAUTHENTICATED',
      );
    expect(code(await s.gql(LOGIN, { u: 'admin', p: 'wrong-last' }))).toBe('RATE_LIMITED');
  });

  it("changePassword's current password: 40 concurrent wrong guesses, at most 10 evaluated, then RATE_LIMITED", async () => {
    s = await startServer();
    const srv = s;
    const mallory = await srv.createUser('mallory', 'USER', 'mallory-password-1');
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        srv.gql(CHANGE, { c: `wrong-current-${i}`, n: 'new-password-1' }, mallory),
      ),
    );
    const by = tally(results);
    expect(by.BAD_USER_INPUT ?? 0).toBeLessThanOrEqual(10);
    expect(by.RATE_LIMITED).toBeGreaterThanOrEqual(30);
    // even the right current password waits out the window
    const right = await srv.gql(CHANGE, { c: 'mallory-password-1', n: 'new-password-1' }, mallory);
    expect(code(right)).toBe('RATE_LIMITED');
    expect(right.errors![0]!.message).toMatch(/Too many wrong passwords/);
  });
});

/** A collectable heap: `global.gc` when Node runs with --expose-gc, otherwise switched on here. */
function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('unauthenticated input is bounded before it is stored or hashed', () => {
  it('150 failed logins with unique 900 KB usernames leave nothing of their size behind', async () => {
    s = await startServer();
    const srv = s;
    const gc = gcFunction();
    await srv.gql(LOGIN, { u: 'warm-up', p: 'wrong-password' });
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let batch = 0; batch < 15; batch++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          srv.gql(LOGIN, { u: `${batch}-${i}-`.padEnd(900 * 1024, 'u'), p: 'wrong-password' }),
        ),
      );
      for (const r of results)
        expect(['BAD_USER_INPUT', 'RATE_LIMITED', 'UNAUTHENTICATED']).toContain(code(r));
    }
    gc();
    const grownMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    // the limiter's maps: every key is small, whatever was sent
    const limiter = srv.app.services.limiter as unknown as Record<string, unknown>;
    const keyChars = Object.values(limiter)
      .filter((v): v is Map<string, unknown> => v instanceof Map)
      .flatMap((m) => [...m.keys()])
      .reduce((n, k) => n + k.length, 0);
    expect(keyChars).toBeLessThan(150 * 100);
    expect(grownMb).toBeLessThan(20);
  });

  it('an impossible username or password length is refused as BAD_USER_INPUT before any work', async () => {
    s = await startServer();
    const long = await s.gql(LOGIN, { u: 'a'.repeat(65), p: 'whatever-password' });
    expect(code(long)).toBe('BAD_USER_INPUT');
    expect(long.errors![0]!.message).toMatch(/at most 64/);
    const pw = await s.gql(LOGIN, { u: 'admin', p: 'x'.repeat(257) });
    expect(code(pw)).toBe('BAD_USER_INPUT');
    expect(pw.errors![0]!.message).toMatch(/at most 256/);
    // neither counted as a guess: the account still takes the right password
    await s.login();
  });
});
