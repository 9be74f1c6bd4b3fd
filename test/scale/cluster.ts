import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { collect, gqlAt, type Auth } from '../../api/src/test/harness.js';
import { spawnServer, type Spawned } from '../../api/src/test/spawn.js';
import { waitUntil } from '../../api/src/test/wait.js';
import { fakeWebRoot, freePort, startNginx, type RunningNginx } from '../deploy/tools.js';

/**
 * Several real instances of the app (each its own process, `api/src/main.ts`) sharing one real
 * PostgreSQL, one real Redis and one data folder, optionally behind the shipped nginx; all on
 * loopback ports. Every dependency can be stopped and started again on the same port.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort() : [];
  const bin = versions
    .map((v) => path.join(root, v, 'bin', name))
    .reverse()
    .find(existsSync);
  if (!bin)
    throw new Error(
      `PostgreSQL is not installed: apt-get install -y postgresql (needed for ${name})`,
    );
  return bin;
}

// postgres refuses to run as root: run it as the package's `postgres` user when we are root
const asPg = (cmd: string, args: string[]) =>
  process.getuid?.() === 0
    ? (['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const)
    : ([cmd, args] as const);

export interface Postgres {
  url: string;
  /** stops the server (fast shutdown: clients are disconnected) */
  stop(): Promise<void>;
  /** starts it again on the same port and data */
  start(): Promise<void>;
  /** stops it for good and removes its data */
  destroy(): Promise<void>;
}

export async function startPostgres(): Promise<Postgres> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'pgdata');
  const [initCmd, initArgs] = asPg(pgBin('initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const [cmd, args] = asPg(pgBin('postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      dir,
      '-c',
      'max_connections=200',
      '-c',
      'fsync=off',
    ]);
    child = spawn(cmd, args, { stdio: 'ignore' });
    for (let i = 0; ; i++) {
      const ready = spawnSync(pgBin('pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]);
      if (ready.status === 0) return;
      if (i > 200) throw new Error('PostgreSQL did not start');
      await sleep(50);
    }
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    // fast shutdown: sessions are disconnected, as when the server goes away (pg_ctl, since a
    // signal to `runuser` would not reach postgres)
    const [cmd, args] = asPg(pgBin('pg_ctl'), ['stop', '-D', data, '-m', 'fast']);
    execFileSync(cmd, args, { stdio: 'ignore' });
    await exited;
    child = null;
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisServer {
  url: string;
  /** kills it (SIGKILL): every connection drops */
  kill(): Promise<void>;
  /** starts it again on the same port (empty: it keeps nothing) */
  start(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).error)
    throw new Error('redis-server is not installed: apt-get install -y redis-server');
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const c = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = c;
    let out = '';
    c.stdout!.on('data', (d) => (out += d));
    c.stderr!.on('data', (d) => (out += d));
    const deadline = Date.now() + 10_000;
    while (!/Ready to accept connections/.test(out)) {
      if (c.exitCode !== null || Date.now() > deadline)
        throw new Error(`redis-server did not start:\n${out}`);
      await sleep(20);
    }
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
    child = null;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, kill, start };
}

export interface Instance {
  /** its own address (bypassing nginx) */
  url: string;
  port: number;
  spawned: Spawned;
  output(): string;
  /** SIGTERM and wait: a graceful stop */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash */
  kill(): Promise<void>;
  /** starts it again on the same port, with the same environment */
  restart(): Promise<void>;
}

export interface Cluster {
  pg: Postgres;
  redis: RedisServer;
  /** the shared data folder (uploads, secrets) */
  dataDir: string;
  instances: Instance[];
  nginx: RunningNginx | null;
  /** nginx's plain-HTTP address when nginx runs, else the first instance's */
  url: string;
  gql<T = any>(
    url: string,
    query: string,
    variables?: Record<string, unknown>,
    auth?: Auth,
  ): ReturnType<typeof gqlAt<T>>;
  login(
    url?: string,
    username?: string,
    password?: string,
  ): Promise<{ token: string; cookie: string; userId: string }>;
  /** a graphql-ws subscription against `url` (an instance or nginx), collected like the harness does */
  subscribe(
    url: string,
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ): ReturnType<typeof collect>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  instances?: number;
  agentYaml: string;
  /** extra environment for every instance */
  env?: Record<string, string>;
  /** extra environment for instance `i` (0-based), over `env` */
  envFor?: (
    i: number,
    deps: { pg: Postgres; redis: RedisServer },
  ) => Record<string, string> | Promise<Record<string, string>>;
  nginx?: boolean;
  /** start the instances one after another (default) or all at once */
  together?: boolean;
  /** how long each instance may take to listen (default 20 s; several starting at once on a busy machine need more) */
  startTimeoutMs?: number;
}

