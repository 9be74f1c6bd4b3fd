import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlAt } from '../test/harness.js';
import { spawnServer, type Spawned } from '../test/spawn.js';
import { waitUntil } from '../test/wait.js';
import { buildCli, cli, relay } from './cli.testkit.js';

const lines = (p: string) => Array.from({ length: 40 }, (_, i) => `${p} ${i}\n`).join('');

let dir: string;
let env: Record<string, string>;
let server: Spawned;
let net: Awaited<ReturnType<typeof relay>>;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-cli-resume-'));
  mkdirSync(path.join(dir, 'logs'));
  // part A, then (once the test says so) part B, then it waits to be stopped by the restart
  const script = `i=0; while [ $i -lt 40 ]; do echo "a $i"; i=$((i+1)); done; while [ ! -e ${dir}/go ]; do sleep 0.05; done; i=0; while [ $i -lt 40 ]; do echo "b $i"; i=$((i+1)); done; exec sleep 120`;
  writeFileSync(
    path.join(dir, 'agent.yaml'),
    `commands:\n  - name: two-parts\n    title: Two parts\n    argv: ["sh", "-c", ${JSON.stringify(script)}]\n    timeout: 300\nlogs:\n  - { name: app, path: app.log, roles: [admin] }\n`,
  );
  env = {
    DATA_DIR: path.join(dir, 'data'),
    LOGS_DIR: path.join(dir, 'logs'),
    AGENT_CONFIG: path.join(dir, 'agent.yaml'),
    ADMIN_PASSWORD: 'admin-password-1',
  };
  [server, net] = await Promise.all([spawnServer(env, dir), relay(), buildCli()]);
  net.to(server.url);
  const login = await gqlAt(
    server.url,
    'mutation { login(username: "admin", password: "admin-password-1") { token } }',
  );
  const created = await gqlAt(
    server.url,
    'mutation { createApiToken(name: "resume") { secret } }',
    {},
    { token: login.data.login.token },
  );
  token = created.data.createApiToken.secret;
});

afterAll(async () => {
  server?.child.kill('SIGKILL');
  await net?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('resuming across a server restart', () => {
  it('run and logs --follow continue where they stopped: no gap, no duplicate', async () => {
    const cliEnv = { TINY_AGENT_URL: net.url, TINY_AGENT_TOKEN: token, HOME: dir };
    const logFile = path.join(dir, 'app.log');
    writeFileSync(logFile, 'l 0\nl 1\nl 2\n');
    const run = cli(['run', 'two-parts'], cliEnv);
    const tail = cli(['logs', 'app', '--follow', '--lines', '3'], cliEnv);
    await Promise.all([run.waitOut('a 39\n'), tail.waitOut('l 2\n')]);

    net.cut(); // the connections drop; what follows is missed live
    writeFileSync(path.join(dir, 'go'), '');
    appendFileSync(logFile, 'm 0\nm 1\n');
    const auth = { token };
    await waitUntil(
      async () => {
        const r = await gqlAt(
          server.url,
          '{ commandRuns(first: 1) { edges { node { outputBytes } } } }',
          {},
          auth,
        );
        return (
          r.data?.commandRuns.edges[0]?.node.outputBytes ===
          Buffer.byteLength(lines('a') + lines('b'))
        );
      },
      { timeoutMs: 15_000, what: 'part B stored' },
    );
    server.child.kill('SIGTERM'); // the run ends INTERRUPTED with its output stored
    await server.exited;
    appendFileSync(logFile, 'n 0\n'); // written while no server runs

    server = await spawnServer(env, dir);
    net.to(server.url);
    expect(await run.exited).toBe(123); // INTERRUPTED
    expect(run.stdout().toString()).toBe(lines('a') + lines('b'));
    expect(run.stderr()).toMatch(/connection lost.*reconnecting/);
    expect(run.stderr()).toMatch(/reconnected; resuming run \S+ after output seq \d+/);
    const id = (
      await gqlAt(server.url, '{ commandRuns(first: 1) { edges { node { id } } } }', {}, auth)
    ).data.commandRuns.edges[0].node.id;
    const whole = await fetch(`${server.url}/runs/${id}/output.txt`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await whole.text()).toBe(run.stdout().toString());

    await tail.waitOut('n 0\n', 20_000);
    appendFileSync(logFile, 'o 0\n'); // live again
    await tail.waitOut('o 0\n');
    tail.child.kill('SIGINT');
    expect(await tail.exited).toBe(0);
    expect(tail.stdout().toString()).toBe('l 0\nl 1\nl 2\nm 0\nm 1\nn 0\no 0\n');
    expect(tail.stderr()).toMatch(/reconnected/);
  });
});
