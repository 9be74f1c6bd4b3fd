import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';

export const ROOT = path.resolve(import.meta.dirname, '..');
/** The server as `npm start` runs it: the compiled build (`run.ts` builds it first). */
export const APP = path.join(ROOT, 'api/dist/main.js');
/** The node flags `npm start` gives the server, read from the script itself so the two can't drift. */
const START = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts
  .start as string;
const APP_FLAGS = /\bnode ((?:--\S+ )*)api\/dist\/main\.js/
  .exec(START)![1]!
  .split(' ')
  .filter(Boolean);

export interface Proc {
  child: ChildProcess;
  url: string;
  startMs: number;
  stop(): Promise<void>;
}

/** A server in its own process, so the load generator and the server don't share a core. */
export async function startProc(script: string, env: Record<string, string> = {}): Promise<Proc> {
  const t = performance.now();
  // --import keeps the server in this very process (tsx's CLI would add a parent): pid = server
  // BENCH_SERVER_ARGS: extra node flags for the servers measured, e.g. --cpu-prof
  const extra = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const flags = script === APP ? APP_FLAGS : [];
  const args = [
    ...flags,
    ...extra,
    ...(script.endsWith('.ts') ? ['--import', 'tsx', script] : [script]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  for (;;) {
    const m = /listening \{"url":"([^"]+)"/.exec(out);
    if (m) {
      const startMs = performance.now() - t;
      return {
        child,
        url: m[1]!,
        startMs,
        stop: () =>
          new Promise((resolve) => {
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    if (child.exitCode !== null) throw new Error(`${script} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Load {
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(
  url: string,
  opts: { body: string; headers?: Record<string, string>; seconds?: number; connections?: number },
): Promise<Load> {
  const r = await autocannon({
    url,
    method: 'POST',
    connections: opts.connections ?? 32,
    duration: opts.seconds ?? 8,
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: opts.body,
  });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The p-quantile of ascending numbers (0.5: the median; for an odd count, the middle one). */
export const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))]!;