/** PostgreSQL, Redis, N instances sharing a data folder, and nginx in front when asked. */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const root = mkdtempSync(path.join(tmpdir(), 'tiny-agent-cluster-'));
  const dataDir = path.join(root, 'data');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(root, 'agent.yaml'), opts.agentYaml);
  const n = opts.instances ?? 3;
  const ports: number[] = [];
  for (let i = 0; i < n; i++) ports.push(await freePort());

  const make =
    (i: number): (() => Promise<Instance>) =>
    async () => {
      const port = ports[i]!;
      const env = {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOGS_DIR: path.join(root, `logs-${i + 1}`),
        AGENT_CONFIG: path.join(root, 'agent.yaml'),
        ADMIN_PASSWORD: 'admin-password-1',
        DATABASE_URL: pg.url,
        REDIS_URL: redis.url,
        ...opts.env,
        ...(await opts.envFor?.(i, { pg, redis })),
      };
      let spawned = await spawnServer(env, root, opts.startTimeoutMs);
      const inst: Instance = {
        url: `http://127.0.0.1:${port}`,
        port,
        get spawned() {
          return spawned;
        },
        output: () => spawned.output(),
        async stop() {
          if (spawned.child.exitCode !== null || spawned.child.signalCode) return;
          spawned.child.kill('SIGTERM');
          await spawned.exited;
        },
        async kill() {
          if (spawned.child.exitCode !== null || spawned.child.signalCode) return;
          spawned.child.kill('SIGKILL');
          await spawned.exited;
        },
        async restart() {
          await inst.stop();
          spawned = await spawnServer(env, root, opts.startTimeoutMs);
        },
      };
      return inst;
    };
  const starters = ports.map((_, i) => make(i));
  const instances: Instance[] = [];
  try {
    if (opts.together) {
      const started = await Promise.allSettled(starters.map((s) => s()));
      for (const r of started) if (r.status === 'fulfilled') instances.push(r.value);
      const failed = started.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    } else for (const s of starters) instances.push(await s());
  } catch (err) {
    // an instance that did not start: nothing of this cluster outlives the failed start
    await Promise.all(instances.map((i) => i.stop()));
    await redis.kill();
    await pg.destroy();
    rmSync(root, { recursive: true, force: true });
    throw err;
  }

  let nginx: RunningNginx | null = null;
  if (opts.nginx) {
    const webRoot = path.join(root, 'web');
    mkdirSync(webRoot);
    fakeWebRoot(webRoot);
    nginx = await startNginx({
      upstream: ports.map((p) => `127.0.0.1:${p}`).join(' '),
      webRoot,
      uploadMaxBytes: 100 * 1024 * 1024,
    });
  }

  const clients: Client[] = [];
  const gql = <T = any>(
    url: string,
    query: string,
    variables?: Record<string, unknown>,
    auth: Auth = {},
  ) => gqlAt<T>(url, query, variables, auth);
  const url = nginx?.httpUrl ?? instances[0]!.url;
  return {
    pg,
    redis,
    dataDir,
    instances,
    nginx,
    url,
    gql,
    async login(at = url, username = 'admin', password = 'admin-password-1') {
      const r = await gqlAt(
        at,
        `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token user { id } } }`,
        { u: username, p: password },
      );
      if (r.errors) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
      const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
      return {
        token: r.data.login.token as string,
        userId: r.data.login.user.id as string,
        cookie,
      };
    },
    subscribe(at, query, variables, token) {
      const client = createClient({
        url: at.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${token}` },
      });
      clients.push(client);
      return collect((sink) => client.subscribe({ query, variables }, sink));
    },
    async stop() {
      await Promise.all(clients.map((c) => c.dispose()));
      await Promise.all(instances.map((i) => i.stop()));
      await nginx?.stop();
      await redis.kill();
      await pg.destroy();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface TcpProxy {
  /** `host:port` of the proxy */
  port: number;
  /** drops every connection and refuses new ones (accepted, then closed at once) */
  cut(): void;
  /** passes connections through again */
  restore(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy to `targetPort`: cutting it cuts one instance off a dependency, alone. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    if (cut) return client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      cut = true;
      for (const s of open) s.destroy();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Waits until `pred` holds, with a message naming what was awaited. */
export const until = (pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) =>
  waitUntil(pred, { timeoutMs, what, everyMs: 25 });
