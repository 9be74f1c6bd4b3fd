import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../../api/src/modules/audit/audit-event.entity.js';
import { startServer, type GqlResult, type TestServer } from '../../api/src/test/harness.js';

// issue 17, item 2: a password change, a reset, a disable, signOutEverywhere and endUserSessions end
// what they say at once, over HTTP, WebSocket and SSE, and re-enabling revives nothing

const code = (r: GqlResult) => r.errors?.[0]?.extensions?.code;
const STREAM = `subscription { commandRunUpdated { id } }`;

let s: TestServer;
let admin: Awaited<ReturnType<TestServer['login']>>;
beforeAll(async () => {
  s = await startServer();
  admin = await s.login();
});
afterAll(() => s.stop());

type Cred = { token: string; cookie?: string };
type Stream = ReturnType<TestServer['subscribeWs']>;

const me = async (c: Cred) =>
  (await s.gql(`{ me { username } }`, {}, { token: c.token })).data?.me?.username ?? null;
const meByCookie = async (c: Cred) =>
  (await s.gql(`{ me { username } }`, {}, { cookie: c.cookie })).data?.me?.username ?? null;

async function apiToken(c: Cred): Promise<string> {
  const r = await s.gql(
    `mutation { createApiToken(name: "script") { secret } }`,
    {},
    { token: c.token },
  );
  return r.data.createApiToken.secret;
}

/** Opens streams over WebSocket and SSE and waits until the server holds them all. */
async function open(...specs: ['ws' | 'sse', Cred][]): Promise<Stream[]> {
  const before = s.app.services.pubsub.listenerCount('runUpdated');
  const streams = specs.map(([how, c]) =>
    how === 'ws'
      ? s.subscribeWs(STREAM, {}, { token: c.token })
      : s.subscribeSse(STREAM, {}, { token: c.token }),
  );
  await s.listening('runUpdated', before + specs.length);
  return streams;
}

/** Ended with one UNAUTHENTICATED event, then complete. */
async function expectEnded(stream: Stream): Promise<void> {
  const end = await stream.waitEnd(5000);
  expect(end.error).toBeUndefined();
  expect(stream.events).toHaveLength(1);
  expect(stream.events[0].errors[0].extensions.code).toBe('UNAUTHENTICATED');
}

/** Whether a new WebSocket with this token is accepted and its stream opens. */
async function wsOpens(token: string): Promise<boolean> {
  const before = s.app.services.pubsub.listenerCount('runUpdated');
  const stream = s.subscribeWs(STREAM, {}, { token });
  const deadline = Date.now() + 5000;
  while (!stream.ended && s.app.services.pubsub.listenerCount('runUpdated') === before) {
    if (Date.now() > deadline)
      throw new Error('the WebSocket neither opened its stream nor was refused');
    await new Promise((r) => setTimeout(r, 10));
  }
  const opened = !stream.ended;
  stream.stop();
  await s.listening('runUpdated', before);
  return opened;
}

describe('a password change', () => {
  it('ends every other session of the user at once; the session that changed it and the API tokens stay', async () => {
    const a = await s.createUser('changer', 'USER', 'changer-pass-1');
    const b = await s.login('changer', 'changer-pass-1');
    const token = { token: await apiToken(a) };
    expect(await me(b)).toBe('changer'); // cached now: the change must drop the cache
    const [bWs, bSse, aWs, tSse] = await open(['ws', b], ['sse', b], ['ws', a], ['sse', token]);

    const r = await s.gql(
      `mutation { changePassword(currentPassword: "changer-pass-1", newPassword: "changer-pass-2") }`,
      {},
      a,
    );
    expect(r.data.changePassword).toBe(true);

    await expectEnded(bWs!);
    await expectEnded(bSse!);
    expect(await me(b)).toBeNull();
    expect(await meByCookie(b)).toBeNull();
    expect(await wsOpens(b.token)).toBe(false);

    expect(aWs!.ended).toBeNull();
    expect(tSse!.ended).toBeNull();
    expect(await me(a)).toBe('changer');
    expect(await me(token)).toBe('changer');
    expect(await wsOpens(token.token)).toBe(true);
    aWs!.stop();
    tSse!.stop();
  });
});

