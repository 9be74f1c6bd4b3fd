import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const MAIN = path.resolve(import.meta.dirname, '../main.ts');
// tsx as a loader in this very process (its CLI would add a parent that a SIGKILL leaves orphaned)
const TSX_LOADER = pathToFileURL(
  path.resolve(import.meta.dirname, '../../../node_modules/tsx/dist/esm/index.mjs'),
).href;

export interface Spawned {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The real entry point in its own process (for signals, crashes and start-up failures). */
export async function spawnServer(
  env: Record<string, string>,
  cwd: string,
  startTimeoutMs = 20_000,
): Promise<Spawned> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    cwd,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    const m = /listening \{"url":"([^"]+)"/.exec(out);
    if (m) return { child, url: m[1]!, output: () => out, exited };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL'); // a slow one must not outlive the failed start
      throw new Error(`server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
