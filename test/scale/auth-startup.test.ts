import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartFrame, rawUpload } from '../../api/src/test/file.testkit.js';
import { startCluster, until, type Cluster } from './cluster.js';

// issue 20 items 3 (revocation through a Redis outage), 4 (start-up sweep), 8b (global sign-in
// limits) on one cluster; item 9 (three instances started at once) on its own fresh one
const AGENT = 'commands:\n  - name: hello\n    title: Hello\n    argv: ["echo", "hi"]\nlogs: []\n';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PROTECTED = '{ commands { name } }';
const SUB = 'subscription { commandRunUpdated { id } }';
const codeOf = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code ?? 'OK';

let c: Cluster;
beforeAll(async () => {
  c = await startCluster({ agentYaml: AGENT });
}, 120_000);
afterAll(() => c?.stop(), 60_000);

async function createUser(admin: { token: string }, username: string, password: string) {
  const r = await c.gql(
    c.instances[0]!.url,
    'mutation($u: String!, $p: String!) { createUser(username: $u, password: $p, role: USER) { id } }',
    { u: username, p: password },
    admin,
  );
  expect(r.errors).toBeUndefined();
  return r.data.createUser.id as string;
}

// items 3 and 9 side by side: item 9's own cluster starts while item 3 waits out ioredis's
// retries (12 s of idle); they share nothing (their own PostgreSQL, Redis, ports and data)
describe.concurrent('start-up (item 9)', () => {
  it('three instances started at once on an empty database all start, with one admin', async () => {
    // three processes compiling at once on a shared machine may take longer than one alone
    const fresh = await startCluster({ agentYaml: AGENT, together: true, startTimeoutMs: 60_000 });
    try {
      for (const inst of fresh.instances) {
        const admin = await fresh.login(inst.url);
        const me = await fresh.gql(inst.url, '{ me { username } }', {}, admin);
        expect(me.data.me.username).toBe('admin');
      }
      const admin = await fresh.login();
      const users = (await fresh.gql(fresh.url, '{ users { role } }', {}, admin)).data.users;
      expect(users).toEqual([{ role: 'ADMIN' }]);
    } finally {
      await fresh.stop();
    }
  }, 120_000);
});

describe.concurrent('revocation through a Redis outage (item 3)', () => {
  it('a sign-out, a disable and a token revoke made while Redis is down are refused at once elsewhere and end subscriptions once it is back', async () => {
    const [a, b] = [c.instances[0]!.url, c.instances[1]!.url];
    const admin = await c.login(a);
    const leaving = await c.login(a); // signs out during the outage
    await createUser(admin, 'outage-user', 'outage-password-1');
    const user = await c.login(a, 'outage-user', 'outage-password-1');
    const made = await c.gql(
      a,
      'mutation { createApiToken(name: "outage") { apiToken { id } secret } }',
      {},
      admin,
    );
    const token = {
      id: made.data.createApiToken.apiToken.id,
      token: made.data.createApiToken.secret,
    };
    const creds = [leaving, user, token];
    // B has each identity cached and a subscription of each open
    for (const cred of creds) expect(codeOf(await c.gql(b, PROTECTED, {}, cred))).toBe('OK');
    const subs = creds.map((cred) => c.subscribe(b, SUB, {}, cred.token));
    await sleep(300); // subscriptions set up (nothing to wait on: no event comes)
    expect(subs.map((s) => s.ended)).toEqual([null, null, null]);

    await c.redis.kill();
    expect(codeOf(await c.gql(a, 'mutation { logout }', {}, leaving))).toBe('OK');
    const users = (await c.gql(a, '{ users { id username } }', {}, admin)).data.users;
    const userId = users.find((u: { username: string }) => u.username === 'outage-user').id;
    expect(
      codeOf(
        await c.gql(
          a,
          'mutation($id: ID!) { updateUser(id: $id, disabled: true) { id } }',
          { id: userId },
          admin,
        ),
      ),
    ).toBe('OK');
    expect(
      codeOf(
        await c.gql(a, 'mutation($id: ID!) { revokeApiToken(id: $id) }', { id: token.id }, admin),
      ),
    ).toBe('OK');
    // B holds no event of these, yet refuses them at once: with Redis down it reads the database
    for (const cred of creds)
      expect(codeOf(await c.gql(b, PROTECTED, {}, cred))).toBe('UNAUTHENTICATED');
    expect(codeOf(await c.gql(b, PROTECTED, {}, admin))).toBe('OK');

    // past ioredis's ~10 s of queued retries: the events published meanwhile are gone for good
    await sleep(12_000);
    await c.redis.start();
    for (const s of subs) {
      await s.waitEnd(8_000);
      expect(JSON.stringify(s.events)).toContain('UNAUTHENTICATED');
    }

    // connected again: a revocation published now ends a subscription on B at once, as before
    const again = await c.login(a);
    const live = c.subscribe(b, SUB, {}, again.token);
    await until(async () => codeOf(await c.gql(b, PROTECTED, {}, again)) === 'OK', 'B knows it');
    await sleep(300);
    expect(codeOf(await c.gql(a, 'mutation { logout }', {}, again))).toBe('OK');
    await live.waitEnd(2_000);
    expect(JSON.stringify(live.events)).toContain('UNAUTHENTICATED');
  }, 60_000);
});

