import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, startTcpProxy, until, type Cluster, type TcpProxy } from './cluster.js';

// issue 20's own check: Redis killed for 20 s with a logout, a cancel and output in the gap, on
// three instances behind nginx; every line once, the cancel answered, the session ended everywhere
// the counting run prints a line every 60 ms until the test creates this file (once Redis is back
// and lines flow again): output before, during and after the gap, and no idle tail after it
// and then writes how many it printed, the count the readers' text is checked against
const DIR = mkdtempSync(path.join(tmpdir(), 'tiny-agent-outage-'));
const GO = path.join(DIR, 'go');
const COUNT = path.join(DIR, 'count');
const AGENT = `commands:
  - name: counting
    title: Counting
    argv: ["sh", "-c", "i=1; while [ ! -e '${GO}' ]; do echo line $i; i=$((i+1)); sleep 0.06; done; echo $((i-1)) > '${COUNT}'"]
    timeout: 300
  - name: waiting
    title: Waiting
    argv: ["sh", "-c", "while true; do sleep 0.1; done"]
    timeout: 300
logs: []
`;
const linesUpTo = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}\n`).join('');
/** the number of the last whole line a reader has */
const lastLine = (r: { events: { data?: { commandOutput: { data: string } } }[] }) =>
  Number(/line (\d+)\n$/.exec(r.events.map((e) => e.data!.commandOutput.data).join(''))?.[1] ?? 0);
const RUN = 'mutation($name: String!) { runCommand(name: $name) { id } }';
const OUTPUT = 'subscription($id: ID!) { commandOutput(runId: $id) { seq data } }';
const STATUS = 'query($id: ID!) { commandRun(id: $id) { status } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const codeOf = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code ?? 'OK';

let c: Cluster;
// the third instance reaches Redis through a proxy the test can cut: Redis lost by it alone
let proxy: TcpProxy;
beforeAll(async () => {
  c = await startCluster({
    agentYaml: AGENT,
    nginx: true,
    env: { INSTANCE_LEASE_SECONDS: '3', INSTANCE_HEARTBEAT_SECONDS: '0.5' },
    envFor: async (i, { redis }): Promise<Record<string, string>> => {
      if (i !== 2) return {};
      proxy = await startTcpProxy(Number(new URL(redis.url).port));
      return { REDIS_URL: `redis://127.0.0.1:${proxy.port}` };
    },
  });
}, 120_000);
afterAll(async () => {
  await c?.stop();
  await proxy?.close();
  rmSync(DIR, { recursive: true, force: true });
}, 60_000);

/** seqs strictly increasing by one from 1, and the text they carry */
function joined(events: { data?: { commandOutput: { seq: number; data: string } } }[]) {
  const chunks = events.map((e) => e.data!.commandOutput);
  chunks.forEach((ch, i) => expect(ch.seq, `seq ${i}`).toBeGreaterThan(chunks[i - 1]?.seq ?? 0));
  return chunks.map((ch) => ch.data).join('');
}

describe('Redis killed for 20 s', () => {
  it('output, a cancel and a sign-out in the gap: nothing lost, the cancel answered, the session ended everywhere', async () => {
    const [a, b, d] = c.instances.map((i) => i.url) as [string, string, string];
    const admin = await c.login(a);
    const made = await c.gql(
      a,
      'mutation { createUser(username: "gap-user", password: "gap-password-1", role: USER) { id } }',
      {},
      admin,
    );
    expect(made.errors).toBeUndefined();
    const user = await c.login(a, 'gap-user', 'gap-password-1');

    const counting = (await c.gql(a, RUN, { name: 'counting' }, admin)).data.runCommand.id;
    const waiting = (await c.gql(a, RUN, { name: 'waiting' }, admin)).data.runCommand.id;
    // readers of A's run on every instance and through nginx; the user's stream open on B
    const readers = [a, b, d, c.url].map((url) =>
      c.subscribe(url, OUTPUT, { id: counting }, admin.token),
    );
    const usersStream = c.subscribe(b, 'subscription { commandRunUpdated { id } }', {}, user.token);
    expect(codeOf(await c.gql(b, '{ commands { name } }', {}, user))).toBe('OK');
    await until(() => readers.every((r) => r.events.length > 0), 'the first lines everywhere');

    await c.redis.kill();
    const down = Date.now();
    const atKill = lastLine(readers[0]!);
    // a sign-out on A: refused on B at once, with no event to tell B
    expect(codeOf(await c.gql(a, 'mutation { logout }', {}, user))).toBe('OK');
    expect(codeOf(await c.gql(b, '{ commands { name } }', {}, user))).toBe('UNAUTHENTICATED');
    // a cancel on D of A's run: answered with the run's end, through the database
    const cancelled = await c.gql(
      d,
      'mutation($id: ID!) { cancelCommandRun(id: $id) { status } }',
      { id: waiting },
      admin,
    );
    expect(cancelled.data.cancelCommandRun.status).toBe('CANCELLED');
    await sleep(20_000 - (Date.now() - down));
    await c.redis.start();

    const back = lastLine(readers[0]!); // A's own reader: it never depended on Redis

    // the user's stream on B ends once B hears from Redis again and re-checks what it holds
    await usersStream.waitEnd(10_000);
    expect(JSON.stringify(usersStream.events)).toContain('UNAUTHENTICATED');
    // output after the gap too (20 lines, ~1.2 s), then the run may end
    await until(() => lastLine(readers[0]!) >= back + 20, 'lines after Redis is back');
    writeFileSync(GO, '');
    const ends = [];
    for (const r of readers) {
      const end = await r.waitEnd(40_000);
      expect(end.error).toBeUndefined();
      ends.push(joined(r.events));
    }
    // every reader has every line once, in order: those before, during and after the gap
    const total = Number(readFileSync(COUNT, 'utf8'));
    expect(back).toBeGreaterThan(atKill);
    expect(total).toBeGreaterThanOrEqual(back + 20);
    for (const text of ends) expect(text).toBe(linesUpTo(total));
    for (const url of [a, b, d])
      expect((await c.gql(url, STATUS, { id: counting }, admin)).data.commandRun.status).toBe(
        'SUCCEEDED',
      );
  }, 120_000);
});

describe('one instance loses Redis alone', () => {
  it('a sign-out made there reaches the others once it is back: their streams of it end', async () => {
    const [a, b, d] = c.instances.map((i) => i.url) as [string, string, string];
    const admin = await c.login(a);
    await c.gql(
      a,
      'mutation { createUser(username: "cut-user", password: "cut-password-1", role: USER) { id } }',
      {},
      admin,
    );
    const user = await c.login(d, 'cut-user', 'cut-password-1');
    expect(codeOf(await c.gql(b, '{ commands { name } }', {}, user))).toBe('OK');
    const stream = c.subscribe(b, 'subscription { commandRunUpdated { id } }', {}, user.token);

    proxy.cut();
    await sleep(500); // D notices: its connections were dropped
    expect(codeOf(await c.gql(d, 'mutation { logout }', {}, user))).toBe('OK');
    // past ioredis's ~10 s of queued retries: D's event of the sign-out is lost for good
    await sleep(12_000);
    expect(stream.ended).toBeNull(); // B, which never lost Redis, could not know
    proxy.restore();

    await stream.waitEnd(10_000);
    expect(JSON.stringify(stream.events)).toContain('UNAUTHENTICATED');
    expect(codeOf(await c.gql(b, '{ commands { name } }', {}, user))).toBe('UNAUTHENTICATED');
  }, 60_000);
});
