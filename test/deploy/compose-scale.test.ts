// Issue 20: the compose profile `scale` (PostgreSQL, Redis, N app instances behind nginx). No
// Docker engine here: the compose file is checked as compose renders it, and its own commands,
// health checks and environment are run with the real programs (redis-server, PostgreSQL with
// password authentication as the image sets it up, three app processes, nginx).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlAt } from '../../api/src/test/harness.js';
import { spawnServer, type Spawned } from '../../api/src/test/spawn.js';
import { renderStandalone } from '../../infra/nginx/render.js';
import { startPostgres, until, type Postgres } from '../scale/cluster.js';
import {
  composeConfig,
  fakeWebRoot,
  freePort,
  inProfile,
  prefetchComposeConfigs,
  requireTool,
  ROOT,
  run,
  startNginx,
  type RunningNginx,
} from './tools.js';

const PASSWORDS = {
  POSTGRES_PASSWORD: 'pg-Secret-0123456789',
  REDIS_PASSWORD: 'redisSecret0123456789',
};
// what docs/deployment.md tells the operator to add to .env (besides the two passwords)
const DOTENV = {
  DATABASE_URL: 'postgres://tiny_agent@postgres:5432/tiny_agent',
  REDIS_URL: `redis://:${PASSWORDS.REDIS_PASSWORD}@redis:6379`,
};
const scaled = () => composeConfig('docker-compose.yml', ['scale'], PASSWORDS).services;

beforeAll(() =>
  prefetchComposeConfigs([
    ['docker-compose.yml'],
    ['docker-compose.yml', ['scale']],
    ['docker-compose.yml', ['scale'], PASSWORDS],
  ]),
);

