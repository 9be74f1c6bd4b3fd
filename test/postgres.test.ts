import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../api/src/test/harness.js';
import { startPostgres, type Postgres } from './scale/cluster.js';

// A real PostgreSQL (Debian's package), started for this test on a free loopback port.
let pg: Postgres;
let s: TestServer;

beforeAll(async () => {
  pg = await startPostgres();
  const url = pg.url;
  s = await startServer(
    { DATABASE_URL: url },
    {
      agentYaml:
        'commands:\n  - name: hello\n    title: Hello\n    argv: ["echo", "hello from {{who}}"]\n    args: [{ name: who, type: string, pattern: "[a-z]+" }]\nlogs: []\n',
    },
  );
}, 60_000);

afterAll(async () => {
  await s?.stop();
  await pg?.destroy();
});

describe('on PostgreSQL (DATABASE_URL=postgres://…)', () => {
  it('migrations apply, and accounts, tokens and command runs work as on SQLite', async () => {
    const admin = await s.login();
    const created = await s.gql(
      `mutation { createUser(username: "pat", password: "pat-password-1", role: USER) { id role } }`,
      {},
      admin,
    );
    expect(created.data.createUser.role).toBe('USER');
    const dup = await s.gql(
      `mutation { createUser(username: "pat", password: "pat-password-2", role: USER) { id } }`,
      {},
      admin,
    );
    expect(dup.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const pat = await s.login('pat', 'pat-password-1');
    const tok = await s.gql(`mutation { createApiToken(name: "script") { secret } }`, {}, pat);
    const secret = tok.data.createApiToken.secret;
    const run = await s.gql(
      `mutation { runCommand(name: "hello", args: [{ name: "who", value: "postgres" }]) { id } }`,
      {},
      admin,
    );
    const id = run.data.runCommand.id;
    const out = s.subscribeWs(
      `subscription($id: ID!) { commandOutput(runId: $id) { seq data } }`,
      { id },
      { token: admin.token },
    );
    await out.waitEnd();
    expect(out.events.map((e) => e.data.commandOutput.data).join('')).toBe('hello from postgres\n');
    const stored = await s.gql(
      `query($id: ID!) { commandRun(id: $id) { status exitCode output { seq data } } }`,
      { id },
      admin,
    );
    expect(stored.data.commandRun).toMatchObject({
      status: 'SUCCEEDED',
      exitCode: 0,
      output: [{ seq: 1, data: 'hello from postgres\n' }],
    });
    const runs = await s.gql(
      `{ commandRuns(first: 5) { edges { node { id } } } }`,
      {},
      { token: secret },
    );
    expect(runs.data.commandRuns.edges).toEqual([]); // pat's token sees pat's runs only
    expect((await fetch(`${s.url}/ready`)).status).toBe(200);
  });
});
