// 100,000 finished runs swept while a client asks `me` in a loop: every answer comes back promptly
// (a "never stalled" check with a generous bound, not a speed figure) and the sweep took many batches.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';
import { CommandRun } from '../commands/command-run.entity.js';
import { RETENTION_BATCH } from './retention.batch.js';
import { DAY, setRetention } from './retention.testkit.js';

const RUNS = Number(process.env.RUNS ?? 100_000);
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
// ids fan out over all 256 output folders, as random ones do
const idOf = (i: number) => `${hex(i % 256, 2)}${hex(i, 6)}-0000-4000-8000-${hex(i, 12)}`;
// most of the runs predate output files (their folders do not exist); these 300 have one, in a few folders
const FILED = Array.from({ length: 300 }, (_, k) => idOf(256 * (k + 1) + (k % 4)));
let s: TestServer;
let admin: { token: string; userId: string };
beforeAll(async () => {
  s = await startServer();
  admin = await s.login();
  await waitUntil(() => s.app.services.retention.last !== null, {
    timeoutMs: 10_000,
    what: 'the start-up sweep',
  });
  const old = Date.now() - 100 * DAY;
  // one statement generates them all (SQLite, the default database): fast to set up
  await s.app.services.orm.em
    .fork()
    .getConnection()
    .execute(
      `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${RUNS})
     insert into command_runs (id, command_name, argv, status, started_at, finished_at,
       started_by_id, output_bytes, output_truncated, last_seq)
     select printf('%02x%06x-0000-4000-8000-%012x', i % 256, i, i), 'bulk-' || (i % 7), '["true"]', 'SUCCEEDED',
       ${old} + i, ${old} + i + 1, ?, 0, 0, 0 from n`,
      [admin.userId],
    );
  // some with output files: these go too
  for (const id of FILED) {
    await mkdir(path.dirname(s.app.services.outputStore.pathOf(id)), { recursive: true });
    await writeFile(s.app.services.outputStore.pathOf(id), 'output\n');
  }
}, 60_000);
afterAll(() => s.stop());

it('sweeps 100,000 runs in batches while every `me` answers within a second', async () => {
  expect(await s.app.services.orm.em.fork().count(CommandRun, {})).toBe(RUNS);
  setRetention(s, { runs: { days: 30 } });
  const sweep = s.app.services.retention.sweep();
  let done = false;
  void sweep.finally(() => (done = true));
  const waits: number[] = [];
  while (!done) {
    const t = performance.now();
    const r = await s.gql('{ me { username } }', {}, admin);
    waits.push(performance.now() - t);
    expect(r.data.me.username).toBe('admin');
  }
  const report = await sweep;
  console.log(
    `100k sweep: ${report!.ms} ms, ${report!.batches} batches; me: ${waits.length} answers, max ${Math.max(...waits).toFixed(1)} ms`,
  );
  expect(report).toMatchObject({ runs: RUNS, batches: RUNS / RETENTION_BATCH });
  expect(await s.app.services.orm.em.fork().count(CommandRun, {})).toBe(0);
  expect(FILED.filter((id) => existsSync(s.app.services.outputStore.pathOf(id)))).toEqual([]);
  expect(report!.bytesFreed).toBe(FILED.length * 'output\n'.length);
  // answered all through the sweep, not just before and after it
  expect(waits.length).toBeGreaterThan(20);
  expect(Math.max(...waits)).toBeLessThan(1000);
}, 60_000);
