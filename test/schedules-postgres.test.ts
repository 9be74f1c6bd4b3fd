// Two instances sharing one PostgreSQL, each with the same every-second schedule: every due time
// is claimed by one of them and runs exactly once (schedule_slots' primary key decides).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRun } from '../api/src/modules/commands/command-run.entity.js';
import { ScheduleSlot } from '../api/src/modules/schedules/schedule.slot.entity.js';
import { startServer, type TestServer } from '../api/src/test/harness.js';
import { waitUntil } from '../api/src/test/wait.js';
import { startPostgres, type Postgres } from './scale/cluster.js';

const AGENT = `commands:
  - { name: beat, title: Beat, argv: [echo, beat], maxConcurrent: 20,
      schedules: [{ cron: "* * * * * *", overlap: allow }] }
logs: []
`;
const ID = 'beat:* * * * * *@UTC';

let pg: Postgres;
let dataDir: string;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  pg = await startPostgres();
  dataDir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-sched-pg-'));
  const env = { DATABASE_URL: pg.url, DATA_DIR: dataDir };
  [a, b] = await Promise.all([
    startServer(env, { agentYaml: AGENT }),
    startServer(env, { agentYaml: AGENT }),
  ]);
}, 60_000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await pg?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const em = () => a.app.services.orm.em.fork();

describe('schedules on a shared PostgreSQL', () => {
  it('each due time runs exactly once across two instances', async () => {
    // both instances are up: count only the times after that
    const from = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
    const window = () => em().find(ScheduleSlot, { scheduleId: ID, dueAt: { $gte: from } });
    await waitUntil(async () => (await window()).filter((x) => x.runId).length >= 6, {
      timeoutMs: 15_000,
      what: 'six claimed times',
    });
    // the last one may still be starting; its neighbours are settled
    const slots = (await window()).filter((x) => x.runId).sort((x, y) => +x.dueAt - +y.dueAt);
    const seconds = slots.map((x) => x.dueAt.getTime() / 1000);
    // one slot per second, none lost between the first and the last
    expect(seconds).toEqual(seconds.map((_, i) => seconds[0]! + i));
    expect(slots.every((x) => x.outcome === 'STARTED')).toBe(true);
    const instances = new Set<string>([a.app.services.instance.id, b.app.services.instance.id]);
    expect(slots.every((x) => instances.has(x.instanceId))).toBe(true);

    // one run per time: every run of the schedule since `from` belongs to exactly one slot
    const runs = await em().find(CommandRun, {
      triggerName: ID,
      startedAt: { $gte: from, $lt: new Date(slots.at(-1)!.dueAt.getTime() + 1000) },
    });
    expect(runs.map((r) => r.id).sort()).toEqual(slots.map((x) => x.runId).sort());
    expect(runs.every((r) => r.trigger === 'SCHEDULE')).toBe(true);
  }, 40_000);
});
