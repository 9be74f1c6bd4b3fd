// agent.yaml `retention:` on a real PostgreSQL (Debian's package, on a free loopback port) shared by
// two instances with one DATA_DIR: the rules of retention.test.ts, swept by the instance that did
// not write the rows and files, and both instances sweeping at once (the advisory lock).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../api/src/modules/audit/audit-event.entity.js';
import { CommandRun, OutputChunkRow } from '../api/src/modules/commands/command-run.entity.js';
import { StoredFile } from '../api/src/modules/files/file.entity.js';
import { SWEEP_LOCK } from '../api/src/modules/retention/retention.lock.js';
import type { SweepReport } from '../api/src/modules/retention/retention.sweeper.js';
import {
  DAY,
  insertRuns,
  runIds,
  setRetention,
} from '../api/src/modules/retention/retention.testkit.js';
import type { RetentionSpec } from '../api/src/config/agent-config.types.js';
import { connect } from '../api/src/ops/ops.database.js';
import { startServer, type TestServer } from '../api/src/test/harness.js';
import { waitUntil } from '../api/src/test/wait.js';
import { startPostgres, type Postgres } from './scale/cluster.js';

const MiB = 2 ** 20;
let pg: Postgres;
let dataDir: string;
let a: TestServer;
let b: TestServer;
let admin: { token: string; userId: string };

beforeAll(async () => {
  pg = await startPostgres();
  dataDir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-retention-pg-'));
  // a quick heartbeat: each instance looks for orphaned runs every 0.2 s, as it would in production
  const env = {
    DATABASE_URL: pg.url,
    DATA_DIR: dataDir,
    INSTANCE_HEARTBEAT_SECONDS: '0.2',
    INSTANCE_LEASE_SECONDS: '2',
  };
  a = await startServer(env);
  b = await startServer(env);
  admin = await a.login();
  // both start-up sweeps are behind us (one may have found the other sweeping): no rule set by a
  // test is applied at a moment the test did not choose
  for (const s of [a, b])
    await waitUntil(() => /"retention sweep( skipped[^"]*)?"/.test(s.logText()), {
      timeoutMs: 10_000,
      what: 'the start-up sweep',
    });
}, 60_000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await pg?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const em = () => a.app.services.orm.em.fork();
const hasFile = (id: string) => existsSync(a.app.services.outputStore.pathOf(id));
const upload = (dir: string, id: string) => existsSync(path.join(dir, 'uploads', id));
/** the same rules on both instances, as one agent.yaml deployed to both would give */
const rules = (r: Partial<RetentionSpec>) => [a, b].forEach((s) => setRetention(s, r));
const status = async (id: string) => (await em().findOneOrFail(CommandRun, id)).status;

