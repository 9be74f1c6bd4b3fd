// `npm run backup` / `npm run restore` on SQLite, as a user runs them against a live server: real
// processes, real files, the restored data checked through a second server's API.
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../test/harness.js';
import { waitUntil } from '../test/wait.js';
import { readJson, runOps, tree, visibleData } from './ops.testkit.js';

// prints one line every 5 ms until it has printed n
const STEADY =
  "const n=+process.argv[1];let i=0;const t=setInterval(()=>{i++;console.log('line '+i+' '+'x'.repeat(60));if(i>=n)clearInterval(t)},5)";
const AGENT = `
commands:
  - name: steady
    title: Steady
    argv: ${JSON.stringify(['node', '-e', STEADY, '{{n}}'])}
    args: [{ name: n, type: int, min: 1, max: 1000000 }]
  - name: hello
    title: Hello
    argv: ["echo", "hello {{who}}"]
    args: [{ name: who, type: string, pattern: "[a-z]+" }]
logs: []
`;

let s: TestServer;
let admin: Awaited<ReturnType<TestServer['login']>>;
let tmp: string;
let liveRun: string;
const finished = new Set<string>();
let env: Record<string, string>;

const RUN = `mutation($name: String!, $args: [CommandArgInput!]) { runCommand(name: $name, args: $args) { id } }`;
const RUN_STATE = `query($id: ID!) { commandRun(id: $id) { status outputBytes } }`;

async function run(name: string, args: Record<string, string>) {
  const r = await s.gql(
    RUN,
    { name, args: Object.entries(args).map(([n, v]) => ({ name: n, value: v })) },
    admin,
  );
  expect(r.errors).toBeUndefined();
  return r.data.runCommand.id as string;
}
const state = async (srv: TestServer, id: string, auth = admin) =>
  (await srv.gql(RUN_STATE, { id }, auth)).data.commandRun as {
    status: string;
    outputBytes: number;
  };

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'tiny-agent-backup-'));
  s = await startServer({}, { agentYaml: AGENT });
  admin = await s.login();
  env = {
    DATA_DIR: s.config.DATA_DIR,
    LOGS_DIR: path.join(tmp, 'logs'),
    AGENT_CONFIG: s.agentPath,
  };
  for (const [name, args] of [
    ['hello', { who: 'alice' }],
    ['hello', { who: 'bob' }],
    ['steady', { n: '300' }],
  ] as const) {
    const id = await run(name, args);
    await waitUntil(async () => (await state(s, id)).status !== 'RUNNING', { timeoutMs: 20_000 });
    finished.add(id);
  }
  for (const file of [
    { name: 'notes.txt', content: 'backup me\n'.repeat(1000), type: 'text/plain' },
    { name: 'data.json', content: JSON.stringify({ a: [1, 2, 3] }), type: 'application/json' },
  ])
    expect((await s.upload(file, admin)).errors).toBeUndefined();
  liveRun = await run('steady', { n: '1000000' });
  await waitUntil(async () => (await state(s, liveRun)).outputBytes > 0, { timeoutMs: 10_000 });
}, 60_000);

