import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../test/harness.js';
import { RedisTransport } from './redis-transport.js';
import { waitUntil } from '../test/wait.js';

// A real redis-server (Debian's `redis-server` package) on a free loopback port.
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error(
      'redis-server is not installed: `apt-get install -y redis-server` (Debian) — the scale-out tests need a real Redis.',
    );
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 10_000;
  while (!/Ready to accept connections/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`redis-server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

describe('RedisTransport', () => {
  it('delivers to other instances once, to its own listeners synchronously, and keeps prefixes apart', async () => {
    const a = new RedisTransport(redis.url);
    const b = new RedisTransport(redis.url);
    const other = new RedisTransport(redis.url, { prefix: 'someone-else:' });
    await Promise.all([a.subscribed, b.subscribed, other.subscribed]);
    const onA: string[] = [];
    const onB: string[] = [];
    const onOther: string[] = [];
    a.subscribe('runOutput:1', (m) => onA.push(m));
    b.subscribe('runOutput:1', (m) => onB.push(m));
    other.subscribe('runOutput:1', (m) => onOther.push(m));
    const offB2 = b.subscribe('runOutput:2', (m) => onB.push(`2:${m}`));

    a.publish('runOutput:1', '{"n":1}');
    expect(onA).toEqual(['{"n":1}']); // synchronous, like the in-process event target
    a.publish('runOutput:1', '{"n":2}');
    offB2();
    a.publish('runOutput:2', '{"gone":true}');
    await waitUntil(() => onB.length >= 2, { timeoutMs: 5_000, what: 'two events on B' });
    await new Promise((r) => setTimeout(r, 200)); // room for a duplicate or a stray to show up
    expect(onB).toEqual(['{"n":1}', '{"n":2}']); // in order; the unsubscribed channel is not delivered
    expect(onA).toEqual(['{"n":1}', '{"n":2}']); // its own copy from Redis is not delivered twice
    expect(onOther).toEqual([]);
    await Promise.all([a.close(), b.close(), other.close()]);
  });

  it('keeps delivering locally while Redis is unreachable, and closes promptly', async () => {
    const dead = new RedisTransport(`redis://127.0.0.1:${await freePort()}`);
    const got: string[] = [];
    dead.subscribe('authRevoked', (m) => got.push(m));
    dead.publish('authRevoked', '{"userId":"u1"}');
    expect(got).toEqual(['{"userId":"u1"}']);
    const t0 = Date.now();
    await dead.close();
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});

// Two app instances on one database (SQLite in a shared folder; PostgreSQL in production).
const AGENT = `
commands:
  - name: two-lines
    title: Two lines a second apart
    argv: ["sh", "-c", "echo one; sleep 1; echo two"]
    roles: [admin, user]
  - name: forever
    title: Runs until cancelled
    argv: ["sleep", "300"]
logs: []
`;
const RUN = `mutation { runCommand(name: "two-lines") { id } }`;
const OUTPUT = `subscription($id: ID!) { commandOutput(runId: $id) { seq data } }`;
const UPDATES = `subscription { commandRunUpdated { id status } }`;

async function twoInstances(env: Record<string, string>) {
  const shared = mkdtempSync(path.join(tmpdir(), 'tiny-agent-shared-'));
  const a = await startServer({ DATA_DIR: shared, ...env }, { agentYaml: AGENT });
  const b = await startServer({ DATA_DIR: shared, ...env }, { agentYaml: AGENT });
  return {
    a,
    b,
    async stop() {
      await Promise.all([a.stop(), b.stop()]);
      rmSync(shared, { recursive: true, force: true });
    },
  };
}

describe('two instances with REDIS_URL', () => {
  let a: TestServer;
  let b: TestServer;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ a, b, stop } = await twoInstances({ REDIS_URL: redis.url }));
  });
  afterAll(() => stop?.());

  it('a run on A streams its live output and status to subscribers on B', async () => {
    const admin = await a.login();
    const updates = b.subscribeWs(UPDATES, {}, { token: admin.token });
    await b.listening('runUpdated', 1); // the subscription is open on B (Redis is subscribed from the start)
    const id = (await a.gql(RUN, {}, admin)).data.runCommand.id;
    // once A has written "one" to the run's file (its flush, every 50 ms), B replays it from there,
    // in the shared data folder: output younger than that lives only in A's memory (docs/deployment.md)
    await waitUntil(
      async () =>
        (await a.app.services.outputStore.read(id, 0, { maxChunks: 1, maxBytes: 1024 })).chunks
          .length > 0,
      { timeoutMs: 10_000, what: '"one" in the output file' },
    );
    const output = b.subscribeSse(OUTPUT, { id }, { token: admin.token });
    const end = await output.waitEnd(10_000);
    expect(end.error).toBeUndefined();
    // "two" is printed a second after the subscription opened: it can only come live from A
    expect(output.events.map((e) => e.data.commandOutput.data).join('')).toBe('one\ntwo\n');
    expect(output.events.map((e) => e.data.commandOutput.seq)).toEqual([1, 2]);
    await updates.waitFor(2, 5_000);
    expect(updates.events.map((e) => e.data.commandRunUpdated)).toEqual([
      { id, status: 'RUNNING' },
      { id, status: 'SUCCEEDED' },
    ]);
    updates.stop();
  });

  it('a run started on A is cancelled through B', async () => {
    const admin = await a.login();
    const id = (await a.gql(`mutation { runCommand(name: "forever") { id } }`, {}, admin)).data
      .runCommand.id;
    const cancelled = await b.gql(
      `mutation($id: ID!) { cancelCommandRun(id: $id) { status } }`,
      { id },
      admin,
    );
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data.cancelCommandRun.status).toBe('CANCELLED');
  });

  it('signing out on A ends the same session’s subscription on B', async () => {
    const admin = await a.login();
    await b.listening('runUpdated', 0); // the first test's stream is gone
    const onB = b.subscribeWs(UPDATES, {}, { token: admin.token });
    await b.listening('runUpdated', 1);
    expect(onB.ended).toBeNull();
    const out = await a.gql(`mutation { logout }`, {}, admin);
    expect(out.data.logout).toBe(true);
    await onB.waitEnd(5_000);
    expect(onB.events.at(-1).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('two instances without REDIS_URL (control)', () => {
  let a: TestServer;
  let b: TestServer;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ a, b, stop } = await twoInstances({}));
  });
  afterAll(() => stop?.());

  it('events stay on the instance that published them', async () => {
    const admin = await a.login();
    const onB = b.subscribeWs(UPDATES, {}, { token: admin.token });
    const onA = a.subscribeWs(UPDATES, {}, { token: admin.token });
    await Promise.all([a.listening('runUpdated', 1), b.listening('runUpdated', 1)]);
    await a.gql(RUN, {}, admin);
    await onA.waitFor(2, 5_000);
    expect(onB.events).toEqual([]);
    onA.stop();
    onB.stop();
  });
});
