// Schedules in real time on a real server: a six-field cron firing every 2 s, the overlap rules
// with commands that outlast their interval, a limit recorded as REFUSED, and next times by zone.
import { Cron } from 'croner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';
import { nextRuns } from './schedule.service.js';

const AGENT = `commands:
  - name: tick
    title: Tick
    argv: [echo, "{{word}}"]
    args: [{ name: word, type: string, pattern: "[a-z]+" }]
    schedules: [{ cron: "*/2 * * * * *", args: { word: hello } }]
  - name: nightly
    title: Nightly
    argv: [echo, nightly]
    schedules: [{ cron: "0 3 * * *", timezone: Europe/Paris }]
  - { name: nap-skip, title: Skip, argv: [sleep, "2.5"], maxConcurrent: 5,
      schedules: [{ cron: "* * * * * *", overlap: skip }] }
  - { name: nap-queue, title: Queue, argv: [sleep, "2.5"], maxConcurrent: 5,
      schedules: [{ cron: "* * * * * *", overlap: queue }] }
  - { name: nap-allow, title: Allow, argv: [sleep, "3.5"], maxConcurrent: 2,
      schedules: [{ cron: "* * * * * *", overlap: allow }] }
logs: []
limits: { maxRunning: 50 }
`;

const SLOTS = `{ schedules { id command cron timezone overlap nextRuns(first: 3)
  recent(first: 50) { dueAt outcome detail
    run { id status argv trigger triggerName startedAt finishedAt args { name value } } } } }`;

interface Slot {
  dueAt: string;
  outcome: string;
  detail: string | null;
  run: null | {
    id: string;
    status: string;
    argv: string[];
    trigger: string;
    triggerName: string;
    startedAt: string;
    finishedAt: string | null;
    args: { name: string; value: string }[];
  };
}
interface Schedule {
  id: string;
  command: string;
  timezone: string;
  overlap: string;
  nextRuns: string[];
  recent: Slot[];
}

let s: TestServer;
let admin: { token: string };
beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  admin = await s.login();
}, 30_000);
afterAll(() => s?.stop());

async function schedules(): Promise<Map<string, Schedule>> {
  const r = await s.gql<{ schedules: Schedule[] }>(SLOTS, {}, admin);
  expect(r.errors).toBeUndefined();
  return new Map(r.data!.schedules.map((x) => [x.command, x]));
}
const oldestFirst = (slots: Slot[]) => [...slots].reverse();

