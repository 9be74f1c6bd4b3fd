import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { CommandRun, OutputChunkRow } from '../commands/command-run.entity.js';
import { StoredFile } from '../files/file.entity.js';
import { DAY, insertRuns, runIds, setRetention } from './retention.testkit.js';

const MiB = 2 ** 20;
let s: TestServer;
let admin: { token: string; userId: string };
beforeAll(async () => {
  s = await startServer();
  admin = await s.login();
  // the start-up sweep is behind us: no rule set by a test is applied at a moment the test did not choose
  await waitUntil(() => s.app.services.retention.last !== null, {
    timeoutMs: 10_000,
    what: 'the start-up sweep',
  });
});
afterAll(() => s.stop());

const em = () => s.app.services.orm.em.fork();
const hasFile = (id: string) => existsSync(s.app.services.outputStore.pathOf(id));

describe('retention sweeper', () => {
  it('runs.days: deletes finished runs older than that with their output files and legacy rows; never a running or recent run', async () => {
    const [old1, old2, running, recent] = await insertRuns(s, admin.userId, [
      { command: 'age-a', endedDaysAgo: 40, outputBytes: 100, legacy: true },
      { command: 'age-b', endedDaysAgo: 31, outputBytes: 200 },
      { command: 'age-a', endedDaysAgo: null, outputBytes: 50 },
      { command: 'age-a', endedDaysAgo: 29, outputBytes: 10 },
    ]);
    // a running run started long ago is still running
    await em().nativeUpdate(
      CommandRun,
      { id: running },
      { startedAt: new Date(Date.now() - 90 * DAY) },
    );
    setRetention(s, { runs: { days: 30 } });

    const report = await s.app.services.retention.sweep();
    expect(report).toMatchObject({ runs: 2, bytesFreed: 300 });
    expect([...(await runIds(s, 'age-a')), ...(await runIds(s, 'age-b'))].sort()).toEqual(
      [running, recent].sort(),
    );
    expect([old1, old2].map(hasFile)).toEqual([false, false]);
    expect([running, recent].map(hasFile)).toEqual([true, true]);
    expect(await em().count(OutputChunkRow, { runId: old1 })).toBe(0);
  });

  it('runs.perCommand: keeps the newest N finished runs of each command and nothing of another command goes', async () => {
    const ids = await insertRuns(s, admin.userId, [
      ...[9, 8, 7, 6, 5, 4, 3].map((d) => ({ command: 'per-a', endedDaysAgo: d, outputBytes: 5 })),
      { command: 'per-a', endedDaysAgo: null },
      { command: 'per-b', endedDaysAgo: 50 },
      { command: 'per-b', endedDaysAgo: 60 },
    ]);
    setRetention(s, { runs: { perCommand: 3 } });

    const report = await s.app.services.retention.sweep();
    expect(report).toMatchObject({ runs: 4, bytesFreed: 20 });
    // the four oldest of per-a go; its three newest, its running one and per-b's two stay
    expect((await runIds(s, 'per-a')).sort()).toEqual([...ids.slice(4, 8)].sort());
    expect(await runIds(s, 'per-b')).toHaveLength(2);
    expect(ids.slice(0, 4).map(hasFile)).toEqual([false, false, false, false]);
  });

  it('outputBytes: removes the oldest finished runs’ output until the kept total fits, and keeps the runs', async () => {
    // older than what earlier tests left (a few bytes, which the extra KiB of the limit covers)
    const ids = await insertRuns(s, admin.userId, [
      { command: 'out-a', endedDaysAgo: 105, outputBytes: MiB, legacy: true },
      { command: 'out-b', endedDaysAgo: 104, outputBytes: MiB },
      { command: 'out-a', endedDaysAgo: 103, outputBytes: MiB },
      { command: 'out-a', endedDaysAgo: 102, outputBytes: MiB },
      { command: 'out-a', endedDaysAgo: null, outputBytes: MiB },
    ]);
    setRetention(s, { outputBytes: 3 * MiB + 1024 });

    const report = await s.app.services.retention.sweep();
    // 5 MiB kept: the two oldest go, then it fits
    expect(report).toMatchObject({ runs: 0, outputs: 2 });
    expect(report!.bytesFreed).toBe(2 * MiB);
    const rows = await em().find(
      CommandRun,
      { id: { $in: ids } },
      { orderBy: { startedAt: 'asc' } },
    );
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => r.outputRemovedAt !== null)).toEqual([true, true, false, false, false]);
    expect(ids.map(hasFile)).toEqual([false, false, true, true, true]);
    expect(await em().count(OutputChunkRow, { runId: ids[0] })).toBe(0);

    const r = await s.gql(
      'query($id: ID!) { commandRun(id: $id) { outputRemovedAt outputBytes } }',
      { id: ids[0] },
      admin,
    );
    expect(Date.parse(r.data.commandRun.outputRemovedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(r.data.commandRun.outputBytes).toBe(MiB); // what it had, for the record
    // within the limit now: a second sweep removes nothing
    expect(await s.app.services.retention.sweep()).toMatchObject({ outputs: 0, bytesFreed: 0 });
  });

  it('uploads.days: deletes older files (row and bytes), leaves younger ones of every user', async () => {
    const user = await s.createUser('retention-user');
    const up = async (auth: { token: string }, name: string) =>
      (await s.upload({ name, content: `hello ${name}\n`, type: 'text/plain' }, auth)).data
        .uploadFile.id as string;
    const oldMine = await up(user, 'old.txt');
    const young = await up(user, 'young.txt');
    const othersYoung = await up(admin, 'admins.txt');
    await em().nativeUpdate(
      StoredFile,
      { id: oldMine },
      { createdAt: new Date(Date.now() - 8 * DAY) },
    );
    setRetention(s, { uploads: { days: 7 } });

    const report = await s.app.services.retention.sweep();
    expect(report).toMatchObject({ uploads: 1, bytesFreed: 'hello old.txt\n'.length });
    const left = (await em().find(StoredFile, {})).map((f) => f.id);
    expect(left.sort()).toEqual([young, othersYoung].sort());
    const dir = path.join(s.config.DATA_DIR, 'uploads');
    expect(existsSync(path.join(dir, oldMine))).toBe(false);
    expect(existsSync(path.join(dir, young))).toBe(true);
  });

  it('audit.days overrides AUDIT_RETENTION_DAYS, and agent.yaml edits apply at the next sweep', async () => {
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
    setRetention(s, {});
    expect(await s.app.services.retention.sweep()).toMatchObject({ auditEvents: 0 }); // 365 by env
    // the file itself, through the watcher
    await writeFile(s.agentPath, 'commands: []\nlogs: []\nretention:\n  audit: { days: 10 }\n');
    await expect
      .poll(() => s.app.services.agent.config.retention.audit.days, { timeout: 10_000 })
      .toBe(10);
    expect(await s.app.services.retention.sweep()).toMatchObject({ auditEvents: 1 });
    expect(await em().count(AuditEvent, { target: 'eleven' })).toBe(0);
    expect(await em().count(AuditEvent, { target: 'nine' })).toBe(1);
  });

  it('logs one line per sweep and counts what it removed in /metrics', async () => {
    const lines = s
      .logText()
      .split('\n')
      .filter((l) => l.includes('"retention sweep"'));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ auditEvents: 1, runs: 0, batches: 1 });
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/tiny_agent_retention_removed_total\{kind="runs"\} 6\b/);
    expect(metrics).toMatch(/tiny_agent_retention_removed_total\{kind="outputs"\} 2\b/);
    expect(metrics).toMatch(/tiny_agent_retention_removed_total\{kind="uploads"\} 1\b/);
    expect(metrics).toMatch(/tiny_agent_retention_freed_bytes_total \d{7}/);
  });

  it('storage: what the data takes and the rules in force, for administrators only', async () => {
    const user = await s.login('retention-user', 'user-password-1');
    const q = `{ storage { outputBytes outputQuotaBytes runs uploadBytes uploads databaseBytes
      diskFreeBytes diskTotalBytes lastSweepAt lastSweep { auditEvents }
      retention { runsDays runsPerCommand outputBytes uploadsDays auditDays } } }`;
    const refused = await s.gql(q, {}, user);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { data } = await s.gql(q, {}, admin);
    const kept = await em().find(CommandRun, { outputRemovedAt: null });
    expect(data.storage).toMatchObject({
      outputBytes: kept.reduce((n, r) => n + r.outputBytes, 0),
      outputQuotaBytes: 10 * 2 ** 30,
      runs: await em().count(CommandRun, {}),
      uploads: 2,
      lastSweep: { auditEvents: 1 },
      retention: {
        runsDays: null,
        runsPerCommand: null,
        outputBytes: null,
        uploadsDays: null,
        auditDays: 10,
      },
    });
    expect(data.storage.uploadBytes).toBe('hello young.txt\n'.length + 'hello admins.txt\n'.length);
    expect(data.storage.databaseBytes).toBeGreaterThan(4096);
    expect(data.storage.diskTotalBytes).toBeGreaterThan(data.storage.diskFreeBytes);
    expect(Date.parse(data.storage.lastSweepAt)).toBeGreaterThan(Date.now() - 60_000);
  });
});
