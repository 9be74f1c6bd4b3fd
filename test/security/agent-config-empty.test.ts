// Issue 17 item 9: an emptied agent.yaml (an editor truncating it, a slip) must not silently remove
// every command and log source; only a file that says so (`commands: []`) may leave none.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AuditEvent } from '../../api/src/modules/audit/audit-event.entity.js';
import { startServer, type TestServer } from '../../api/src/test/harness.js';
import { waitUntil } from '../../api/src/test/wait.js';

const AGENT = `commands:
  - name: hello
    title: Hello
    argv: [echo, hello]
logs:
  - { name: app, path: app.log }
`;
const GOOD = { commands: [{ name: 'hello' }], logSources: [{ name: 'app' }] };

let s: TestServer;
let admin: { token: string };

beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  admin = await s.login();
});
afterAll(() => s?.stop());

/** How many times the server has re-read agent.yaml so far (accepted or refused). */
const reloads = () => (s.logText().match(/agent config (reloaded|edit refused)/g) ?? []).length;

/** Writes agent.yaml as an editor would, and waits until the server has re-read it. */
async function edit(text: string) {
  const before = reloads();
  writeFileSync(s.agentPath, text);
  await waitUntil(() => reloads() > before, {
    timeoutMs: 10_000,
    what: 'the server to re-read agent.yaml',
  });
}

const visible = async () =>
  (await s.gql('{ commands { name } logSources { name } }', {}, admin)).data;
const lastRefusal = () =>
  s
    .logText()
    .split('\n')
    .filter((l) => l.includes('agent config edit refused'))
    .at(-1) ?? '';

describe('an agent.yaml edit that leaves no commands and no log sources', () => {
  it.each([
    ['an empty file', ''],
    ['a file of whitespace and comments', '  \n# everything was here\n\n'],
    ['`commands:` with nothing after it', 'commands:\n'],
    ['`commands:` and `logs:` with nothing after them', 'commands:\nlogs:\n'],
  ])('%s is refused and the last good config stays', async (_what, text) => {
    await edit(text);
    expect(await visible()).toEqual(GOOD);
    expect(lastRefusal()).toContain('commands: []'); // the log says how to mean it
    await edit(AGENT);
  });

  it('is accepted when the file says so with an explicit empty list', async () => {
    await edit('commands: []\nlogs: []\n');
    expect(await visible()).toEqual({ commands: [], logSources: [] });
    await edit(AGENT);
    expect(await visible()).toEqual(GOOD);
    await edit('# nothing to run on this host, on purpose\ncommands: []\n');
    expect(await visible()).toEqual({ commands: [], logSources: [] });
    await edit(AGENT);
    expect(await visible()).toEqual(GOOD);
  });

  it('records CONFIG_RELOADED and CONFIG_REFUSED in the audit trail, without an actor', async () => {
    await edit('');
    await edit(AGENT);
    const events = async () =>
      s.app.services.orm.em
        .fork()
        .find(
          AuditEvent,
          { action: { $in: ['CONFIG_RELOADED', 'CONFIG_REFUSED'] } },
          { orderBy: { at: 'asc' } },
        );
    await waitUntil(async () => (await events()).some((e) => e.action === 'CONFIG_REFUSED'), {
      timeoutMs: 5000,
      what: 'a CONFIG_REFUSED event',
    });
    await waitUntil(async () => (await events()).at(-1)?.action === 'CONFIG_RELOADED', {
      timeoutMs: 5000,
      what: 'a CONFIG_RELOADED event',
    });
    const all = await events();
    const refused = all.find((e) => e.action === 'CONFIG_REFUSED')!;
    expect(refused).toMatchObject({ actorId: null, actorName: null, target: s.agentPath });
    expect(JSON.parse(refused.detail!).reason).toContain('commands: []');
    const reloaded = all.at(-1)!;
    expect(reloaded).toMatchObject({ actorId: null, target: s.agentPath });
    expect(JSON.parse(reloaded.detail!)).toEqual({ commands: 1, logs: 1 });
  });
});

describe('an empty agent.yaml at start', () => {
  it('stops the process with a message saying how to run with no commands on purpose', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-empty-'));
    try {
      writeFileSync(path.join(dir, 'agent.yaml'), '# emptied\n');
      const r = await runMain(dir);
      expect(r.code).toBe(78);
      expect(r.stderr).toContain(path.join(dir, 'agent.yaml'));
      expect(r.stderr).toContain('commands: []');
      expect(r.stderr).not.toMatch(/listening/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The real entry point with its data, logs and agent.yaml in `dir`; resolves when it exits. */
function runMain(dir: string): Promise<{ code: number | null; stderr: string }> {
  const main = path.resolve(import.meta.dirname, '../../api/src/main.ts');
  const tsx = path.resolve(import.meta.dirname, '../../node_modules/tsx/dist/cli.mjs');
  const env = {
    PATH: process.env.PATH!,
    PORT: '0',
    DATA_DIR: path.join(dir, 'data'),
    LOGS_DIR: path.join(dir, 'logs'),
    AGENT_CONFIG: path.join(dir, 'agent.yaml'),
    ADMIN_PASSWORD: 'admin-password-1',
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsx, main], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    // a server that started would never exit by itself: stop it, and the exit code says so
    const started = (d: Buffer) => String(d).includes('listening') && child.kill('SIGKILL');
    child.stdout.on('data', started);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      started(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