afterAll(async () => {
  await s?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('backup and restore (SQLite)', () => {
  it('a backup taken during a live run restores into a fresh folder that serves the same runs, output and files', async () => {
    // an output file growing while the backup copies it: copied up to its size at that moment
    const growing = path.join(s.config.DATA_DIR, 'output', 'zz', 'zz-growing.out');
    mkdirSync(path.dirname(growing), { recursive: true });
    appendFileSync(growing, Buffer.alloc(256 * 1024, 'a'));
    const appender = setInterval(() => appendFileSync(growing, Buffer.alloc(4096, 'b')), 1);
    const dir = path.join(tmp, 'b1');
    const taken = await runOps('backup', [dir], env, tmp).finally(() => clearInterval(appender));
    expect(taken.code, taken.err).toBe(0);
    expect(taken.out).toMatch(/backup written to .*b1: sqlite database \(1 users, 4 runs, 2 files/);
    // while the run went on
    expect((await state(s, liveRun)).status).toBe('RUNNING');
    const manifest = readJson(path.join(dir, 'manifest.json'));
    expect(manifest).toMatchObject({
      format: 'tiny-agent-backup',
      version: 1,
      database: { kind: 'sqlite' },
    });
    // each run's output file, and the growing one
    const outs = readdirSync(path.join(s.config.DATA_DIR, 'output'), { recursive: true })
      .map(String)
      .filter((n) => n.endsWith('.out'));
    expect(outs.length).toBeGreaterThanOrEqual(4);
    expect(manifest.counts).toMatchObject({
      runs: 4,
      files: 2,
      uploadFiles: 2,
      outputFiles: outs.length,
    });
    const copied = readFileSync(path.join(dir, 'data/output/zz/zz-growing.out'));
    expect(copied.length).toBeGreaterThanOrEqual(256 * 1024);
    expect(readFileSync(growing).subarray(0, copied.length).equals(copied)).toBe(true);
    rmSync(path.dirname(growing), { recursive: true });
    expect(readdirSync(tmp).filter((n) => n.includes('partial'))).toEqual([]);

    const before = await visibleData(s, admin, finished);
    // the live run ends before the restored server starts: on this host it would take over the run
    await s.gql(`mutation($id: ID!) { cancelCommandRun(id: $id) { id } }`, { id: liveRun }, admin);
    await waitUntil(async () => (await state(s, liveRun)).status !== 'RUNNING', {
      timeoutMs: 10_000,
    });
    const liveOutput = Buffer.from(
      await (
        await fetch(`${s.url}/runs/${liveRun}/output.txt`, {
          headers: { authorization: `Bearer ${admin.token}` },
        })
      ).arrayBuffer(),
    );

    const fresh = path.join(tmp, 'restored', 'data');
    const restored = await runOps('restore', [dir, '--data-dir', fresh], env, tmp);
    expect(restored.code, restored.err + restored.out).toBe(0);
    expect(restored.out).toMatch(/integrity check passed/);

    const r = await startServer({ DATA_DIR: fresh }, { agentYaml: AGENT });
    try {
      const radmin = await r.login();
      const after = await visibleData(r, radmin, finished);
      expect(after.files).toEqual(before.files);
      expect(after.contents).toEqual(before.contents);
      expect(after.outputs).toEqual(before.outputs);
      const finishedRuns = (list: any[]) => list.filter((x) => finished.has(x.id));
      expect(finishedRuns(after.runs)).toEqual(finishedRuns(before.runs));
      expect(after.runs.map((x: any) => [x.id, x.argv])).toEqual(
        before.runs.map((x: any) => [x.id, x.argv]),
      );
      // the run that was live: ended by the restored server as after a crash, its output a prefix
      await waitUntil(async () => (await state(r, liveRun, radmin)).status !== 'RUNNING', {
        timeoutMs: 10_000,
      });
      expect((await state(r, liveRun, radmin)).status).toBe('INTERRUPTED');
      const got = Buffer.from(
        await (
          await fetch(`${r.url}/runs/${liveRun}/output.txt`, {
            headers: { authorization: `Bearer ${radmin.token}` },
          })
        ).arrayBuffer(),
      );
      expect(got.length).toBeGreaterThan(0);
      expect(liveOutput.subarray(0, got.length).toString()).toBe(got.toString());
    } finally {
      await r.stop();
    }
  });
});

// each on its own folders, all from the backup above: they run side by side
describe.concurrent('restore and backup refusals', () => {
  it('refuses a tampered backup naming the file, and leaves the target untouched', async () => {
    const good = path.join(tmp, 'b1');
    const bad = path.join(tmp, 'b-tampered');
    cpSync(good, bad, { recursive: true });
    const upload = readdirSync(path.join(bad, 'data/uploads'))[0]!;
    const file = path.join(bad, 'data/uploads', upload);
    const bytes = readFileSync(file);
    bytes[10] = bytes[10]! ^ 1;
    writeFileSync(file, bytes);
    const target = path.join(tmp, 'target', 'data');
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'keep.txt'), 'mine');
    const seen = tree(path.dirname(target));
    const r = await runOps('restore', [bad, '--force', '--data-dir', target], env, tmp);
    expect(r.code).toBe(65);
    expect(r.err).toContain(`data/uploads/${upload} does not match its checksum`);
    expect(tree(path.dirname(target))).toEqual(seen);
  });

  it('refuses to restore onto the data of a running server, even with --force', async () => {
    // the server's own writes (its heartbeat) go on in the WAL; the rest must not change
    const files = () => {
      const t = tree(s.config.DATA_DIR);
      for (const k of ['app.db-wal', 'app.db-shm']) delete t[k];
      return t;
    };
    const seen = files();
    const r = await runOps('restore', [path.join(tmp, 'b1'), '--force'], env, tmp);
    expect(r.code).toBe(75);
    expect(r.err).toMatch(/an instance is running on this data \(.* pid \d+\): stop it first/);
    expect(files()).toEqual(seen);
    expect((await s.gql('{ me { username } }', {}, admin)).data.me.username).toBe('admin');
    expect(readdirSync(path.dirname(s.config.DATA_DIR)).filter((n) => /restor/.test(n))).toEqual(
      [],
    );
  });

  it('refuses existing data without --force; with --force moves it aside', async () => {
    const target = path.join(tmp, 'used', 'data');
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'old.txt'), 'old data');
    const refused = await runOps('restore', [path.join(tmp, 'b1'), '--data-dir', target], env, tmp);
    expect(refused.code).toBe(73);
    expect(refused.err).toMatch(/already holds data: restore with --force/);
    expect(readdirSync(target)).toEqual(['old.txt']);
    const forced = await runOps(
      'restore',
      [path.join(tmp, 'b1'), '--data-dir', target, '--force'],
      env,
      tmp,
    );
    expect(forced.code, forced.err).toBe(0);
    const aside = readdirSync(path.dirname(target)).filter((n) =>
      n.startsWith('data.before-restore-'),
    );
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(path.dirname(target), aside[0]!, 'old.txt'), 'utf8')).toBe(
      'old data',
    );
    expect(forced.out).toContain(`kept in ${path.join(path.dirname(target), aside[0]!)}`);
    expect(readdirSync(target).sort()).toEqual(['app.db', 'output', 'uploads']);
  });

  it('refuses a non-empty backup folder, and a failed backup leaves no folder behind', async () => {
    const full = path.join(tmp, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'x'), 'x');
    const r = await runOps('backup', [full], env, tmp);
    expect(r.code).toBe(73);
    expect(r.err).toMatch(/exists and is not empty: give a new folder/);
    expect(readdirSync(full)).toEqual(['x']);

    // a database file that is not one: the snapshot fails after the backup folder was begun
    const broken = path.join(tmp, 'broken.db');
    writeFileSync(broken, 'this is not a database'.repeat(100));
    const parent = path.join(tmp, 'failing');
    mkdirSync(parent);
    const failed = await runOps(
      'backup',
      [path.join(parent, 'b')],
      { ...env, DATABASE_URL: `sqlite:${broken}` },
      tmp,
    );
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/^backup: /);
    expect(readdirSync(parent)).toEqual([]);
  });
});
