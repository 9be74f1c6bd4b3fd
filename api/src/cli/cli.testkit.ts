import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { waitUntil } from '../test/wait.js';

const ENTRY = path.resolve(import.meta.dirname, 'tiny-agent.ts');
const NODE_MODULES = path.resolve(import.meta.dirname, '../../../node_modules');
// the source bundled once per test file (esbuild, as tsx would transform it): each CLI process
// then starts in plain node, which matters on a loaded machine where tsx's start costs seconds
const BUNDLE = path.join(NODE_MODULES, '.cache', 'tiny-agent-cli-test', `cli-${process.pid}.mjs`);
let bundled: Promise<unknown> | null = null;

/** Bundles the CLI's source (dependencies stay imports, resolved from node_modules). */
export function buildCli(): Promise<unknown> {
  process.once('exit', () => rmSync(BUNDLE, { force: true }));
  bundled ??= build({
    entryPoints: [ENTRY],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
  return bundled;
}

export interface CliProcess {
  child: ChildProcess;
  stdout: () => Buffer;
  stderr: () => string;
  exited: Promise<number | null>;
  /** waits until stdout holds `text` */
  waitOut: (text: string, timeoutMs?: number) => Promise<void>;
}

/** The CLI (bundled by buildCli first) as its own process, with only the environment given (and PATH). */
export function cli(args: string[], env: Record<string, string>, stdin?: string): CliProcess {
  const child = spawn(process.execPath, [BUNDLE, ...args], {
    env: { PATH: process.env.PATH!, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let err = '';
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.on('data', (d) => (err += d));
  child.stdin!.end(stdin ?? '');
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  const stdout = () => Buffer.concat(out);
  return {
    child,
    stdout,
    stderr: () => err,
    exited,
    waitOut: (text, timeoutMs = 15_000) =>
      waitUntil(() => stdout().toString().includes(text), {
        timeoutMs,
        what: () =>
          `"${text}" on the CLI's stdout; got ${stdout().toString().slice(-300)} / ${err}`,
      }),
  };
}

/** Runs the CLI to its end: exit code, stdout, stderr. */
export async function cliDone(args: string[], env: Record<string, string>, stdin?: string) {
  await buildCli();
  const p = cli(args, env, stdin);
  const code = await p.exited;
  return { code, stdout: p.stdout().toString(), stderr: p.stderr() };
}

/**
 * A TCP relay on loopback: a stable address for a server that restarts on another port, and a way
 * to cut the connections (the network, not our code, is what it stands in for).
 */
export async function relay() {
  let target: number | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (target === null) return void client.destroy();
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).on('close', () => client.destroy());
    upstream.pipe(client).on('close', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    /** forwards to this port from now on */
    to: (url: string) => (target = Number(new URL(url).port)),
    /** ends every connection and refuses new ones until `to` */
    cut() {
      target = null;
      for (const s of sockets) s.destroy();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
