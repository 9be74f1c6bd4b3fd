// Schedules follow agent.yaml as it is edited, and a scheduled time is judged by the file and the
// disk at that moment: a path argument that no longer resolves inside its roots is REFUSED.
import { mkdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';
import { CommandRun } from '../commands/command-run.entity.js';
import { SLOTS_KEPT } from './schedule.fire.js';
import { ScheduleSlot } from './schedule.slot.entity.js';

const yaml = (schedules: string) => `commands:
  - name: list
    title: List
    argv: [ls, "{{dir}}"]
    args: [{ name: dir, type: path, roots: [root] }, { name: tag, type: string, pattern: "[a-z]+", required: false }]
    schedules: ${schedules}
logs: []
`;
const EVERY_SECOND = '* * * * * *';
const ID = `list:${EVERY_SECOND}@UTC`;

let s: TestServer;
let admin: { token: string };
beforeAll(async () => {
  s = await startServer({}, { agentYaml: 'commands: []\nlogs: []\n' });
  admin = await s.login();
  // the roots exist before a file names them
  mkdirSync(path.join(s.dir, 'root/inside'), { recursive: true });
  symlinkSync(path.join(s.dir, 'root/inside'), path.join(s.dir, 'root/link'));
  edit(yaml('[]'));
  await waitUntil(() => s.app.services.agent.config.commands.length === 1, { what: 'the command' });
}, 30_000);
afterAll(() => s?.stop());

const em = () => s.app.services.orm.em.fork();
const slots = () => em().find(ScheduleSlot, { scheduleId: ID }, { orderBy: { dueAt: 'asc' } });
const listed = async () =>
  (await s.gql('{ schedules { id } }', {}, admin)).data.schedules.map((x: { id: string }) => x.id);
const edit = (text: string) => writeFileSync(s.agentPath, text);

describe('schedules and agent.yaml edits', () => {
  it('an edit adds a schedule live, another removes it: no time runs after that', async () => {
    // times kept from long ago: the first claim prunes them to the latest SLOTS_KEPT
    const old = em();
    for (let i = 0; i < SLOTS_KEPT + 100; i++)
      old.create(ScheduleSlot, {
        scheduleId: ID,
        dueAt: new Date(Date.UTC(2020, 0, 1) + i * 1000),
        instanceId: 'gone',
        outcome: 'STARTED',
      } as ScheduleSlot);
    await old.flush();
    edit(yaml(`[{ cron: "${EVERY_SECOND}", args: { dir: link } }]`));
    await waitUntil(async () => (await slots()).some((x) => x.runId), {
      timeoutMs: 8000,
      what: 'a run of the added schedule',
    });
    expect(await listed()).toEqual([ID]);
    const run = await em().findOneOrFail(CommandRun, { triggerName: ID });
    const kept = await em().find(ScheduleSlot, { scheduleId: ID, instanceId: 'gone' });
    expect(kept).toHaveLength(SLOTS_KEPT - 1);
    expect(Math.min(...kept.map((x) => x.dueAt.getTime()))).toBe(Date.UTC(2020, 0, 1) + 101_000);
    expect(run.argv).toEqual(['ls', path.join(s.dir, 'root/inside')]);

    edit(yaml('[]'));
    await waitUntil(async () => (await listed()).length === 0, { what: 'the schedule removed' });
    const removedAt = Date.now();
    // two more of its times pass (by the clock, not a sleep): none of them is claimed
    await waitUntil(() => Date.now() > removedAt + 2100, { timeoutMs: 4000, everyMs: 100 });
    const late = (await slots()).filter((x) => x.dueAt.getTime() > removedAt);
    expect(late).toEqual([]);
  });

  it('an edit whose schedule arguments break the new rules is refused whole; the last good file goes on', async () => {
    edit(yaml(`[{ cron: "${EVERY_SECOND}", args: { dir: link, tag: abc } }]`));
    await waitUntil(async () => (await listed()).length === 1, { what: 'the schedule back' });
    edit(
      yaml(`[{ cron: "${EVERY_SECOND}", args: { dir: link, tag: abc } }]`).replace(
        '"[a-z]+"',
        '"[0-9]+"',
      ),
    );
    await waitUntil(() => /agent config edit refused/.test(s.logText()), {
      what: 'the edit refused',
    });
    expect(s.logText()).toMatch(/schedules\[0\]\.args\.tag: must match the pattern \[0-9\]\+/);
    expect(await listed()).toEqual([ID]);
  });

  it('the arguments are judged again at each time: a path that left its roots is REFUSED, no run', async () => {
    const before = await em().count(CommandRun, { triggerName: ID });
    unlinkSync(path.join(s.dir, 'root/link'));
    symlinkSync('/etc', path.join(s.dir, 'root/link'));
    const moved = Date.now();
    await waitUntil(
      async () => (await slots()).some((x) => x.dueAt.getTime() > moved && x.outcome === 'REFUSED'),
      { timeoutMs: 5000, what: 'a refused time' },
    );
    const refused = (await slots()).filter((x) => x.dueAt.getTime() > moved);
    expect(refused.every((x) => x.outcome === 'REFUSED' && x.runId === null)).toBe(true);
    expect(refused[0]!.detail).toBe(
      `Argument "dir" must be an existing path inside ${path.join(s.dir, 'root')}.`,
    );
    // no run started after the link moved (one may have been starting as it moved)
    const runs = await em().find(CommandRun, {
      triggerName: ID,
      startedAt: { $gt: new Date(moved + 1000) },
    });
    expect(runs).toEqual([]);
    expect(await em().count(CommandRun, { triggerName: ID })).toBeLessThanOrEqual(before + 1);
    edit(yaml('[]')); // quiet for the server's stop
  });
});