describe('retention on PostgreSQL, two instances, one DATA_DIR', () => {
  it('runs.days: the other instance deletes the old finished runs, their files and legacy rows; a running and a recent run stay', async () => {
    const [old1, old2, running, recent] = await insertRuns(a, admin.userId, [
      { command: 'age-a', endedDaysAgo: 40, outputBytes: 100, legacy: true },
      { command: 'age-b', endedDaysAgo: 31, outputBytes: 200 },
      { command: 'age-a', endedDaysAgo: null, outputBytes: 50 },
      { command: 'age-a', endedDaysAgo: 29, outputBytes: 10 },
    ]);
    await em().nativeUpdate(
      CommandRun,
      { id: running },
      { startedAt: new Date(Date.now() - 90 * DAY) },
    );
    rules({ runs: { days: 30 } });

    expect(await b.app.services.retention.sweep()).toMatchObject({ runs: 2, bytesFreed: 300 });
    expect([...(await runIds(a, 'age-a')), ...(await runIds(a, 'age-b'))].sort()).toEqual(
      [running, recent].sort(),
    );
    expect([old1, old2, running, recent].map(hasFile)).toEqual([false, false, true, true]);
    expect(await em().count(OutputChunkRow, { runId: old1 })).toBe(0);
    expect(await status(running)).toBe('RUNNING');
  });

  it('runs.perCommand: keeps the newest N finished runs of each command, the running one, and other commands’ runs', async () => {
    const ids = await insertRuns(a, admin.userId, [
      ...[9, 8, 7, 6, 5, 4, 3].map((d) => ({ command: 'per-a', endedDaysAgo: d, outputBytes: 5 })),
      { command: 'per-a', endedDaysAgo: null },
      { command: 'per-b', endedDaysAgo: 20 },
      { command: 'per-b', endedDaysAgo: 25 },
    ]);
    rules({ runs: { perCommand: 3 } });

    expect(await b.app.services.retention.sweep()).toMatchObject({ runs: 4, bytesFreed: 20 });
    expect((await runIds(a, 'per-a')).sort()).toEqual(ids.slice(4, 8).sort());
    expect(await runIds(a, 'per-b')).toHaveLength(2);
    expect(await status(ids[7]!)).toBe('RUNNING');
    expect(ids.slice(0, 7).map(hasFile)).toEqual([false, false, false, false, true, true, true]);
  });

  it('outputBytes: the oldest finished runs lose their output until the total fits (PostgreSQL sums into a bigint); the runs stay', async () => {
    const ids = await insertRuns(a, admin.userId, [
      { command: 'out-a', endedDaysAgo: 105, outputBytes: MiB, legacy: true },
      { command: 'out-b', endedDaysAgo: 104, outputBytes: MiB },
      { command: 'out-a', endedDaysAgo: 103, outputBytes: MiB },
      { command: 'out-a', endedDaysAgo: 102, outputBytes: MiB },
      { command: 'out-a', endedDaysAgo: null, outputBytes: MiB },
    ]);
    // what earlier tests left is a few bytes: the extra KiB covers it
    rules({ outputBytes: 3 * MiB + 1024 });

    const report = await b.app.services.retention.sweep();
    expect(report).toMatchObject({ runs: 0, outputs: 2, bytesFreed: 2 * MiB });
    const rows = await em().find(
      CommandRun,
      { id: { $in: ids } },
      { orderBy: { startedAt: 'asc' } },
    );
    expect(rows.map((r) => r.outputRemovedAt !== null)).toEqual([true, true, false, false, false]);
    expect(ids.map(hasFile)).toEqual([false, false, true, true, true]);
    expect(await em().count(OutputChunkRow, { runId: ids[0] })).toBe(0);
    expect(await status(ids[4]!)).toBe('RUNNING');
    const storage = await a.gql('{ storage { outputBytes } }', {}, admin);
    expect(storage.data.storage.outputBytes).toBeLessThanOrEqual(3 * MiB + 1024);
    expect(await a.app.services.retention.sweep()).toMatchObject({ outputs: 0, bytesFreed: 0 });
  });

  it('uploads.days and audit.days: the other instance deletes the old upload (row and bytes) and the old events', async () => {
    const up = async (name: string) =>
      (await a.upload({ name, content: `hello ${name}\n`, type: 'text/plain' }, admin)).data
        .uploadFile.id as string;
    const [old, young] = [await up('old.txt'), await up('young.txt')];
    await em().nativeUpdate(StoredFile, { id: old }, { createdAt: new Date(Date.now() - 8 * DAY) });
    await em().insertMany(AuditEvent, [
      Object.assign(new AuditEvent(), {
        at: new Date(Date.now() - 11 * DAY),
        action: 'RUN_STARTED',
        target: 'eleven',
      }),
      Object.assign(new AuditEvent(), {
        at: new Date(Date.now() - 9 * DAY),
        action: 'RUN_STARTED',
        target: 'nine',
      }),
    ]);
    rules({ uploads: { days: 7 }, audit: { days: 10 } });

    expect(await b.app.services.retention.sweep()).toMatchObject({
      uploads: 1,
      auditEvents: 1,
      bytesFreed: 'hello old.txt\n'.length,
    });
    expect((await em().find(StoredFile, {})).map((f) => f.id)).toEqual([young]);
    expect([old, young].map((id) => upload(dataDir, id))).toEqual([false, true]);
    expect(await em().count(AuditEvent, { target: 'eleven' })).toBe(0);
    expect(await em().count(AuditEvent, { target: 'nine' })).toBe(1);
  });

  it('two instances sweeping at once: the lock lets one sweep, and every run, file and event is removed once', async () => {
    const N = 1100; // three batches of runs
    const ids = await insertRuns(
      a,
      admin.userId,
      Array.from({ length: N }, () => ({ command: 'both', endedDaysAgo: 40, outputBytes: 10 })),
    );
    const [running] = await insertRuns(b, admin.userId, [{ command: 'both', endedDaysAgo: null }]);
    await em().nativeUpdate(
      CommandRun,
      { id: running },
      { startedAt: new Date(Date.now() - 90 * DAY) },
    );
    const up = await a.upload({ name: 'both.txt', content: 'both\n', type: 'text/plain' }, admin);
    const file = up.data.uploadFile.id as string;
    await em().nativeUpdate(
      StoredFile,
      { id: file },
      { createdAt: new Date(Date.now() - 8 * DAY) },
    );
    await em().insertMany(
      AuditEvent,
      [1, 2, 3].map((i) =>
        Object.assign(new AuditEvent(), {
          at: new Date(Date.now() - (20 + i) * DAY),
          action: 'RUN_STARTED',
          target: `both-${i}`,
        }),
      ),
    );
    rules({ runs: { days: 30 }, uploads: { days: 7 }, audit: { days: 10 } });
    const sweepBoth = () =>
      Promise.all([a.app.services.retention.sweep(), b.app.services.retention.sweep()]);

    // while another holder has the lock, neither instance sweeps
    const k = connect({ kind: 'postgresql', url: pg.url });
    try {
      await k.transaction(async (trx) => {
        await trx.raw(`select pg_advisory_xact_lock(${SWEEP_LOCK})`);
        expect(await sweepBoth()).toEqual([null, null]);
      });
    } finally {
      await k.destroy();
    }
    expect(await em().count(CommandRun, { commandName: 'both' })).toBe(N + 1);

    // runs.days also takes the old runs earlier tests left (their output, if kept, with them)
    const due = await em().find(CommandRun, {
      finishedAt: { $lt: new Date(Date.now() - 30 * DAY) },
    });
    const dueBytes = due.reduce(
      (n, r) => n + (hasFile(r.id) ? statSync(a.app.services.outputStore.pathOf(r.id)).size : 0),
      0,
    );
    expect(due.length).toBeGreaterThan(N);
    const reports = (await sweepBoth()).filter((r): r is SweepReport => r !== null);
    const sum = (key: 'runs' | 'uploads' | 'auditEvents' | 'bytesFreed') =>
      reports.reduce((n, r) => n + r[key], 0);
    expect([sum('runs'), sum('uploads'), sum('auditEvents')]).toEqual([due.length, 1, 3]);
    expect(sum('bytesFreed')).toBe(dueBytes + 'both\n'.length);
    // one instance did the work; the other was turned away, or came after and found nothing
    expect(reports.filter((r) => r.runs + r.uploads + r.auditEvents > 0)).toHaveLength(1);
    expect(await runIds(a, 'both')).toEqual([running]);
    expect(await status(running)).toBe('RUNNING');
    expect(ids.filter(hasFile)).toEqual([]);
    expect(upload(dataDir, file)).toBe(false);
    expect(await em().count(AuditEvent, { target: { $like: 'both-%' } })).toBe(0);
  });
});
