// The real server stopped and started again: a `catchUp: true` schedule runs its last missed time
// once; one without it makes up nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gqlAt } from '../../test/harness.js';
import { spawnServer, type Spawned } from '../../test/spawn.js';
import { waitUntil } from '../../test/wait.js';
import { CAUGHT_UP } from './schedule.runner.js';

const AGENT = `commands:
  - { name: late, title: Late, argv: [echo, late], schedules: [{ cron: "*/2 * * * * *", catchUp: true }] }
  - { name: never, title: Never, argv: [echo, never], schedules: [{ cron: "*/2 * * * * *" }] }
logs: []
`;
const SLOTS = `{ schedules { command recent(first: 50) { dueAt outcome detail run { id status } } } }`;
interface Slot {
  dueAt: string;
  outcome: string;
  detail: string | null;
  run: { id: string; status: string } | null;
}

const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-catchup-'));
writeFileSync(path.join(dir, 'agent.yaml'), AGENT);
const env = {
  DATA_DIR: path.join(dir, 'data'),
  LOGS_DIR: path.join(dir, 'logs'),
  ADMIN_PASSWORD: 'admin-password-1',
};
let server: Spawned | undefined;
afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function slotsAt(url: string): Promise<Record<string, number[]> & { raw: Slot[] }> {
  const login = await gqlAt(
    url,
    `mutation { login(username: "admin", password: "admin-password-1") { token } }`,
  );
  const r = await gqlAt(url, SLOTS, {}, { token: login.data.login.token });
  const by = Object.fromEntries(
    r.data.schedules.map((s: { command: string; recent: Slot[] }) => [
      s.command,
      s.recent.map((x) => Date.parse(x.dueAt)).sort((a, b) => a - b),
    ]),
  );
  const raw = r.data.schedules.find((s: { command: string }) => s.command === 'late').recent;
  return Object.assign(by, { raw });
}

describe('catchUp', () => {
  it('after downtime: the last missed time runs once with catchUp, nothing without it', async () => {
    server = await spawnServer(env, dir);
    let before = await slotsAt(server.url);
    await waitUntil(
      async () => {
        before = await slotsAt(server!.url);
        return before.late!.length > 0 && before.never!.length > 0;
      },
      { timeoutMs: 10_000, what: 'a time of each schedule before the stop' },
    );
    server.child.kill('SIGTERM');
    await server.exited;
    const stoppedAt = Date.now();
    // at least two times of each pass while nothing runs (watching the clock, not sleeping)
    await waitUntil(() => Date.now() > stoppedAt + 4100, { timeoutMs: 6000, everyMs: 100 });
    const restartAt = Date.now();

    server = await spawnServer(env, dir);
    let after = before;
    await waitUntil(
      async () => {
        after = await slotsAt(server!.url);
        return after.never!.some((t) => t > restartAt) && after.late!.some((t) => t > restartAt);
      },
      { timeoutMs: 10_000, what: 'a regular time of each schedule after the restart' },
    );
    const lastBefore = (x: number[]) => Math.max(...x.filter((t) => t < stoppedAt));
    // without catchUp: nothing between its last time before the stop and the restart
    const never = after.never!;
    expect(never.filter((t) => t > lastBefore(never) && t < restartAt)).toEqual([]);

    // with catchUp: exactly one made-up time, the last missed one (not the first), before the
    // regular times resume (a loaded start may skip a regular time it was late for: not counted)
    const late = after.late!;
    const caughtUp = after.raw.filter((x) => x.detail === CAUGHT_UP);
    expect(caughtUp).toHaveLength(1);
    const caught = caughtUp[0]!;
    const at = Date.parse(caught.dueAt);
    expect(at).toBeGreaterThan(lastBefore(late) + 2000); // the last missed, not the first
    expect(at).toBeLessThan(restartAt + 10_000);
    expect(late.filter((t) => t > lastBefore(late) && t < at)).toEqual([]); // no other made up
    expect(late.some((t) => t > at)).toBe(true); // regular times follow it
    expect(caught).toMatchObject({ outcome: 'STARTED' });
    expect(caught.run).not.toBeNull();
  }, 45_000);
});
