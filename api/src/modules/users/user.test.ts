import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.stop());

const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;

describe('accounts', () => {
  it('an admin creates, updates and deletes users; a USER gets FORBIDDEN on admin operations', async () => {
    const admin = await s.login();
    const created = await s.gql(
      `mutation { createUser(username: "alice", password: "alice-pass-1", role: USER) { id username role disabled createdAt } }`,
      {},
      admin,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createUser).toMatchObject({
      username: 'alice',
      role: 'USER',
      disabled: false,
    });
    const alice = await s.login('alice', 'alice-pass-1');

    for (const op of [
      `{ users { id } }`,
      `mutation { createUser(username: "x1", password: "xxxxxxxx1", role: ADMIN) { id } }`,
      `mutation { updateUser(id: "${alice.userId}", role: ADMIN) { id } }`,
      `mutation { deleteUser(id: "${admin.userId}") }`,
    ]) {
      const r = await s.gql(op, {}, alice);
      expect(code(r), op).toBe('FORBIDDEN');
    }

    const dup = await s.gql(
      `mutation { createUser(username: "alice", password: "alice-pass-2", role: USER) { id } }`,
      {},
      admin,
    );
    expect(code(dup)).toBe('CONFLICT');
    // an expected refusal is an answer, not a server failure: nothing at ERROR in the log
    expect(s.logText()).not.toMatch(/"level":"error"/);
    const short = await s.gql(
      `mutation { createUser(username: "bob", password: "short", role: USER) { id } }`,
      {},
      admin,
    );
    expect(code(short)).toBe('BAD_USER_INPUT');
    expect(short.errors![0]!.message).toMatch(/8 to 256/);

    const list = await s.gql(`{ users { username } }`, {}, admin);
    expect(list.data.users.map((u: { username: string }) => u.username)).toEqual([
      'admin',
      'alice',
    ]);

    const reset = await s.gql(
      `mutation($id: ID!) { updateUser(id: $id, password: "alice-pass-9") { id } }`,
      { id: alice.userId },
      admin,
    );
    expect(reset.errors).toBeUndefined();
    await expect(s.login('alice', 'alice-pass-1')).rejects.toThrow(/Wrong username or password/);
    await s.login('alice', 'alice-pass-9');

    const del = await s.gql(
      `mutation($id: ID!) { deleteUser(id: $id) }`,
      { id: alice.userId },
      admin,
    );
    expect(del.data.deleteUser).toBe(true);
    const again = await s.gql(
      `mutation($id: ID!) { deleteUser(id: $id) }`,
      { id: alice.userId },
      admin,
    );
    expect(code(again)).toBe('NOT_FOUND');
  });

  it('the last active admin cannot be removed, demoted or disabled', async () => {
    const admin = await s.login();
    for (const op of [
      `mutation { updateUser(id: "${admin.userId}", role: USER) { id } }`,
      `mutation { updateUser(id: "${admin.userId}", disabled: true) { id } }`,
      `mutation { deleteUser(id: "${admin.userId}") }`,
    ]) {
      const r = await s.gql(op, {}, admin);
      expect(code(r), op).toBe('CONFLICT');
      expect(r.errors![0]!.message).toMatch(/last active administrator/);
    }
    // with a second admin, demoting the first is fine
    const second = await s.createUser('second-admin', 'ADMIN');
    const r = await s.gql(
      `mutation { updateUser(id: "${admin.userId}", role: USER) { role } }`,
      {},
      second,
    );
    expect(r.data.updateUser.role).toBe('USER');
    await s.gql(`mutation { updateUser(id: "${admin.userId}", role: ADMIN) { role } }`, {}, second);
  });

  it('a disabled user cannot sign in and their existing session stops working', async () => {
    const admin = await s.login();
    const carol = await s.createUser('carol');
    expect((await s.gql(`{ me { username } }`, {}, carol)).data.me.username).toBe('carol');
    await s.gql(`mutation { updateUser(id: "${carol.userId}", disabled: true) { id } }`, {}, admin);
    expect((await s.gql(`{ me { username } }`, {}, carol)).data.me).toBeNull();
    await expect(s.login('carol', carol.password)).rejects.toThrow(/Wrong username or password/);
  });

  it('changePassword needs the current password', async () => {
    const dave = await s.createUser('dave');
    const wrong = await s.gql(
      `mutation { changePassword(currentPassword: "nope-nope", newPassword: "dave-pass-2") }`,
      {},
      dave,
    );
    expect(code(wrong)).toBe('BAD_USER_INPUT');
    const ok = await s.gql(
      `mutation { changePassword(currentPassword: "${dave.password}", newPassword: "dave-pass-2") }`,
      {},
      dave,
    );
    expect(ok.data.changePassword).toBe(true);
    await s.login('dave', 'dave-pass-2');
  });
});