describe("an administrator's password reset", () => {
  it('ends every session of the user and revokes their API tokens, on every transport', async () => {
    const a = await s.createUser('reset-me');
    const token = { token: await apiToken(a) };
    expect(await me(token)).toBe('reset-me');
    const [aWs, aSse, tWs] = await open(['ws', a], ['sse', a], ['ws', token]);

    const r = await s.gql(
      `mutation($id: ID!) { updateUser(id: $id, password: "reset-pass-9") { id } }`,
      { id: a.userId },
      admin,
    );
    expect(r.errors).toBeUndefined();

    for (const stream of [aWs!, aSse!, tWs!]) await expectEnded(stream);
    expect(await me(a)).toBeNull();
    expect(await meByCookie(a)).toBeNull();
    expect(await me(token)).toBeNull();
    expect(await wsOpens(a.token)).toBe(false);
    expect(await wsOpens(token.token)).toBe(false);
    const again = await s.login('reset-me', 'reset-pass-9');
    expect((await s.gql(`{ apiTokens { id } }`, {}, again)).data.apiTokens).toEqual([]);
  });
});

describe('disabling a user', () => {
  it('ends their sessions and revokes their API tokens; re-enabling revives neither', async () => {
    const a = await s.createUser('off-and-on');
    const token = { token: await apiToken(a) };
    const [tWs, aSse] = await open(['ws', token], ['sse', a]);
    const set = (disabled: boolean) =>
      s.gql(
        `mutation($id: ID!, $d: Boolean) { updateUser(id: $id, disabled: $d) { disabled } }`,
        { id: a.userId, d: disabled },
        admin,
      );

    expect((await set(true)).data.updateUser.disabled).toBe(true);
    await expectEnded(tWs!);
    await expectEnded(aSse!);
    expect((await set(false)).data.updateUser.disabled).toBe(false);

    expect(await me(a)).toBeNull();
    expect(await me(token)).toBeNull();
    expect(await wsOpens(a.token)).toBe(false);
    expect(await wsOpens(token.token)).toBe(false);
    await s.login('off-and-on', 'user-password-1'); // signing in again is what works
  });
});

describe('signOutEverywhere', () => {
  it("ends every session of the caller but the current one; the caller's API tokens stay", async () => {
    const a = await s.createUser('leaver');
    const b = await s.login('leaver', 'user-password-1');
    const c = await s.login('leaver', 'user-password-1');
    const token = { token: await apiToken(a) };
    const other = await s.createUser('bystander');
    const [bSse, cWs, aWs, tWs, otherWs] = await open(
      ['sse', b],
      ['ws', c],
      ['ws', a],
      ['ws', token],
      ['ws', other],
    );

    // asked over a WebSocket, as the web client's mutations can be
    const asked = s.wsClient({ token: a.token });
    const result = await new Promise<any>((resolve, reject) => {
      let got: unknown;
      asked.subscribe(
        { query: 'mutation { signOutEverywhere }' },
        { next: (v) => (got = v), error: reject, complete: () => resolve(got) },
      );
    });
    expect(result.data.signOutEverywhere).toBe(true);

    await expectEnded(bSse!);
    await expectEnded(cWs!);
    expect(await me(b)).toBeNull();
    expect(await me(c)).toBeNull();
    expect(await wsOpens(c.token)).toBe(false);
    expect(aWs!.ended).toBeNull();
    expect(tWs!.ended).toBeNull();
    expect(otherWs!.ended).toBeNull();
    expect(await me(a)).toBe('leaver');
    expect(await me(token)).toBe('leaver');
    expect(await me(other)).toBe('bystander');
    for (const st of [aWs!, tWs!, otherWs!]) st.stop();
  });

  it('answers UNAUTHENTICATED signed out', async () => {
    expect(code(await s.gql(`mutation { signOutEverywhere }`))).toBe('UNAUTHENTICATED');
  });
});