describe('uploads across restarts (item 4)', () => {
  it("restarting B leaves A's upload in progress alone: it completes and downloads whole", async () => {
    const a = c.instances[0]!;
    const admin = await c.login(a.url);
    const body = Buffer.from(
      Array.from({ length: 20_000 }, (_, i) => `line ${i} of a slow upload\n`).join(''),
    );
    const frame = multipartFrame('slow.txt', 'text/plain');
    const up = rawUpload(a.url, {
      contentType: frame.contentType,
      headers: { authorization: `Bearer ${admin.token}`, 'x-graphql-yoga-csrf': '1' },
    });
    const half = body.length >> 1;
    expect(await up.write(frame.head)).toBe(true);
    expect(await up.write(body.subarray(0, half))).toBe(true);
    const uploads = path.join(c.dataDir, 'uploads');
    await until(
      () => readdirSync(uploads).some((n) => n.startsWith('.tmp-')),
      "A's temporary file",
    );
    await c.instances[1]!.restart(); // its start-up sweep runs on the shared folder
    expect(await up.write(body.subarray(half))).toBe(true);
    expect(await up.write(frame.tail)).toBe(true);
    up.req.end();
    const res = await up.response;
    const stored = JSON.parse(res.body);
    expect(stored.errors).toBeUndefined();
    const sha = createHash('sha256').update(body).digest('hex');
    expect(stored.data.uploadFile.sha256).toBe(sha);
    const got = await fetch(`${c.instances[2]!.url}/files/${stored.data.uploadFile.id}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(got.status).toBe(200);
    const bytes = Buffer.from(await got.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
  }, 60_000);
});

describe('sign-in limits across instances (item 8b)', () => {
  it('30 wrong guesses spread over three instances at once: at most 10 are checked, then even the right password waits', async () => {
    const admin = await c.login();
    await createUser(admin, 'guessed', 'right-password-1');
    const login =
      'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        c.gql(c.instances[i % 3]!.url, login, { u: 'guessed', p: `wrong-${i}` }),
      ),
    );
    const codes = answers.map(codeOf);
    const checked = codes.filter((x) => x === 'UNAUTHENTICATED').length;
    expect(codes.filter((x) => x !== 'UNAUTHENTICATED' && x !== 'RATE_LIMITED')).toEqual([]);
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(10);
    const limited = answers.find((r) => codeOf(r) === 'RATE_LIMITED')!;
    expect(limited.errors![0]!.message).toMatch(/Try again in \d+ minute/);
    for (const inst of c.instances) {
      const right = await c.gql(inst.url, login, { u: 'guessed', p: 'right-password-1' });
      expect(codeOf(right)).toBe('RATE_LIMITED');
    }
  }, 60_000);
});
