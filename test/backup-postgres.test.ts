// `npm run backup` / `npm run restore` on PostgreSQL: pg_dump and pg_restore against a real
// server (Debian's package, on a free loopback port), checked through the API of a second server.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../api/src/ops/ops.database.js';
import { readJson, runOps, visibleData } from '../api/src/ops/ops.testkit.js';
import { startServer, type TestServer } from '../api/src/test/harness.js';
import { waitUntil } from '../api/src/test/wait.js';
import { startPostgres, type Postgres } from './scale/cluster.js';

const AGENT = `
commands:
  - name: hello
    title: Hello
    argv: ["echo", "hello {{who}}"]
    args: [{ name: who, type: string, pattern: "[a-z]+" }]
logs: []
`;
// trust auth accepts any password: this one must never show in what the tools print
const PASSWORD = 'pg-s3cret-never-printed';

let pg: Postgres;
let s: TestServer;
let tmp: string;
let url: string;

beforeAll(async () => {
  pg = await startPostgres();
  url = pg.url.replace('postgres@', `postgres:${PASSWORD}@`);
  const k = connect({ kind: 'postgresql', url });
  await k.raw('create database restored');
  await k.destroy();
  tmp = mkdtempSync(path.join(tmpdir(), 'tiny-agent-pg-backup-'));
  s = await startServer({ DATABASE_URL: url }, { agentYaml: AGENT });
}, 60_000);

afterAll(async () => {
  await s?.stop();
  await pg?.destroy();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('backup and restore (PostgreSQL)', () => {
  it('pg_dump while the server runs; pg_restore into another database serves the same runs and files; refused while alive', async () => {
    const admin = await s.login();
    for (const who of ['alice', 'bob']) {
      const r = await s.gql(
        `mutation($w: String!) { runCommand(name: "hello", args: [{ name: "who", value: $w }]) { id } }`,
        { w: who },
        admin,
      );
      const id = r.data.runCommand.id;
      await waitUntil(
        async () =>
          (await s.gql(`query($id: ID!) { commandRun(id: $id) { status } }`, { id }, admin)).data
            .commandRun.status !== 'RUNNING',
        { timeoutMs: 10_000 },
      );
    }
    expect(
      (await s.upload({ name: 'a.txt', content: 'from postgres\n', type: 'text/plain' }, admin))
        .errors,
    ).toBeUndefined();

    const env = { DATABASE_URL: url, DATA_DIR: s.config.DATA_DIR, AGENT_CONFIG: s.agentPath };
    const dir = path.join(tmp, 'b');
    const taken = await runOps('backup', [dir], env, tmp);
    expect(taken.code, taken.err).toBe(0);
    expect(taken.out).toMatch(/postgresql database \(1 users, 2 runs, 1 files/);
    expect(readJson(path.join(dir, 'manifest.json'))).toMatchObject({
      database: { kind: 'postgresql', file: 'database.pgdump' },
      counts: { runs: 2, files: 1, uploadFiles: 1 },
    });

    const alive = await runOps('restore', [dir, '--force'], env, tmp);
    expect(alive.code).toBe(75);
    expect(alive.err).toMatch(/an instance is running on this data/);

    const target = url.replace(/\/postgres$/, '/restored');
    const fresh = path.join(tmp, 'restored-data');
    const restored = await runOps(
      'restore',
      [dir, '--data-dir', fresh],
      { ...env, DATABASE_URL: target },
      tmp,
    );
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toMatch(/integrity check passed/);
    for (const r of [taken, alive, restored]) expect(r.out + r.err).not.toContain(PASSWORD);

    const fields = 'id commandName argv status exitCode outputBytes startedAt finishedAt';
    const before = await visibleData(s, admin, null, fields);
    const r = await startServer({ DATABASE_URL: target, DATA_DIR: fresh }, { agentYaml: AGENT });
    try {
      expect(await visibleData(r, await r.login(), null, fields)).toEqual(before);
    } finally {
      await r.stop();
    }
    const table = async (u: string) => {
      const k = connect({ kind: 'postgresql', url: u });
      try {
        return (await k.raw('select id, argv, status, output_bytes from command_runs order by id'))
          .rows;
      } finally {
        await k.destroy();
      }
    };
    expect(await table(target)).toEqual(await table(url));

    // again onto that data with --force: the database is dumped aside, the folder moved aside
    const again = await runOps(
      'restore',
      [dir, '--data-dir', fresh, '--force'],
      { ...env, DATABASE_URL: target },
      tmp,
    );
    expect(again.code, again.err).toBe(0);
    const aside = readdirSync(tmp).filter((n) => n.startsWith('restored-data.before-restore-'));
    expect(aside.filter((n) => n.endsWith('.pgdump'))).toHaveLength(1);
    expect(
      statSync(
        path.join(
          tmp,
          aside.find((n) => n.endsWith('.pgdump'))!,
        ),
      ).size,
    ).toBeGreaterThan(0);
    expect(
      readdirSync(
        path.join(
          tmp,
          aside.find((n) => !n.endsWith('.pgdump'))!,
        ),
      ),
    ).toContain('uploads');
    expect(await table(target)).toEqual(await table(url));
  });
});