describe('endUserSessions', () => {
  it('is for administrators: FORBIDDEN for a USER, NOT_FOUND for an unknown id', async () => {
    const u = await s.createUser('not-an-admin');
    expect(
      code(await s.gql(`mutation($id: ID!) { endUserSessions(id: $id) }`, { id: admin.userId }, u)),
    ).toBe('FORBIDDEN');
    expect(
      code(
        await s.gql(
          `mutation { endUserSessions(id: "00000000-0000-0000-0000-000000000000") }`,
          {},
          admin,
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(await me(admin)).toBe('admin');
  });

  it('ends every session and revokes every API token of the user, at once on every transport', async () => {
    const a = await s.createUser('ended');
    const b = await s.login('ended', 'user-password-1');
    const token = { token: await apiToken(a) };
    const [aWs, bSse, tSse] = await open(['ws', a], ['sse', b], ['sse', token]);
    const r = await s.gql(
      `mutation($id: ID!) { endUserSessions(id: $id) }`,
      { id: a.userId },
      admin,
    );
    expect(r.data.endUserSessions).toBe(true);
    for (const stream of [aWs!, bSse!, tSse!]) await expectEnded(stream);
    for (const c of [a, b, token]) expect(await me(c)).toBeNull();
    expect(await wsOpens(token.token)).toBe(false);
    expect(await me(admin)).toBe('admin');
    await s.login('ended', 'user-password-1'); // not a disable: signing in again works
  });
});

describe('API tokens made while the sessions are being ended', () => {
  it('never outlive endUserSessions: each one made during it is refused or revoked (100 concurrent)', async () => {
    const u = await s.createUser('racing');
    const made = Array.from({ length: 100 }, () =>
      s.gql(`mutation { createApiToken(name: "race") { secret } }`, {}, { token: u.token }),
    );
    await new Promise((r) => setTimeout(r, 5)); // some are written, some are on their way
    const ended = await s.gql(
      `mutation($id: ID!) { endUserSessions(id: $id) }`,
      { id: u.userId },
      admin,
    );
    expect(ended.data.endUserSessions).toBe(true);
    const answers = await Promise.all(made);
    const secrets = answers.flatMap((r) =>
      r.data?.createApiToken ? [r.data.createApiToken.secret as string] : [],
    );
    for (const r of answers) if (!r.data?.createApiToken) expect(code(r)).toBe('UNAUTHENTICATED');
    for (const secret of secrets) expect(await me({ token: secret })).toBeNull();
  });
});

describe('the audit trail of sessions and accounts', () => {
  it('records sign-in, sign-out, password changes, ended sessions, user and token changes, and no secret', async () => {
    const u = await s.createUser('audited', 'USER', 'audited-pass-1');
    const secret = await apiToken(u);
    await s.gql(
      `mutation { changePassword(currentPassword: "audited-pass-1", newPassword: "audited-pass-2") }`,
      {},
      u,
    );
    await s.gql(
      `mutation($id: ID!) { updateUser(id: $id, password: "audited-pass-3", role: ADMIN) { id } }`,
      { id: u.userId },
      admin,
    );
    const again = await s.login('audited', 'audited-pass-3');
    await s.gql(`mutation { logout }`, {}, again);

    const rows = await s.app.services.orm.em
      .fork()
      .find(AuditEvent, {}, { orderBy: { at: 'asc' } });
    const mine = rows.filter((e) => e.target === u.userId || e.actorId === u.userId);
    const actions = new Set(mine.map((e) => e.action));
    for (const a of [
      'USER_CREATED',
      'SIGN_IN',
      'TOKEN_CREATED',
      'PASSWORD_CHANGED',
      'SESSIONS_ENDED',
      'USER_UPDATED',
      'SIGN_OUT',
    ]) {
      expect(actions, a).toContain(a);
    }
    const reset = mine.find(
      (e) => e.action === 'SESSIONS_ENDED' && e.detail?.includes('passwordReset'),
    )!;
    expect(JSON.parse(reset.detail!)).toMatchObject({
      reason: 'passwordReset',
      sessions: 1,
      tokens: 1,
    });
    expect(reset.actorName).toBe('admin');
    const updated = mine.find((e) => e.action === 'USER_UPDATED')!;
    expect(JSON.parse(updated.detail!).changed).toEqual(['role', 'password']);
    const all = JSON.stringify(rows);
    for (const secretText of [
      'audited-pass-1',
      'audited-pass-2',
      'audited-pass-3',
      secret,
      u.token,
      again.token,
    ]) {
      expect(all).not.toContain(secretText);
    }
  });
});