describe('schedules', () => {
  it('a six-field cron fires every 2 s, each time one run with its arguments, named by the schedule', async () => {
    let tick: Schedule | undefined;
    await waitUntil(
      async () => {
        tick = (await schedules()).get('tick');
        return tick!.recent.filter((x) => x.run?.status === 'SUCCEEDED').length >= 2;
      },
      { timeoutMs: 10_000, what: 'two scheduled runs of tick' },
    );
    const id = 'tick:*/2 * * * * *@UTC';
    expect(tick!.id).toBe(id);
    const done = tick!.recent.filter((x) => x.run?.status === 'SUCCEEDED');
    const seconds = done.map((x) => new Date(x.dueAt).getTime() / 1000);
    expect(new Set(seconds).size).toBe(seconds.length);
    for (const [i, slot] of done.entries()) {
      expect(seconds[i]! % 2).toBe(0);
      expect(slot.outcome).toBe('STARTED');
      expect(slot.run).toMatchObject({
        argv: ['echo', 'hello'],
        trigger: 'SCHEDULE',
        triggerName: id,
        args: [{ name: 'word', value: 'hello' }],
      });
      // started at its time, not before it
      expect(new Date(slot.run!.startedAt).getTime()).toBeGreaterThanOrEqual(seconds[i]! * 1000);
    }
    // the runs are in history, filterable by what started them
    const runs = await s.gql(
      `{ commandRuns(command: "tick", trigger: SCHEDULE) { edges { node { id triggerName startedBy { username } } } } }`,
      {},
      admin,
    );
    const nodes = runs.data.commandRuns.edges.map((e: { node: unknown }) => e.node);
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    expect(nodes[0]).toMatchObject({ triggerName: id, startedBy: { username: '@automation' } });
    const manual = await s.gql(
      `{ commandRuns(command: "tick", trigger: MANUAL) { edges { node { id } } } }`,
      {},
      admin,
    );
    expect(manual.data.commandRuns.edges).toEqual([]);
  });

  it('next times follow the zone: 03:00 in Paris is 02:00Z in winter and 01:00Z in summer', async () => {
    const nightly = (await schedules()).get('nightly')!;
    expect(nightly.timezone).toBe('Europe/Paris');
    expect(nightly.nextRuns).toHaveLength(3);
    const paris = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      hour: '2-digit',
      minute: '2-digit',
    });
    for (const t of nightly.nextRuns) expect(paris.format(new Date(t))).toBe('03:00');
    const view = {
      ...nightly,
      cron: '0 3 * * *',
      args: [],
      overlap: 'skip' as const,
      catchUp: false,
    };
    const winter = nextRuns(view, 2, new Date('2026-01-15T12:00:00Z'));
    const summer = nextRuns(view, 1, new Date('2026-07-15T12:00:00Z'));
    expect(winter.map((d) => d.toISOString())).toEqual([
      '2026-01-16T02:00:00.000Z',
      '2026-01-17T02:00:00.000Z',
    ]);
    expect(summer.map((d) => d.toISOString())).toEqual(['2026-07-16T01:00:00.000Z']);
    // the same answer as croner's own, across the spring change
    const from = new Date('2026-03-27T12:00:00Z');
    expect(nextRuns(view, 4, from)).toEqual(
      new Cron('0 3 * * *', { timezone: 'Europe/Paris' }).nextRuns(4, from),
    );
    expect(nextRuns(view, 4, from)[2]!.toISOString()).toBe('2026-03-30T01:00:00.000Z');
  });

  it('overlap: skip skips, queue waits for the previous run, allow runs beside it up to the limit', async () => {
    let all = await schedules();
    await waitUntil(
      async () => {
        all = await schedules();
        const queued = all.get('nap-queue')!.recent.filter((x) => x.run).length;
        const allowRefused = all.get('nap-allow')!.recent.some((x) => x.outcome === 'REFUSED');
        const skipped = all.get('nap-skip')!.recent.some((x) => x.outcome === 'SKIPPED');
        return queued >= 2 && allowRefused && skipped;
      },
      { timeoutMs: 15_000, what: 'the overlap outcomes' },
    );

    // skip: a time while its previous run runs is SKIPPED, and no two runs overlap
    const skip = oldestFirst(all.get('nap-skip')!.recent);
    expect(skip[0]!.outcome).toBe('STARTED');
    const skipped = skip.find((x) => x.outcome === 'SKIPPED')!;
    expect(skipped.run).toBeNull();
    expect(skipped.detail).toMatch(/still running/);

    // queue: the second run starts only once the first has ended; later times meanwhile are skipped
    const queue = oldestFirst(all.get('nap-queue')!.recent);
    const [first, second] = queue.filter((x) => x.run);
    expect(first!.run!.status).toBe('SUCCEEDED');
    expect(new Date(second!.run!.startedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(first!.run!.finishedAt!).getTime(),
    );
    expect(second!.detail).toMatch(/after the previous run ended/);
    const between = queue.slice(queue.indexOf(first!) + 1, queue.indexOf(second!));
    expect(between.every((x) => x.outcome === 'SKIPPED' && /already waits/.test(x.detail!))).toBe(
      true,
    );

    // allow: two at once (maxConcurrent 2), the third refused with the limit's message
    const allow = oldestFirst(all.get('nap-allow')!.recent);
    const [a, b] = allow.filter((x) => x.run);
    expect(new Date(b!.run!.startedAt).getTime()).toBeLessThan(
      new Date(a!.run!.finishedAt ?? Date.now()).getTime(),
    );
    const refused = allow.find((x) => x.outcome === 'REFUSED')!;
    expect(refused.run).toBeNull();
    expect(refused.detail).toMatch(
      /"nap-allow" is already running 2 time\(s\), the most allowed at once/,
    );
    expect(s.logText()).toMatch(/"scheduled run refused"/);
  }, 30_000);

  it('a USER sees schedules of the commands their role may run, and no run of @automation', async () => {
    const user = await s.createUser('sched-user');
    const r = await s.gql(`{ schedules { id } commands { name schedules { id } } }`, {}, user);
    expect(r.data).toEqual({ schedules: [], commands: [] });
  });
});
