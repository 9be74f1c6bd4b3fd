import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.stop());

const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;

describe('sign-in and sessions', () => {
  it('login sets an HttpOnly SameSite=Strict cookie and returns a bearer token; both identify the user', async () => {
    const r = await s.gql(
      `mutation { login(username: "admin", password: "admin-password-1") { token expiresAt user { username role lastLoginAt } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.login.user).toMatchObject({ username: 'admin', role: 'ADMIN' });
    expect(r.data.login.token).toMatch(/^tas_/);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^tiny_agent_session=tas_[\w-]+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/); // plain http on loopback
    const byCookie = await s.gql(`{ me { username } }`, {}, { cookie: cookie.split(';')[0] });
    expect(byCookie.data.me.username).toBe('admin');
    const byBearer = await s.gql(`{ me { username } }`, {}, { token: r.data.login.token });
    expect(byBearer.data.me.username).toBe('admin');
  });

  it('every login creates a new session id, and logout ends only that session', async () => {
    const a = await s.login();
    const b = await s.login();
    expect(a.token).not.toBe(b.token);
    const out = await s.gql(`mutation { logout }`, {}, a);
    expect(out.data.logout).toBe(true);
    expect(out.headers.get('set-cookie')).toMatch(/tiny_agent_session=; .*Max-Age=0/);
    expect((await s.gql(`{ me { username } }`, {}, a)).data.me).toBeNull();
    expect((await s.gql(`{ me { username } }`, {}, b)).data.me.username).toBe('admin');
  });

  it('unknown user and wrong password give the same message in about the same time', async () => {
    const time = async (u: string) => {
      const t = performance.now();
      const r = await s.gql(
        `mutation($u: String!) { login(username: $u, password: "wrong-password") { token } }`,
        { u },
      );
      return { ms: performance.now() - t, r };
    };
    await time('admin'); // warm the dummy hash
    // the fastest of three each: a busy machine only ever adds time, so the minimum is the cost
    const unknowns = [
      await time('nobody-here'),
      await time('nobody-here'),
      await time('nobody-here'),
    ];
    const wrongs = [await time('admin'), await time('admin'), await time('admin')];
    const [unknown, wrong] = [unknowns, wrongs].map((xs) =>
      xs.reduce((a, b) => (b.ms < a.ms ? b : a)),
    );
    expect(code(unknown!.r)).toBe('UNAUTHENTICATED');
    expect(unknown!.r.errors![0]!.message).toBe(wrong!.r.errors![0]!.message);
    // both pay for one argon2id verification (tens of ms); an early return would be ~1 ms
    expect(unknown!.ms).toBeGreaterThan(wrong!.ms * 0.4);
  });

  it('failed sign-ins are rate limited per account, before any password work', async () => {
    const s2 = await startServer();
    try {
      let last;
      for (let i = 0; i < 11; i++) {
        last = await s2.gql(
          `mutation { login(username: "admin", password: "wrong-password-${i}") { token } }`,
        );
      }
      expect(code(last!)).toBe('RATE_LIMITED');
      expect(last!.errors![0]!.message).toMatch(/Too many failed sign-ins/);
      // even the right password is refused while limited
      await expect(s2.login()).rejects.toThrow(/RATE_LIMITED|Too many/);
      expect(
        await s2.app.services.metrics.registry.getSingleMetricAsString(
          'tiny_agent_failed_logins_total',
        ),
      ).toMatch(/ 10$/m);
    } finally {
      await s2.stop();
    }
  });

  it('password length is bounded before hashing', async () => {
    const t = performance.now();
    const r = await s.gql(
      `mutation($p: String!) { login(username: "admin", password: $p) { token } }`,
      { p: 'x'.repeat(100_000) },
    );
    // no password is that long: an impossible length is refused before anything (test/security/)
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(performance.now() - t).toBeLessThan(2000);
  });
});

describe('API tokens', () => {
  it('the secret is shown once, only a hash is stored, it authenticates and records lastUsedAt, and revoking ends it', async () => {
    const admin = await s.login();
    const created = await s.gql(
      `mutation { createApiToken(name: "ci", expiresInDays: 30) { secret apiToken { id name expiresAt lastUsedAt } } }`,
      {},
      admin,
    );
    expect(created.errors).toBeUndefined();
    const { secret, apiToken } = created.data.createApiToken;
    expect(secret).toMatch(/^tat_/);
    expect(apiToken.lastUsedAt).toBeNull();
    const db = readFileSync(path.join(s.config.DATA_DIR, 'app.db')).toString('latin1');
    expect(db).not.toContain(secret);

    expect((await s.gql(`{ me { username } }`, {}, { token: secret })).data.me.username).toBe(
      'admin',
    );
    await new Promise((r) => setTimeout(r, 100));
    const listed = await s.gql(`{ apiTokens { id name lastUsedAt } }`, {}, admin);
    const mine = listed.data.apiTokens.find((t: { id: string }) => t.id === apiToken.id);
    expect(mine.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.data)).not.toContain(secret);

    const revoked = await s.gql(
      `mutation($id: ID!) { revokeApiToken(id: $id) }`,
      { id: apiToken.id },
      admin,
    );
    expect(revoked.data.revokeApiToken).toBe(true);
    expect((await s.gql(`{ me { username } }`, {}, { token: secret })).data.me).toBeNull();
    expect(code(await s.gql(`{ apiTokens { id } }`, {}, { token: secret }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it("another user's token answers NOT_FOUND", async () => {
    const admin = await s.login();
    const t = await s.gql(
      `mutation { createApiToken(name: "mine") { apiToken { id } } }`,
      {},
      admin,
    );
    const erin = await s.createUser('erin');
    const r = await s.gql(
      `mutation($id: ID!) { revokeApiToken(id: $id) }`,
      { id: t.data.createApiToken.apiToken.id },
      erin,
    );
    expect(code(r)).toBe('NOT_FOUND');
  });
});

describe('the initial admin', () => {
  it('gets a generated password in a 0600 file that works and appears in no log', async () => {
    const s3 = await startServer({ ADMIN_PASSWORD: '' });
    try {
      const file = path.join(s3.config.DATA_DIR, 'initial-admin-password');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = readFileSync(file, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(20);
      await s3.login('admin', password);
      expect(s3.logText()).not.toContain(password);
      expect(s3.logText()).toContain('initial admin created');
    } finally {
      await s3.stop();
    }
  });
});

describe('session lifetimes', () => {
  it('a session ends after its idle time, and after its absolute lifetime even when used', async () => {
    const idle = await startServer(
      {},
      { configure: (c) => ((c.sessionIdleSeconds = 1), (c.sessionMaxSeconds = 60)) },
    );
    const short = await startServer(
      {},
      { configure: (c) => ((c.sessionIdleSeconds = 60), (c.sessionMaxSeconds = 2)) },
    );
    try {
      const a = await idle.login();
      expect((await idle.gql(`{ me { username } }`, {}, a)).data.me.username).toBe('admin');
      await new Promise((r) => setTimeout(r, 1500));
      expect((await idle.gql(`{ me { username } }`, {}, a)).data.me).toBeNull();

      const b = await short.login();
      for (let i = 0; i < 5; i++) {
        // used every 0.5 s, so never idle; the absolute lifetime still ends it
        expect((await short.gql(`{ me { username } }`, {}, b)).data.me?.username).toBe('admin');
        await new Promise((r) => setTimeout(r, 300));
      }
      await new Promise((r) => setTimeout(r, 1000));
      expect((await short.gql(`{ me { username } }`, {}, b)).data.me).toBeNull();
    } finally {
      await idle.stop();
      await short.stop();
    }
  });
});
