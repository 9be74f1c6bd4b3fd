import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpReceiver } from '../../api/src/modules/notify/notify.testkit.js';
import { startCluster, until, type Cluster } from './cluster.js';

// issue 20 items 1, 6, 7 and 8: runs belong to an instance, a gone owner's runs are taken over,
// a cancel reaches the owner through the database, and run limits count every instance
const gate = mkdtempSync(path.join(tmpdir(), 'tiny-agent-gate-'));
const GO = path.join(gate, 'go');
const AGENT = `commands:
  - name: numbered
    title: Numbered
    # 200 lines slowly, then waits for the test's go-ahead before the other 200
    argv: ["sh", "-c", "i=1; while [ $i -le 400 ]; do echo line $i; i=$((i+1)); while [ ! -e ${GO} ] && [ $i -gt 200 ]; do sleep 0.05; done; [ -e ${GO} ] || sleep 0.02; done"]
    timeout: 300
    maxConcurrent: 5
  - name: ticking
    title: Ticking
    argv: ["sh", "-c", "while true; do echo tick; sleep 0.1; done"]
    timeout: 300
    maxConcurrent: 10
    notify: [{ target: pager, on: failure }]
  - name: single
    title: Single
    argv: ["sh", "-c", "while true; do sleep 0.1; done"]
    timeout: 300
    maxConcurrent: 1
logs: []
`;

const RUN = `mutation($name: String!) { runCommand(name: $name) { id status } }`;
const STATUS = `query($id: ID!) { commandRun(id: $id) { status error } }`;
const OUTPUT = `subscription($id: ID!) { commandOutput(runId: $id) { seq data } }`;

