// A run that never ended because its server died (kill -9) is INTERRUPTED by the next start (or,
// with several instances, by the one that takes over): its `notify: on: failure` targets hear of it
// as of any failed run, and its windows in the logs it watches close (they no longer follow the
// logs forever). A real server process, killed and started again on the same data.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gqlAt } from '../../test/harness.js';
import { spawnServer, type Spawned } from '../../test/spawn.js';
import { waitUntil } from '../../test/wait.js';
import { httpReceiver } from '../notify/notify.testkit.js';

const PASSWORD = 'admin-password-1';
let dir: string;
let receiver: Awaited<ReturnType<typeof httpReceiver>>;
const servers: Spawned[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-crash-'));
  writeFileSync(path.join(dir, 'app.log'), 'earlier\n');
  receiver = await httpReceiver(() => 200);
  writeFileSync(
    path.join(dir, 'agent.yaml'),
    `commands:
  - name: forever
    title: Runs until stopped
    argv: ["sh", "-c", "echo up; sleep 600"]
    notify: [{ target: pager, on: failure }]
    watchLogs: [app]
notify:
  - { name: pager, type: webhook, url: "${receiver.url}/pager" }
logs:
  - { name: app, path: app.log, roles: [admin] }
`,
  );
});
afterAll(async () => {
  for (const s of servers) s.child.kill('SIGKILL');
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a run cut short by a crash is told to its on-failure targets, and its log window closes, once the server is back', async () => {
  const env = {
    DATA_DIR: path.join(dir, 'data'),
    LOGS_DIR: path.join(dir, 'logs'),
    ADMIN_PASSWORD: PASSWORD,
  };
  const signIn = async (url: string) =>
    (
      await gqlAt(
        url,
        `mutation($p: String!) { login(username: "admin", password: $p) { token } }`,
        { p: PASSWORD },
      )
    ).data.login.token as string;
  const first = await spawnServer(env, dir);
  servers.push(first);
  const token = await signIn(first.url);
  const run = await gqlAt(
    first.url,
    `mutation { runCommand(name: "forever") { id } }`,
    {},
    { token },
  );
  const id = run.data.runCommand.id as string;
  await waitUntil(
    async () =>
      (
        await gqlAt(
          first.url,
          `query($id: ID!) { commandRun(id: $id) { outputBytes } }`,
          { id },
          { token },
        )
      ).data.commandRun.outputBytes > 0,
    { timeoutMs: 10_000, what: 'the run to print' },
  );
  const log = (line: string) => appendFileSync(path.join(dir, 'app.log'), `${line}\n`);
  log('while it ran');
  first.child.kill('SIGKILL');
  await first.exited;
  log('while the server was down');
  expect(receiver.at('/pager')).toEqual([]); // nothing was told before the crash

  const second = await spawnServer(env, dir);
  servers.push(second);
  log('after the restart'); // recovery is done before the server listens
  await waitUntil(() => receiver.at('/pager').some((r) => r.body.includes(id)), {
    timeoutMs: 15_000,
    what: 'the notification of the interrupted run',
  });
  const body = JSON.parse(receiver.at('/pager').find((r) => r.body.includes(id))!.body);
  expect(body.event).toBe('RUN_FAILED');
  expect(body.runId).toBe(id);
  expect(body.subject).toMatch(/^forever was interrupted/);
  expect(body.body).toMatch(/Status: INTERRUPTED/);
  const after = await gqlAt(
    second.url,
    `query($id: ID!) { commandRun(id: $id) { status watchedLogs { source to lines { text } } } }`,
    { id },
    { token: await signIn(second.url) },
  );
  expect(after.data.commandRun.status).toBe('INTERRUPTED');
  // closed at the recovery: what was logged around the crash, nothing after
  const [window] = after.data.commandRun.watchedLogs;
  expect(window.source).toBe('app');
  expect(window.to).not.toBeNull();
  expect(window.lines.map((l: { text: string }) => l.text)).toEqual([
    'while it ran',
    'while the server was down',
  ]);
  await new Promise((r) => setTimeout(r, 500)); // a second notice would show now
  expect(receiver.at('/pager').filter((r) => r.body.includes(id))).toHaveLength(1);
});
