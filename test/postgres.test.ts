import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../api/src/test/harness.js';

// A real PostgreSQL (Debian's package), started for this test on a free loopback port.
function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort() : [];
  const bin = versions
    .map((v) => path.join(root, v, 'bin', name))
    .reverse()
    .find(existsSync);
  if (!bin)
    throw new Error(
      `PostgreSQL is not installed: apt-get install -y postgresql (needed for ${name})`,
    );
  return bin;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

// postgres refuses to run as root: run it as the package's `postgres` user when we are root
const asPg = (cmd: string, args: string[]) =>
  process.getuid?.() === 0
    ? (['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const)
    : ([cmd, args] as const);

let dir: string;
let pg: ChildProcess;
let s: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'pgdata');
  const [initCmd, initArgs] = asPg(pgBin('initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  const [cmd, args] = asPg(pgBin('postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    dir,
  ]);
  pg = spawn(cmd, args, { stdio: 'ignore' });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let i = 0; ; i++) {
    try {
      execFileSync(pgBin('pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {
        stdio: 'ignore',
      });
      break;
    } catch {
      if (i > 100) throw new Error('PostgreSQL did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
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
  if (pg) {
    const exited = new Promise((r) => pg.once('exit', r));
    const [cmd, args] = asPg(pgBin('pg_ctl'), [
      'stop',
      '-D',
      path.join(dir, 'pgdata'),
      '-m',
      'fast',
    ]);
    execFileSync(cmd, args, { stdio: 'ignore' });
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
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
