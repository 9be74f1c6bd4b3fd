// Runs the server starts itself go through runCommand as the built-in @automation account: the
// same whitelist, argument checks and history; that account can never be used by a person.
import { describe, expect, it } from 'vitest';
import { serverForFile } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';
import { AUTOMATION_USER_ID } from '../users/user.entity.js';
import { startAutomaticRun } from './automation.run.js';

const f = serverForFile(`commands:
  - name: greet
    title: Greet
    argv: ["echo", "hello {{who}}"]
    args:
      - { name: who, type: string, pattern: "[a-z]+" }
logs: []
`);

const RUN = `query($id: ID!) { commandRun(id: $id) { status trigger triggerName argv startedBy { username } } }`;

describe('automatic runs', () => {
  it('a run the server starts records its trigger and the @automation account; a manual one says MANUAL', async () => {
    const run = await startAutomaticRun(
      f.s.app.services,
      'greet',
      [{ name: 'who', value: 'bob' }],
      {
        trigger: 'SCHEDULE',
        name: 'greet:* * * * *@UTC',
      },
    );
    await waitUntil(
      async () =>
        (await f.s.gql(RUN, { id: run.id }, f.admin)).data.commandRun.status !== 'RUNNING',
      { what: 'the run to end' },
    );
    const auto = (await f.s.gql(RUN, { id: run.id }, f.admin)).data.commandRun;
    expect(auto).toEqual({
      status: 'SUCCEEDED',
      trigger: 'SCHEDULE',
      triggerName: 'greet:* * * * *@UTC',
      argv: ['echo', 'hello bob'],
      startedBy: { username: '@automation' },
    });
    const manual = await f.s.gql(
      'mutation { runCommand(name: "greet", args: [{ name: "who", value: "ann" }]) { trigger triggerName startedBy { username } } }',
      {},
      f.admin,
    );
    expect(manual.data.runCommand).toEqual({
      trigger: 'MANUAL',
      triggerName: null,
      startedBy: { username: 'admin' },
    });
    expect(f.s.logText()).toMatch(/"run started".*"trigger":"SCHEDULE"/);
  });

  it('refuses what the file does not allow, exactly as for a person, and stores nothing', async () => {
    const app = f.s.app.services;
    const origin = { trigger: 'WEBHOOK', name: 'h' } as const;
    const before = (await f.s.gql('{ commandRuns { edges { node { id } } } }', {}, f.admin)).data
      .commandRuns.edges.length;
    await expect(startAutomaticRun(app, 'rm-everything', [], origin)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      startAutomaticRun(app, 'greet', [{ name: 'who', value: 'x; rm -rf /' }], origin),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(
      startAutomaticRun(
        app,
        'greet',
        [
          { name: 'who', value: 'a' },
          { name: 'extra', value: 'b' },
        ],
        origin,
      ),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    const after = (await f.s.gql('{ commandRuns { edges { node { id } } } }', {}, f.admin)).data
      .commandRuns.edges.length;
    expect(after).toBe(before);
  });

  it('the @automation account cannot sign in, is not listed, and cannot be changed or deleted', async () => {
    const login = await f.s.gql(
      'mutation { login(username: "@automation", password: "!") { token } }',
    );
    expect(login.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const users = (await f.s.gql('{ users { username } }', {}, f.admin)).data.users;
    expect(users.map((u: { username: string }) => u.username)).toEqual(['admin']);
    for (const m of [
      'mutation($id: ID!) { updateUser(id: $id, disabled: false) { id } }',
      'mutation($id: ID!) { deleteUser(id: $id) }',
    ]) {
      const r = await f.s.gql(m, { id: AUTOMATION_USER_ID }, f.admin);
      expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });
});