describe('the compose profile `scale`', () => {
  it('adds PostgreSQL and Redis only; a plain `up` starts what it did (app and nginx)', () => {
    const cfg = composeConfig('docker-compose.yml', ['scale']);
    expect(inProfile(cfg)).toEqual(['app', 'nginx']);
    expect(inProfile(cfg, 'scale')).toEqual(['postgres', 'redis']);
    const plain = composeConfig('docker-compose.yml');
    expect(inProfile(plain)).toEqual(['app', 'nginx']);
    // without the passwords nothing is configured for PostgreSQL: the app stays on SQLite
    expect(plain.services.app.environment.PGPASSWORD).toBe('');
    expect(plain.services.app.environment.DATABASE_URL).toBeUndefined();
  });

  it('the app scales (no container_name, no host port) and nginx reaches it as app:5000', () => {
    const { app, nginx } = scaled();
    expect(app.container_name).toBeUndefined();
    expect(app.ports).toBeUndefined();
    expect(app.expose).toEqual(['5000']);
    expect(app.environment).toMatchObject({
      HOST: '0.0.0.0',
      PORT: '5000',
      TRUST_PROXY: 'true',
      PGPASSWORD: PASSWORDS.POSTGRES_PASSWORD,
    });
    expect(nginx.environment.NGINX_UPSTREAM).toBe('app:5000');
    expect(nginx.depends_on.app.condition).toBe('service_healthy');
  });

  it('PostgreSQL and Redis: health checks, data volumes, no published ports, passwords from .env', () => {
    const cfg = composeConfig('docker-compose.yml', ['scale'], PASSWORDS);
    const { postgres, redis, app } = cfg.services;
    for (const s of [postgres, redis]) {
      expect(s.ports).toBeUndefined();
      expect(s.restart).toBe('unless-stopped');
      expect(Object.keys(s.networks)).toEqual(Object.keys(app.networks));
      expect(s.healthcheck.test[0]).toMatch(/^CMD/);
      expect(s.deploy.resources.limits.memory).toBeDefined();
    }
    expect(postgres.image).toMatch(/^postgres:15/);
    expect(redis.image).toMatch(/^redis:7/);
    expect(postgres.environment).toEqual({
      POSTGRES_USER: 'tiny_agent',
      POSTGRES_DB: 'tiny_agent',
      POSTGRES_PASSWORD: PASSWORDS.POSTGRES_PASSWORD,
    });
    expect(redis.environment).toEqual({ REDIS_PASSWORD: PASSWORDS.REDIS_PASSWORD });
    expect(postgres.volumes).toEqual(['postgres_data:/var/lib/postgresql/data:rw']);
    expect(redis.volumes).toEqual(['redis_data:/data:rw']);
    expect(Object.keys(cfg.volumes)).toEqual(
      expect.arrayContaining(['postgres_data', 'redis_data']),
    );
    // the .env URLs name the services and the user compose creates
    expect(new URL(DOTENV.DATABASE_URL).hostname).toBe('postgres');
    expect(new URL(DOTENV.DATABASE_URL).username).toBe(postgres.environment.POSTGRES_USER);
    expect(new URL(DOTENV.DATABASE_URL).pathname).toBe(`/${postgres.environment.POSTGRES_DB}`);
    expect(new URL(DOTENV.REDIS_URL).hostname).toBe('redis');
  });

  it('nginx: one `server app:5000` line, expanded per replica at start; this nginx has no `resolve`, so a restart picks up a new scale', () => {
    requireTool('nginx', ['-v'], 'nginx');
    const upstream = scaled().nginx.environment.NGINX_UPSTREAM as string;
    const envsh = path.join(ROOT, 'infra/nginx/docker-entrypoint.d/16-tiny-agent-upstreams.envsh');
    const r = run('sh', ['-c', `. "${envsh}"; printf %s "$NGINX_UPSTREAM_SERVERS"`], {
      env: { PATH: process.env.PATH, NGINX_UPSTREAM: upstream },
    });
    expect(r.stdout.trim()).toBe('server app:5000 max_fails=3 fail_timeout=10s;');
    const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-nginx-t-'));
    try {
      const conf = renderStandalone(dir, {
        upstream: '127.0.0.1:5000', // `app` resolves only inside compose's network
        webRoot: dir,
        uploadMaxBytes: 104_857_600,
        httpListen: '127.0.0.1:1',
        httpsListen: '127.0.0.1:2',
        tlsCert: '/etc/nginx/certs/none.crt',
        tlsKey: '/etc/nginx/certs/none.key',
        httpRedirect: false,
      });
      const site = path.join(dir, 'conf.d/tiny-agent.conf');
      const text = readFileSync(site, 'utf8');
      writeFileSync(site, text.replace('fail_timeout=10s;', 'fail_timeout=10s resolve;'));
      const t = run('nginx', ['-t', '-p', dir, '-c', conf, '-e', path.join(dir, 'error.log')]);
      expect(t.code).not.toBe(0);
      expect(t.out).toMatch(/invalid parameter "resolve"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the profile run with the real programs: PostgreSQL, Redis, three app instances, nginx', () => {
  let pg: Postgres;
  let pgPort: number;
  let redis: { child: ReturnType<typeof spawn>; port: number; out: () => string };
  let work: string;
  let nginx: RunningNginx;
  const apps: Spawned[] = [];
  const services = () => scaled();

  /** the compose service's own shell script, with its paths and port moved onto loopback here */
  function redisCommand(env: Record<string, string>, port: number) {
    const script = (services().redis.entrypoint as string[])[2]!
      .replaceAll('$$', '$')
      .replace('dir /data', `dir ${path.join(work, 'redis')}`)
      .replace('redis-server -', `redis-server - --port ${port} --bind 127.0.0.1`);
    // its own process group: the script pipes its config into redis-server, which a kill of `sh`
    // alone would leave running after the tests (one leaked per CI run)
    const child = spawn('sh', ['-c', script], {
      env: { PATH: process.env.PATH, ...env },
      detached: true,
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    return { child, port, out: () => out };
  }
  const redisHealth = (password: string) =>
    run(
      'sh',
      [
        '-c',
        services()
          .redis.healthcheck.test[1].replaceAll('$$', '$')
          .replace('redis-cli', `redis-cli -p ${redis.port}`),
      ],
      {
        env: { PATH: process.env.PATH, REDIS_PASSWORD: password },
      },
    );

  beforeAll(async () => {
    requireTool('redis-server', ['--version'], 'redis-server');
    work = mkdtempSync(path.join(tmpdir(), 'tiny-agent-scale-'));
    mkdirSync(path.join(work, 'redis'));
    mkdirSync(path.join(work, 'data'));
    writeFileSync(
      path.join(work, 'agent.yaml'),
      'commands:\n  - { name: ok, title: ok, argv: ["true"] }\nlogs: []\n',
    );
    const [p] = await Promise.all([startPostgres(), freePort()]);
    pg = p;
    pgPort = Number(new URL(pg.url).port);
    // what the postgres image does with POSTGRES_USER/_DB/_PASSWORD, and password auth as it sets up
    const sql = (q: string) => {
      const r = run('psql', ['-v', 'ON_ERROR_STOP=1', '-qAt', pg.url, '-c', q]);
      if (r.code !== 0) throw new Error(r.out);
      return r.stdout.trim();
    };
    const pgEnv = services().postgres.environment;
    sql(`CREATE ROLE ${pgEnv.POSTGRES_USER} LOGIN PASSWORD '${pgEnv.POSTGRES_PASSWORD}'`);
    sql(`CREATE DATABASE ${pgEnv.POSTGRES_DB} OWNER ${pgEnv.POSTGRES_USER}`);
    const hba = sql('SHOW hba_file');
    sql(
      `COPY (SELECT 'host all postgres 127.0.0.1/32 trust' UNION ALL SELECT 'host all all 127.0.0.1/32 scram-sha-256') TO '${hba}'`,
    );
    sql('SELECT pg_reload_conf()');
    redis = redisCommand(services().redis.environment, await freePort());
    const deadline = Date.now() + 10_000;
    while (!/Ready to accept connections/.test(redis.out())) {
      if (redis.child.exitCode !== null || Date.now() > deadline) throw new Error(redis.out());
      await new Promise((r) => setTimeout(r, 20));
    }
  }, 60_000);

  afterAll(async () => {
    for (const a of apps) a.child.kill('SIGTERM');
    await Promise.all(apps.map((a) => a.exited));
    await nginx?.stop();
    if (redis?.child.pid) process.kill(-redis.child.pid, 'SIGKILL');
    await pg?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** an instance with the app service's environment and the .env lines, on loopback here */
  const instanceEnv = (port: number, over: Record<string, string> = {}) => ({
    ...services().app.environment,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: path.join(work, 'data'),
    LOGS_DIR: path.join(work, `logs-${port}`),
    AGENT_CONFIG: path.join(work, 'agent.yaml'),
    ADMIN_PASSWORD: 'admin-password-1',
    DATABASE_URL: DOTENV.DATABASE_URL.replace('postgres:5432', `127.0.0.1:${pgPort}`),
    REDIS_URL: DOTENV.REDIS_URL.replace('redis:6379', `127.0.0.1:${redis.port}`),
    ...over,
  });

  it('Redis and PostgreSQL pass their compose health checks; each refuses a wrong password', () => {
    expect(redisHealth(PASSWORDS.REDIS_PASSWORD).code).toBe(0);
    expect(redisHealth('wrong').code).not.toBe(0);
    const [cmd, ...args] = (services().postgres.healthcheck.test as string[]).slice(1);
    const ready = run(cmd!, [...args, '-p', String(pgPort)]);
    expect(ready.code, ready.out).toBe(0);
    const bad = run('psql', [
      '-qAt',
      `postgres://tiny_agent:wrong@127.0.0.1:${pgPort}/tiny_agent`,
      '-c',
      'SELECT 1',
    ]);
    expect(bad.out).toMatch(/password authentication failed/);
  });

  it('Redis refuses to start without REDIS_PASSWORD, saying so', async () => {
    const r = redisCommand({ REDIS_PASSWORD: '' }, await freePort());
    // 'close', not 'exit': its stderr is read to the end by then
    const code = await new Promise((res) => r.child.once('close', res));
    expect(code).toBe(1);
    expect(r.out()).toContain('REDIS_PASSWORD is not set in .env');
  });

  it('three instances on the shared PostgreSQL (password from POSTGRES_PASSWORD) and Redis serve one session behind nginx', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    // the first one alone creates the schema and the admin; the other two join it together
    apps.push(await spawnServer(instanceEnv(ports[0]!), work));
    apps.push(...(await Promise.all(ports.slice(1).map((p) => spawnServer(instanceEnv(p), work)))));
    const webRoot = path.join(work, 'web');
    fakeWebRoot(webRoot);
    nginx = await startNginx({
      upstream: ports.map((p) => `127.0.0.1:${p}`).join(' '), // what `app:5000` resolves to
      webRoot,
      uploadMaxBytes: 104_857_600,
    });
    const login = await gqlAt(
      nginx.httpUrl,
      `mutation { login(username: "admin", password: "admin-password-1") { token } }`,
    );
    expect(login.errors).toBeUndefined();
    const token = login.data.login.token as string;
    // the session is in the shared database: every instance knows it
    for (const a of apps) {
      const me = await gqlAt(a.url, `{ me { username } }`, {}, { token });
      expect(me.data?.me, a.url).toEqual({ username: 'admin' });
    }
    // a sign-out reaches the other instances (Redis with its password, or the database)
    const out = await gqlAt(apps[0]!.url, `mutation { logout }`, {}, { token });
    expect(out.errors).toBeUndefined();
    for (const a of apps.slice(1))
      await until(
        async () => (await gqlAt(a.url, `{ me { username } }`, {}, { token })).data?.me == null,
        `the sign-out to reach ${a.url}`,
      );
    for (const a of apps) expect(a.output()).not.toContain(PASSWORDS.REDIS_PASSWORD);
  }, 60_000);

  it('an instance with a wrong POSTGRES_PASSWORD does not start, and says why', async () => {
    const env = instanceEnv(await freePort(), { PGPASSWORD: 'wrong' });
    const err = await spawnServer(env, work).then(
      (s) => (s.child.kill('SIGKILL'), null),
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/password authentication failed/);
  });
});