/** pids (alive, not zombies) whose environment names this run: what the run started */
function processesOf(runId: string): number[] {
  const marker = `TINY_AGENT_RUN_ID=${runId}`;
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return (
          !/\) Z /.test(readFileSync(`/proc/${p}/stat`, 'utf8')) &&
          readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(marker)
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

let c: Cluster;
let admin: { token: string };
let receiver: Awaited<ReturnType<typeof httpReceiver>>;
beforeAll(async () => {
  receiver = await httpReceiver(() => 200);
  c = await startCluster({
    agentYaml: `${AGENT}notify:\n  - { name: pager, type: webhook, url: "${receiver.url}/pager" }\n`,
    // short, yet long enough that a loaded test machine's slow beat is not taken for a crash
    env: { INSTANCE_LEASE_SECONDS: '3', INSTANCE_HEARTBEAT_SECONDS: '0.5' },
  });
  admin = await c.login(c.instances[0]!.url);
}, 120_000);
afterAll(async () => {
  await c?.stop();
  await receiver?.close();
  rmSync(gate, { recursive: true, force: true });
}, 60_000);

const status = async (url: string, id: string) =>
  (await c.gql(url, STATUS, { id }, admin)).data.commandRun.status as string;

describe('runs belong to the instance that started them', () => {
  it('maxConcurrent 1 raced from three instances: exactly one admitted, running = 1 everywhere', async () => {
    const tries = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        c.gql(c.instances[i % 3]!.url, RUN, { name: 'single' }, admin),
      ),
    );
    const admitted = tries.filter((r) => r.data?.runCommand);
    const refused = tries.filter((r) => r.errors);
    expect(admitted.length).toBe(1);
    expect(refused.length).toBe(19);
    for (const r of refused) {
      expect(r.errors![0]!.extensions?.code).toBe('CONFLICT');
      expect(r.errors![0]!.message).toMatch(/"single" is already running 1 time\(s\)/);
    }
    for (const inst of c.instances) {
      const r = await c.gql(inst.url, `{ commands { name running } }`, {}, admin);
      expect(r.data.commands.find((x: any) => x.name === 'single').running).toBe(1);
    }
    const id = admitted[0]!.data.runCommand.id;
    const cancelled = await c.gql(
      c.instances[1]!.url,
      `mutation($id: ID!) { cancelCommandRun(id: $id) { status } }`,
      { id },
      admin,
    );
    expect(cancelled.data.cancelCommandRun.status).toBe('CANCELLED');
  });

  it('a rolling restart of the other instances leaves a run on A running, its child alive, every line stored once', async () => {
    const [a, b, cc] = c.instances;
    const id = (await c.gql(a!.url, RUN, { name: 'numbered' }, admin)).data.runCommand.id;
    // the run's shell: its own `sleep` children come and go, the shell lives as long as the run
    const shells = () =>
      processesOf(id).filter((p) => {
        try {
          return readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'sh';
        } catch {
          return false;
        }
      });
    await until(() => shells().length === 1, 'the run has started its shell');
    const [shell] = shells();
    for (const inst of [b!, cc!]) {
      await inst.restart();
      for (const other of c.instances) expect(await status(other.url, id)).toBe('RUNNING');
      // never killed by the instance that started up
      expect(processesOf(id)).toContain(shell);
    }
    writeFileSync(GO, '');
    await until(async () => (await status(b!.url, id)) !== 'RUNNING', 'the run has ended', 30_000);
    expect(await status(cc!.url, id)).toBe('SUCCEEDED');
    const out = await c.gql(
      b!.url,
      `query($id: ID!) { commandRun(id: $id) { output(first: 500) { data } } }`,
      { id },
      admin,
    );
    const lines = out.data.commandRun.output
      .map((o: { data: string }) => o.data)
      .join('')
      .split('\n')
      .filter(Boolean);
    expect(lines).toEqual(Array.from({ length: 400 }, (_, i) => `line ${i + 1}`));
  }, 60_000);

  it('kill -9 of the owner: another instance interrupts its runs, kills their children, every subscriber completes, and the on-failure target is told once', async () => {
    const [a, b, cc] = c.instances;
    const id = (await c.gql(a!.url, RUN, { name: 'ticking' }, admin)).data.runCommand.id;
    const onB = c.subscribe(b!.url, OUTPUT, { id }, admin.token);
    const onC = c.subscribe(cc!.url, OUTPUT, { id }, admin.token);
    await Promise.all([onB.waitFor(1), onC.waitFor(1)]);
    expect(processesOf(id).length).toBeGreaterThan(0);
    await a!.kill(); // not restarted: the tests below use B and C
    await until(async () => (await status(b!.url, id)) === 'INTERRUPTED', 'the takeover', 10_000);
    const run = (await c.gql(cc!.url, STATUS, { id }, admin)).data.commandRun;
    expect(run.error).toMatch(/stopped \(crashed or lost its lease\)/);
    for (const s of [onB, onC]) expect((await s.waitEnd(5000)).error).toBeUndefined();
    await until(() => processesOf(id).length === 0, 'the orphaned child to be killed', 5000);
    // B and C both look for orphans on every beat; the one whose claim won tells, once
    const told = () => receiver.at('/pager').filter((r) => r.body.includes(id));
    await until(() => told().length > 0, 'the notification of the interrupted run', 10_000);
    expect(JSON.parse(told()[0]!.body)).toMatchObject({ event: 'RUN_FAILED', runId: id });
    await new Promise((r) => setTimeout(r, 2000)); // four beats of each: a second notice would show
    expect(told()).toHaveLength(1);
  }, 60_000);

  it('Redis down: a cancel on C of a run on B answers CANCELLED', async () => {
    const [, b, cc] = c.instances; // A was killed above
    const id = (await c.gql(b!.url, RUN, { name: 'ticking' }, admin)).data.runCommand.id;
    await until(() => processesOf(id).length > 0, 'the run has started its shell');
    await c.redis.kill();
    try {
      const r = await c.gql(
        cc!.url,
        `mutation($id: ID!) { cancelCommandRun(id: $id) { status } }`,
        { id },
        admin,
      );
      expect(r.data.cancelCommandRun.status).toBe('CANCELLED');
      expect(await status(b!.url, id)).toBe('CANCELLED');
      await until(() => processesOf(id).length === 0, 'the child to be gone', 5000);
    } finally {
      await c.redis.start();
    }
  }, 60_000);
});
