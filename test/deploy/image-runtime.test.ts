import { spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlAt } from '../../api/src/test/harness.js';
import { ensureWebBuilt } from '../e2e/browser.js';
import { ROOT, run, runAsync } from './tools.js';

// No Docker engine here, so this builds what the image's runtime stage holds — API compiled by
// `tsc`, UI built by Vite, only the API's production dependencies, the shipped agent.yaml — into a
// folder laid out like /app, and runs the Dockerfile's own CMD and HEALTHCHECK against it.

const dockerfile = readFileSync(path.join(ROOT, 'infra/Dockerfile'), 'utf8');
// the last stage, one instruction per line (continuations joined)
const runtimeStage = dockerfile
  .slice(dockerfile.lastIndexOf('\nFROM '))
  .replace(/\\\n\s*/g, ' ')
  .split('\n');
const instruction = (name: string) =>
  runtimeStage.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());
const CMD = JSON.parse(instruction('CMD').at(-1)!) as string[];
const HEALTHCHECK = JSON.parse(
  /\bCMD (\[.*\])$/.exec(instruction('HEALTHCHECK').at(-1)!)![1]!,
) as string[];
const ENV: Record<string, string> = Object.fromEntries(
  instruction('ENV').flatMap((l) =>
    l.split(/\s+/).map((kv) => kv.split('=', 2) as [string, string]),
  ),
);

let app: string;

/** Every file below `dir` except data/ and logs/, with size and mtime: what the app may not touch. */
function snapshot(dir: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (r === 'data' || r === 'logs' || r === 'node_modules') continue;
    if (e.isDirectory()) for (const [k, v] of snapshot(dir, r)) out.set(k, v);
    else {
      const st = statSync(path.join(dir, r));
      out.set(r, `${st.size}:${st.mtimeMs}`);
    }
  }
  return out;
}

beforeAll(async () => {
  app = mkdtempSync(path.join(tmpdir(), 'tiny-agent-image-'));
  // `npm run build` into the image's layout, and the production tree, side by side. The API's
  // types are checked by `npm run check` (tsconfig.check.json covers api/src): its emit alone, 4x
  // faster, is byte for byte the same. The UI is the one `vite build` the browser tests share.
  const [api, , tree] = await Promise.all([
    runAsync(process.execPath, [
      path.join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'api/tsconfig.json',
      '--noCheck',
      '--outDir',
      path.join(app, 'api/dist'),
    ]),
    ensureWebBuilt(),
    // `npm ci --omit=dev --workspace=api`: exactly the packages npm counts as the API's production tree
    runAsync('npm', ['ls', '--omit=dev', '--workspace=api', '--all', '--parseable']),
  ]);
  expect(api.code, api.out).toBe(0);
  cpSync(path.join(ROOT, 'web/dist'), path.join(app, 'web/dist'), { recursive: true });
  for (const f of ['package.json', 'api/package.json', 'agent.yaml'])
    copyFileSync(path.join(ROOT, f), path.join(app, f));
  mkdirSync(path.join(app, 'data'));
  mkdirSync(path.join(app, 'logs'));
  const top = new Set(
    tree.out
      .split('\n')
      .map((p) => path.relative(path.join(ROOT, 'node_modules'), p.trim()))
      .filter(
        (p) =>
          p && !p.startsWith('..') && !p.includes('node_modules') && !p.startsWith('@tiny-agent'),
      ),
  );
  expect(top.has('graphql-yoga')).toBe(true);
  expect(top.has('vite')).toBe(false);
  for (const name of top) {
    mkdirSync(path.dirname(path.join(app, 'node_modules', name)), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', name), path.join(app, 'node_modules', name));
  }
}, 120_000);

afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

describe('the runtime image, laid out without Docker', () => {
  it('starts with the Dockerfile CMD, passes its HEALTHCHECK, serves UI and API, writes only data/ and logs/, stops cleanly', async () => {
    expect(CMD).toEqual(['node', '--no-memory-reducer', 'api/dist/main.js']);
    // the image runs the server exactly as `npm start` does (scripts/start.mjs builds if needed, then runs it)
    const start = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts
      .start as string;
    expect(start).toBe(`exec node scripts/start.mjs ${CMD.join(' ')}`);
    expect(instruction('USER')).toEqual(['node']);
    expect(JSON.parse(instruction('ENTRYPOINT')[0]!)).toEqual(['/usr/bin/tini', '-s', '--']);
    const before = snapshot(app);
    const env: Record<string, string> = {
      PATH: process.env.PATH!,
      HOME: app,
      ...ENV,
      // the image's values, moved into the temporary folder and onto a free loopback port
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: path.join(app, 'data'),
      LOGS_DIR: path.join(app, 'logs'),
      AGENT_CONFIG: path.join(app, 'agent.yaml'),
      ADMIN_PASSWORD: 'admin-password-1',
      // resolve every package from this folder's node_modules, never from the repository's
      NODE_PRESERVE_SYMLINKS: '1',
    };
    expect(env.NODE_ENV).toBe('production');
    const child = spawn(CMD[0] === 'node' ? process.execPath : CMD[0]!, CMD.slice(1), {
      cwd: app,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 20_000;
      let url: string | undefined;
      while (!(url = /listening \{"url":"([^"]+)"/.exec(out)?.[1])) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`the built app did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const port = new URL(url).port;

      const health = run(process.execPath, HEALTHCHECK.slice(1), {
        env: { PATH: process.env.PATH, PORT: port },
      });
      expect(health.code, health.out).toBe(0);

      const index = await fetch(`${url}/`);
      const html = await index.text();
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset, html).toBeDefined();
      const js = await fetch(`${url}${asset}`);
      expect(js.status).toBe(200);
      expect(js.headers.get('cache-control')).toContain('immutable');
      expect((await fetch(`${url}/ready`)).status).toBe(200);

      const login = await gqlAt(
        url,
        `mutation { login(username: "admin", password: "admin-password-1") { token } }`,
      );
      expect(login.errors).toBeUndefined();
      const token = login.data.login.token;
      const started = await gqlAt(
        url,
        `mutation { runCommand(name: "greet", args: [{ name: "name", value: "image" }]) { id } }`,
        {},
        { token },
      );
      expect(started.errors).toBeUndefined();
      const id = started.data.runCommand.id;
      let status: any;
      for (let i = 0; i < 100; i++) {
        status = (
          await gqlAt(
            url,
            `query($id: ID!) { commandRun(id: $id) { status output { data } } }`,
            { id },
            { token },
          )
        ).data.commandRun;
        if (status.status !== 'RUNNING') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toEqual({ status: 'SUCCEEDED', output: [{ data: 'Hello, image!\n' }] });

      // the README's `docker compose exec app node api/dist/ops/backup.js data/backups/…`: the
      // image has no npm, and data/ is where it may write
      const backup = await runAsync(
        process.execPath,
        ['api/dist/ops/backup.js', 'data/backups/b1'],
        {
          cwd: app,
          env,
        },
      );
      expect(backup.code, backup.out).toBe(0);
      expect(backup.out).toMatch(
        /backup written to .*data\/backups\/b1: sqlite database \(1 users, 1 runs/,
      );
    } finally {
      child.kill('SIGTERM');
    }
    const t0 = Date.now();
    expect(await exited, out).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    // a read-only root filesystem would have refused any other write
    expect(snapshot(app)).toEqual(before);
    expect(readdirSync(path.join(app, 'data'))).toContain('app.db');
    expect(readdirSync(path.join(app, 'logs'))).toContain('system.log');
  }, 60_000);
});
