import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../api/src/test/harness.js';

// issue 17, item 10: over HTTPS the session cookie is `__Host-` prefixed (Secure, Path=/, no
// Domain: no sibling host can plant or overwrite it); over plain HTTP it keeps its plain name

const LOGIN = `mutation { login(username: "admin", password: "admin-password-1") { token } }`;
// behind a trusted proxy, X-Forwarded-Proto says the browser's request was HTTPS
const HTTPS = { 'x-forwarded-proto': 'https' };

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ TRUST_PROXY: 'true' });
});
afterAll(() => s.stop());

describe('the session cookie name', () => {
  it('over HTTPS: __Host-tiny_agent_session, Secure, Path=/, no Domain; it signs in and logout clears it', async () => {
    const r = await s.gql(LOGIN, {}, { headers: HTTPS });
    const set = r.headers.get('set-cookie')!;
    expect(set).toMatch(/^__Host-tiny_agent_session=tas_[\w-]+;/);
    expect(set).toMatch(/; Secure/);
    expect(set).toMatch(/; Path=\/;/);
    expect(set).not.toMatch(/Domain=/i);
    expect(set).toMatch(/HttpOnly/);
    const cookie = set.split(';')[0]!;
    const me = await s.gql(`{ me { username } }`, {}, { cookie, headers: HTTPS });
    expect(me.data.me.username).toBe('admin');

    const out = await s.gql(
      `mutation { logout }`,
      {},
      { cookie, headers: { ...HTTPS, 'x-graphql-yoga-csrf': '1' } },
    );
    const cleared = out.headers.getSetCookie();
    expect(cleared.some((c) => /^__Host-tiny_agent_session=; .*Max-Age=0.*Secure/.test(c))).toBe(
      true,
    );
    expect((await s.gql(`{ me { username } }`, {}, { cookie, headers: HTTPS })).data.me).toBeNull();
  });

  it('over plain HTTP: tiny_agent_session, without Secure', async () => {
    const r = await s.gql(LOGIN);
    const set = r.headers.get('set-cookie')!;
    expect(set).toMatch(/^tiny_agent_session=tas_[\w-]+;/);
    expect(set).not.toMatch(/Secure/);
    expect(
      (await s.gql(`{ me { username } }`, {}, { cookie: set.split(';')[0] })).data.me.username,
    ).toBe('admin');
  });

  it('a malformed cookie value is no credential and no server error', async () => {
    const r = await s.gql(`{ me { username } }`, {}, { cookie: 'tiny_agent_session=%E0%A4%A' });
    expect(r.status).toBe(200);
    expect(r.data.me).toBeNull();
  });
});
