import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { renderStandalone, type NginxOptions } from '../../infra/nginx/render.js';
import { spawnServer, type Spawned } from '../../api/src/test/spawn.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** A missing tool fails the test with the command that installs it; nothing is skipped. */
export function requireTool(cmd: string, args: string[], debianPackage: string): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error)
    throw new Error(
      `\`${cmd}\` is not installed. Install it with: apt-get install -y ${debianPackage}`,
    );
}

export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
) {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    env: opts.env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, out: `${r.stdout}${r.stderr}` };
}

/**
 * `docker-compose config` of a compose file, parsed. Only PATH and HOME from the shell (plus `env`):
 * compose reads variables from there and from .env, so the defaults are what is checked.
 */
export function composeConfig(
  file: string,
  profiles: string[] = [],
  env: Record<string, string> = {},
): any {
  const key = composeKey(file, profiles, env);
  if (!composed.has(key)) {
    const r = run('docker-compose', composeArgs(file, profiles), { env: composeEnv(env) });
    composed.set(key, composeParsed(r, file, profiles));
  }
  return structuredClone(composed.get(key));
}

/**
 * Runs `docker-compose config` for each argument set at once, for composeConfig to answer from:
 * each is a Python start-up, seconds apiece on a loaded machine.
 */
export async function prefetchComposeConfigs(
  sets: [file: string, profiles?: string[], env?: Record<string, string>][],
): Promise<void> {
  requireTool('docker-compose', ['version'], 'docker-compose');
  await Promise.all(
    sets.map(async ([file, profiles = [], env = {}]) => {
      const out = await runAsync('docker-compose', composeArgs(file, profiles), {
        env: composeEnv(env),
      });
      composed.set(composeKey(file, profiles, env), composeParsed(out, file, profiles));
    }),
  );
}

const composed = new Map<string, unknown>();
const composeKey = (file: string, profiles: string[], env: Record<string, string>) =>
  JSON.stringify([file, profiles, env]);
const composeEnv = (env: Record<string, string>) => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...env,
});
function composeArgs(file: string, profiles: string[]): string[] {
  requireTool('docker-compose', ['version'], 'docker-compose');
  const p = profiles.flatMap((x) => ['--profile', x]);
  return ['-f', file, '--project-directory', ROOT, ...p, 'config'];
}
function composeParsed(
  r: { code: number | null; stdout: string; out: string },
  file: string,
  profiles: string[],
): unknown {
  if (r.code !== 0)
    throw new Error(`docker-compose ${composeArgs(file, profiles).join(' ')}\n${r.out}`);
  return parse(r.stdout);
}

/** Services a plain `docker compose up` starts, or those a profile adds. */
export const inProfile = (cfg: any, profile?: string): string[] =>
  Object.entries(cfg.services as Record<string, any>)
    .filter(([, s]) => (profile ? (s.profiles ?? []).includes(profile) : !s.profiles))
    .map(([name]) => name)
    .sort();

/** `run`, without blocking the event loop: independent builds can go side by side. */
export function runAsync(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; out: string }> {
  const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, out: `${stdout}${stderr}` }));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** Every file under `dir` (recursively), with its size: nginx's temp dirs must stay empty. */
export function filesUnder(dir: string): { file: string; size: number }[] {
  if (!existsSync(dir)) return [];
  const out: { file: string; size: number }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else {
      try {
        out.push({ file: p, size: statSync(p).size });
      } catch {
        // removed between listing and stat
      }
    }
  }
  return out;
}

/** A web root like `npm run build` makes: index.html and hashed assets big enough to compress. */
export function fakeWebRoot(dir: string): { js: string } {
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  const js =
    Array.from(
      { length: 400 },
      (_, i) => `export const value${i} = "tiny agent asset line ${i}";`,
    ).join('\n') + '\n';
  writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), js);
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><title>Tiny Agent</title><script type="module" src="/assets/app-abc123.js"></script><div id="app"></div>\n',
  );
  return { js };
}

export interface RunningNginx {
  dir: string;
  httpUrl: string;
  httpsUrl: string;
  httpsPort: number;
  cert: string;
  errorLog(): string;
  /** nginx's spool for request bodies */
  clientBodyTemp: string;
  /** nginx's spool for upstream responses */
  proxyTemp: string;
  stop(): Promise<void>;
}

