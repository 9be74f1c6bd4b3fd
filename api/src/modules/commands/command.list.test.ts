// commandRuns filters (command, status, who, when) through the real server: bounded input, the
// contract's visibility (a USER finds only their own runs), and keyset pages that stay correct.
import { beforeAll, describe, expect, it } from 'vitest';
import { serverForFile } from '../../test/harness.js';
import { CommandRun } from './command-run.entity.js';

const f = serverForFile(`
commands:
  - name: hello
    title: Hello
    argv: ["true"]
    roles: [admin, user]
`);

const RUNS = `query($first: Int, $after: String, $command: String, $status: RunStatus, $startedBy: ID, $since: DateTime, $until: DateTime) {
  commandRuns(first: $first, after: $after, command: $command, status: $status, startedBy: $startedBy, since: $since, until: $until) {
    edges { node { id commandName status startedAt startedBy { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const HOUR = 3_600_000;
let bob: { token: string; userId: string };
let carol: { token: string; userId: string };
// id → [startedAt ms, startedById]
const seeded = new Map<string, [number, string]>();

beforeAll(async () => {
  bob = await f.s.createUser('bob', 'USER');
  carol = await f.s.createUser('carol', 'USER');
  const em = f.s.app.services.orm.em.fork();
  // 120 runs an hour apart, alternating bob / carol / admin; some share a start time (keyset ties)
  const who = [bob.userId, carol.userId, f.admin.userId];
  for (let i = 0; i < 120; i++) {
    const at = T0 + Math.floor(i / 2) * HOUR;
    const run = em.create(CommandRun, {
      commandName: i % 5 === 0 ? 'other' : 'hello',
      argv: ['true'],
      status: i % 3 === 0 ? 'FAILED' : 'SUCCEEDED',
      startedAt: new Date(at),
      finishedAt: new Date(at + 1000),
      startedById: who[i % 3]!,
    } as CommandRun);
    seeded.set(run.id, [at, run.startedById]);
  }
  await em.flush();
});

type Vars = Record<string, unknown>;
async function all(vars: Vars, auth: { token: string }, first = 7) {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const r: any = await f.s.gql(RUNS, { ...vars, first, after }, auth);
    expect(r.errors).toBeUndefined();
    ids.push(...r.data.commandRuns.edges.map((e: any) => e.node.id));
    if (!r.data.commandRuns.pageInfo.hasNextPage) return ids;
    after = r.data.commandRuns.pageInfo.endCursor;
  }
}

const inRange = (id: string, since: number, until: number) => {
  const [at] = seeded.get(id)!;
  return at >= since && at <= until;
};

describe('commandRuns filters', () => {
  it('an admin filters by who started a run and by a time range, across keyset pages', async () => {
    const since = T0 + 10 * HOUR;
    const until = T0 + 40 * HOUR;
    const ids = await all(
      {
        startedBy: carol.userId,
        since: new Date(since).toISOString(),
        until: new Date(until).toISOString(),
      },
      f.admin,
    );
    const expected = [...seeded]
      .filter(([id, [, by]]) => by === carol.userId && inRange(id, since, until))
      .map(([id]) => id);
    expect(expected.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length); // no run twice
    expect([...ids].sort()).toEqual([...expected].sort());
    // newest first
    const times = ids.map((id) => seeded.get(id)![0]);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('combines with command and status', async () => {
    const ids = await all(
      { command: 'hello', status: 'FAILED', since: new Date(T0 + 30 * HOUR).toISOString() },
      f.admin,
    );
    const r: any = await f.s.gql(
      `query($ids: ID!) { commandRun(id: $ids) { commandName status startedAt } }`,
      { ids: ids[0] },
      f.admin,
    );
    expect(r.data.commandRun).toMatchObject({ commandName: 'hello', status: 'FAILED' });
    expect(ids.every((id) => seeded.get(id)![0] >= T0 + 30 * HOUR)).toBe(true);
    expect(ids.length).toBeGreaterThan(0);
  });

  it("a USER asking for someone else's runs finds none, and their own as before", async () => {
    const others = await all({ startedBy: carol.userId }, bob);
    expect(others).toEqual([]);
    const own = await all({ startedBy: bob.userId }, bob);
    const plain = await all({}, bob);
    expect(own.length).toBe(40);
    expect(own).toEqual(plain);
    expect(own.every((id) => seeded.get(id)![1] === bob.userId)).toBe(true);
  });

  it('refuses an inverted range and unbounded input with BAD_USER_INPUT', async () => {
    const cases: Vars[] = [
      { since: new Date(T0 + HOUR).toISOString(), until: new Date(T0).toISOString() },
      { startedBy: 'x'.repeat(65) },
      { command: 'c'.repeat(65) },
      { after: 'a'.repeat(201) },
    ];
    for (const vars of cases) {
      const r: any = await f.s.gql(RUNS, vars, f.admin);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe('BAD_USER_INPUT');
      expect(r.errors[0].message).toMatch(/`(since|startedBy|command|after)`/);
    }
  });

  it('answers 300 concurrent filtered pages consistently', async () => {
    const vars = { startedBy: bob.userId, since: new Date(T0 + 20 * HOUR).toISOString() };
    const expected = await all(vars, f.admin, 100);
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        f.s.gql(RUNS, { ...vars, first: 100 }, i % 2 ? f.admin : bob),
      ),
    );
    for (const r of answers) {
      expect(r.errors).toBeUndefined();
      expect(r.data.commandRuns.edges.map((e: any) => e.node.id)).toEqual(expected);
    }
  });
});
