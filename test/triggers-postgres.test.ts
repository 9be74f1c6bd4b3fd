// Log-pattern triggers on two instances sharing a real PostgreSQL (Debian's package, a free
// loopback port), both following the same log file: each matching line fires once and starts one
// run, whichever instance reads it first; the other finds the firing already recorded.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRun } from '../api/src/modules/commands/command-run.entity.js';
import { TriggerFiring } from '../api/src/modules/triggers/trigger.firing.entity.js';
import { waitFollowing } from '../api/src/modules/triggers/trigger.testkit.js';
import { startServer, type TestServer } from '../api/src/test/harness.js';
import { waitUntil } from '../api/src/test/wait.js';
import { startPostgres, type Postgres } from './scale/cluster.js';

let pg: Postgres;
let dir: string;
let a: TestServer;
let b: TestServer;
const LINES = 30;

const agent = (log: string) => `commands:
  - name: note
    title: Note
    argv: [echo, "{{n}}"]
    args:
      - { name: n, type: int }
    maxConcurrent: 100
logs:
  - { name: shared, path: ${JSON.stringify(log)} }
triggers:
  - name: each-hit
    source: shared
    pattern: "/hit (?<n>\\\\d+)/"
    cooldown: 0
    run: { command: note, args: { n: "{{n}}" } }
  - name: quiet
    source: shared
    pattern: "/cool (?<n>\\\\d+)/"
    cooldown: 600
    run: { command: note, args: { n: "{{n}}" } }
`;

beforeAll(async () => {
  pg = await startPostgres();
  dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-triggers-pg-'));
  const log = path.join(dir, 'shared.log');
  writeFileSync(log, 'start\n');
  // debug: each instance logs every line it handled, fired or found fired by the other
  const env = { DATABASE_URL: pg.url, DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'debug' };
  a = await startServer(env, { agentYaml: agent(log) });
  b = await startServer(env, { agentYaml: agent(log) });
  for (const s of [a, b]) for (const t of ['each-hit', 'quiet']) await waitFollowing(s, t);
}, 60_000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await pg?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Lines trigger `name` handled on `s`: fired, found fired by the other, or within the cooldown. */
const handled = (s: TestServer, name: string) =>
  [
    ...s.logText().matchAll(/"msg":"log trigger (?:fired|line [^"]+)","trigger":"([a-z-]+)"/g),
  ].filter((m) => m[1] === name).length;

describe('triggers on two instances sharing PostgreSQL', () => {
  it('fires each matching line once and starts one run for it', async () => {
    const log = path.join(dir, 'shared.log');
    for (let i = 1; i <= LINES; i++) appendFileSync(log, `hit ${i}\nnoise ${i}\n`);
    // both instances have handled every line: each either fired it or found it fired
    await waitUntil(() => handled(a, 'each-hit') === LINES && handled(b, 'each-hit') === LINES, {
      timeoutMs: 20_000,
      what: () =>
        `both to handle ${LINES} lines (a ${handled(a, 'each-hit')}, b ${handled(b, 'each-hit')})`,
    });
    const em = a.app.services.orm.em.fork();
    const firings = await em.find(TriggerFiring, { triggerName: 'each-hit' });
    expect(firings.map((f) => f.line).sort()).toEqual(
      Array.from({ length: LINES }, (_, i) => `hit ${i + 1}`).sort(),
    );
    expect(new Set(firings.map((f) => f.cursor)).size).toBe(LINES);
    expect(firings.every((f) => f.runId !== null && f.error === null)).toBe(true);
    const runs = await em.find(CommandRun, { trigger: 'LOG_PATTERN', triggerName: 'each-hit' });
    expect(runs.map((r) => r.argv[1]).sort()).toEqual(
      Array.from({ length: LINES }, (_, i) => String(i + 1)).sort(),
    );
    expect(runs.map((r) => r.id).sort()).toEqual(firings.map((f) => f.runId).sort());
  });

  it('holds the cooldown across instances: matches after a firing on either are ignored', async () => {
    const log = path.join(dir, 'shared.log');
    for (let i = 1; i <= 5; i++) appendFileSync(log, `cool ${i}\n`);
    await waitUntil(() => handled(a, 'quiet') === 5 && handled(b, 'quiet') === 5, {
      timeoutMs: 20_000,
      what: () => `both to handle 5 lines (a ${handled(a, 'quiet')}, b ${handled(b, 'quiet')})`,
    });
    const em = a.app.services.orm.em.fork();
    const firings = await em.find(TriggerFiring, { triggerName: 'quiet' });
    expect(firings.map((f) => f.line)).toEqual(['cool 1']);
    expect(await em.count(CommandRun, { triggerName: 'quiet' })).toBe(1);
  });
});
