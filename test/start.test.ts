import { spawn, type ChildProcess } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, ROOT, run } from './deploy/tools.js';

// `npm start` and `npm run dev` as a service manager runs them: signals go to the PID it started.

type Started = { child: ChildProcess; out: () => string; exited: Promise<void> };
const started: Started[] = [];
const temps: string[] = [];

afterEach(() => {
  // whatever a failed test left behind: the whole process group we started
  for (const s of started.splice(0)) {
    try {
      process.kill(-s.child.pid!, 'SIGKILL');
    } catch {} // the group is empty: all stopped
  }
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function npm(script: string[], env: Record<string, string>): Started {
  const data = mkdtempSync(path.join(tmpdir(), 'tiny-agent-start-'));
  temps.push(data);
  const child = spawn('npm', script, {
    cwd: ROOT,
    // its own process group, so the cleanup above reaches every descendant
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      DATA_DIR: path.join(data, 'data'),
      LOGS_DIR: path.join(data, 'logs'),
      ADMIN_PASSWORD: 'admin-password-1',
      ...env,
    },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // as read, without colour codes: Vite colours its URLs when CI is set (picocolors), even into a pipe
  const s = { child, out: () => out.replace(/\x1b\[[0-9;]*m/g, ''), exited };
  started.push(s);
  return s;
}

async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  s: Started,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${s.out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const accepts = (port: number, host = '127.0.0.1') =>
  new Promise<boolean>((resolve) => {
    const sock = connect(port, host);
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('error', () => resolve(false));
  });

/** Live (non-zombie) processes descending from `ancestor` whose argv (after the program) `is`. */
function descendants(ancestor: number, is: (args: string[]) => boolean): number[] {
  const parent = new Map<number, number>();
  const alive = new Map<number, string[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      parent.set(Number(d), Number(ppid));
      alive.set(Number(d), readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').slice(1, -1));
    } catch {}
  }
  const under = (pid: number): boolean =>
    pid === ancestor || (parent.has(pid) && pid > 1 && under(parent.get(pid)!));
  return [...alive].filter(([pid, args]) => is(args) && under(pid)).map(([pid]) => pid);
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const isServer = (args: string[]) => same(args, ['--no-memory-reducer', 'api/dist/main.js']);

const isAlive = (pid: number) => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

async function startServer() {
  const s = npm(['start'], { PORT: '0' });
  const url = await until(
    'npm start listening',
    () => /listening \{"url":"([^"]+)"/.exec(s.out())?.[1],
    s,
  );
  expect((await fetch(`${url}/health`)).status).toBe(200);
  const [server, ...more] = descendants(s.child.pid!, isServer);
  expect(server, s.out()).toBeDefined();
  expect(more).toEqual([]);
  return { s, port: Number(new URL(url).port), server: server! };
}

describe('npm start', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops the server when its PID gets ${signal}: the port closes and no api/dist/main.js is left`, async () => {
      const { s, port, server } = await startServer();
      process.kill(s.child.pid!, signal);
      await until(
        'npm exits',
        () => s.child.exitCode !== null || s.child.signalCode !== null,
        s,
        20_000,
      );
      await until(
        `port ${port} closed after ${signal}`,
        async () => !(await accepts(port)),
        s,
        15_000,
      );
      await until(`server pid ${server} gone after ${signal}`, () => !isAlive(server), s, 15_000);
      await until(
        'the server stops gracefully',
        () => s.out().includes('INFO  stopped'),
        s,
        15_000,
      );
    }, 180_000);
  }

  it('builds only when the build is missing or older than its sources, and says so', async () => {
    // the tests above left a current build: this start must not build again
    const { s } = await startServer();
    expect(s.out()).not.toContain('building');
    process.kill(s.child.pid!, 'SIGTERM');
    await s.exited;

    // the freshness rule on a copy of the layout
    const root = mkdtempSync(path.join(tmpdir(), 'tiny-agent-fresh-'));
    temps.push(root);
    const write = (f: string, secondsAgo: number) => {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), '');
      const t = new Date(Date.now() - secondsAgo * 1000);
      utimesSync(path.join(root, f), t, t);
      utimesSync(path.dirname(path.join(root, f)), t, t);
    };
    const stale = () => {
      const r = run(process.execPath, [
        '--input-type=module',
        '-e',
        `import { staleParts } from ${JSON.stringify(path.join(ROOT, 'scripts/build.freshness.mjs'))}; console.log(JSON.stringify(staleParts(${JSON.stringify(root)}).map((p) => [p.workspace, p.reason])))`,
      ]);
      expect(r.code, r.out).toBe(0);
      return JSON.parse(r.stdout) as [string, string][];
    };
    expect(stale()).toEqual([
      ['api', 'not built yet'],
      ['web', 'not built yet'],
    ]);
    for (const f of ['api/src/main.ts', 'web/src/main.ts', 'package-lock.json']) write(f, 100);
    for (const f of ['api/dist/main.js', 'api/dist/app.js', 'web/dist/index.html']) write(f, 50);
    expect(stale()).toEqual([]);
    write('api/src/app.test.ts', 10); // tests are not built
    expect(stale()).toEqual([]);
    write('web/src/page.svelte', 10);
    expect(stale()).toEqual([['web', 'sources changed']]);
    write('web/dist/index.html', 5);
    write('api/dist/app.js', 200); // a build stopped halfway left an old file behind
    expect(stale()).toEqual([['api', 'sources changed']]);
  }, 180_000);
});

describe('npm run dev', () => {
  it('proxies the UI to the API on a non-default PORT, and SIGTERM to its PID stops the API and Vite', async () => {
    const port = await freePort();
    const s = npm(['run', 'dev'], { PORT: String(port) });
    await until(
      'API listening',
      () => s.out().includes(`listening {"url":"http://127.0.0.1:${port}"`),
      s,
    );
    const vite = await until(
      'Vite ready',
      () => /Local:\s+(http:\/\/\S+?)\/?\s/.exec(s.out())?.[1],
      s,
    );
    const res = await fetch(`${vite}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(res.status, s.out()).toBe(200);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });

    // the API (tsx's child running api/src/main.ts) and Vite's server
    const children = descendants(
      s.child.pid!,
      (args) =>
        args.at(-1) === 'api/src/main.ts' || /\/vite(\/bin\/vite\.js)?$/.test(args.at(-1) ?? ''),
    );
    expect(children.length, s.out()).toBeGreaterThanOrEqual(2);
    process.kill(s.child.pid!, 'SIGTERM');
    await until(
      'npm exits',
      () => s.child.exitCode !== null || s.child.signalCode !== null,
      s,
      20_000,
    );
    await until(`API port ${port} closed`, async () => !(await accepts(port)), s, 15_000);
    await until('API and Vite gone', () => children.every((pid) => !isAlive(pid)), s, 15_000);
  }, 180_000);
});