/**
 * nginx from the repository's templates (infra/nginx/templates), rendered for loopback ports,
 * with a fresh self-signed certificate from infra/nginx/make-self-signed-cert.sh.
 */
export async function startNginx(opts: {
  upstream: string;
  webRoot: string;
  uploadMaxBytes: number;
  httpRedirect?: boolean;
  /** replaces the templates' proxy_read_timeout (300s), so a test can outlast it in seconds */
  proxyReadTimeout?: string;
}): Promise<RunningNginx> {
  requireTool('nginx', ['-v'], 'nginx');
  requireTool('openssl', ['version'], 'openssl');
  const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-nginx-'));
  const certs = path.join(dir, 'certs');
  const made = run('sh', [
    path.join(ROOT, 'infra/nginx/make-self-signed-cert.sh'),
    certs,
    'localhost',
  ]);
  if (made.code !== 0) throw new Error(`make-self-signed-cert.sh failed:\n${made.out}`);

  for (let attempt = 1; ; attempt++) {
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const o: NginxOptions = {
      upstream: opts.upstream,
      webRoot: opts.webRoot,
      uploadMaxBytes: opts.uploadMaxBytes,
      httpListen: `127.0.0.1:${httpPort}`,
      httpsListen: `127.0.0.1:${httpsPort}`,
      serverName: '_',
      httpRedirect: opts.httpRedirect ?? false,
      tlsCert: path.join(certs, 'tiny-agent.crt'),
      tlsKey: path.join(certs, 'tiny-agent.key'),
    };
    const conf = renderStandalone(dir, o);
    if (opts.proxyReadTimeout) shortenReadTimeout(path.join(dir, 'conf.d'), opts.proxyReadTimeout);
    const errorLog = path.join(dir, 'error.log');
    const child = spawn('nginx', ['-p', dir, '-c', conf, '-e', errorLog, '-g', 'daemon off;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const deadline = Date.now() + 10_000;
    while (child.exitCode === null && !((await accepts(httpPort)) && (await accepts(httpsPort)))) {
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const log = () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '');
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      // a free port taken between the check and nginx's bind: try new ones
      if (attempt < 3 && /Address already in use/.test(out + log())) continue;
      throw new Error(`nginx did not start:\n${out}\n${log()}`);
    }
    return {
      dir,
      httpUrl: `http://127.0.0.1:${httpPort}`,
      httpsUrl: `https://127.0.0.1:${httpsPort}`,
      httpsPort,
      cert: o.tlsCert,
      errorLog: log,
      clientBodyTemp: path.join(dir, 'client_body_temp'),
      proxyTemp: path.join(dir, 'proxy_temp'),
      async stop() {
        if (child.exitCode === null) {
          child.kill('SIGQUIT'); // graceful: workers finish, then exit
          const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(t);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

/** Every `proxy_read_timeout` in the rendered files set to `value`; throws if there is none. */
function shortenReadTimeout(confDir: string, value: string): void {
  let n = 0;
  for (const f of readdirSync(confDir)) {
    const file = path.join(confDir, f);
    const text = readFileSync(file, 'utf8').replace(
      /proxy_read_timeout \S+;/g,
      () => (n++, `proxy_read_timeout ${value};`),
    );
    writeFileSync(file, text);
  }
  if (n === 0) throw new Error('no proxy_read_timeout in the nginx templates to shorten');
}

/** The real entry point (`api/src/main.ts`) in its own process, without NODE_ENV=test. */
export async function spawnApp(
  agentYaml: string,
  env: Record<string, string> = {},
): Promise<Spawned & { dir: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-app-'));
  writeFileSync(path.join(dir, 'agent.yaml'), agentYaml);
  const app = await spawnServer(
    {
      DATA_DIR: path.join(dir, 'data'),
      LOGS_DIR: path.join(dir, 'logs'),
      AGENT_CONFIG: path.join(dir, 'agent.yaml'),
      ADMIN_PASSWORD: 'admin-password-1',
      ...env,
    },
    dir,
  );
  return {
    ...app,
    dir,
    async stop() {
      if (app.child.exitCode === null) {
        app.child.kill('SIGTERM');
        await app.exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
