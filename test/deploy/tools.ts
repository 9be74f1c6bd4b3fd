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
