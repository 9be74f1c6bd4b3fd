// Runs one program in its own process group (no shell, stdin closed) and exposes its output as
// an async iterable. Stopping it kills the whole group: TERM first, KILL after a grace period.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { OutputQueue, type OutputChunk, type OutputStreamName } from './command.output.js';

export type { OutputChunk, OutputStreamName } from './command.output.js';

export type ProcessStatus = 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';

export interface ProcessResult {
  status: ProcessStatus;
  exitCode: number | null;
  signal: string | null;
  /** Why the program could not start, in words for the user. */
  error?: string;
}

export interface StartProcessOptions {
  argv: readonly string[];
  cwd?: string;
  /** The child's whole environment; build it with childEnv(). */
  env: Record<string, string>;
  timeoutMs: number;
  killGraceMs?: number;
}

export interface ProcessHandle {
  /** null when the program could not be started. */
  pid: number | null;
  /**
   * Output in order, iterable once; ends after both pipes closed. Consume it: once ~1 MiB waits
   * unread the child's pipes are paused and it blocks on write.
   */
  chunks: AsyncIterable<OutputChunk>;
  /** Settles (never rejects) after the program exited and its pipes closed. */
  done: Promise<ProcessResult>;
  /** Stop the run (status CANCELLED); a no-op once the program has exited. */
  cancel(): void;
}

// setTimeout fires at once for anything longer, so longer timeouts are capped (~24.8 days).
const MAX_TIMER_MS = 2 ** 31 - 1;
const FALLBACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The only environment a child gets: PATH, LANG and HOME from `base`, then `extra`. */
export function childEnv(
  extra: Record<string, string> = {},
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = { PATH: base.PATH ?? FALLBACK_PATH };
  if (base.LANG !== undefined) env.LANG = base.LANG;
  if (base.HOME !== undefined) env.HOME = base.HOME;
  return { ...env, ...extra };
}

export function startProcess(opts: StartProcessOptions): ProcessHandle {
  const { argv, cwd, env, timeoutMs, killGraceMs = 5000 } = opts;
  let child: ChildProcess;
  try {
    child = spawn(argv[0], argv.slice(1), {
      cwd,
      env,
      detached: true,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const queue = new OutputQueue({ onPressure() {} });
    queue.end();
    const done = Promise.resolve(failure(argv, cwd, err as NodeJS.ErrnoException));
    return { pid: null, chunks: queue, done, cancel() {} };
  }
  const stdout = child.stdout as Readable; // both exist: stdio is 'pipe'
  const stderr = child.stderr as Readable;
  const queue = new OutputQueue({
    onPressure: (paused) => [stdout, stderr].forEach((s) => (paused ? s.pause() : s.resume())),
  });
  let open = 2;
  const pipe = (name: OutputStreamName, stream: Readable) => {
    const decoder = new StringDecoder('utf8'); // keeps a character split across reads whole
    stream.on('data', (buf: Buffer) => queue.push(name, decoder.write(buf), buf.length));
    stream.on('close', () => {
      queue.push(name, decoder.end(), 0);
      if (--open === 0) queue.end();
    });
  };
  pipe('stdout', stdout);
  pipe('stderr', stderr);

  const pid = child.pid ?? null;
  let stopReason: 'CANCELLED' | 'TIMED_OUT' | undefined;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let startError: NodeJS.ErrnoException | undefined;

  const terminateGroup = () => {
    signalGroup(pid, 'SIGTERM');
    setTimeout(() => signalGroup(pid, 'SIGKILL'), killGraceMs);
  };
  const stop = (reason: 'CANCELLED' | 'TIMED_OUT') => {
    if (exit || stopReason || pid === null) return;
    stopReason = reason;
    terminateGroup();
  };
  // Still armed after the leader exits: a process that left the group but holds our pipes
  // must not keep the run open past its timeout.
  const timer = setTimeout(
    () => {
      if (!exit) return stop('TIMED_OUT');
      stdout.destroy();
      stderr.destroy();
    },
    Math.min(timeoutMs, MAX_TIMER_MS),
  );

  const done = new Promise<ProcessResult>((resolve) => {
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (pid !== null) return; // later errors (a failed kill) change nothing
      startError = err;
      clearTimeout(timer);
      queue.end();
      resolve(failure(argv, cwd, err));
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Background children outlive their leader; the run ends with the whole group.
      if (!stopReason && groupExists(pid)) terminateGroup();
    });
    child.on('close', () => {
      clearTimeout(timer);
      queue.end();
      if (pid === null) return resolve(failure(argv, cwd, startError));
      const { code = null, signal = null } = exit ?? {};
      const status = stopReason ?? (code === 0 ? 'SUCCEEDED' : 'FAILED');
      resolve({ status, exitCode: code, signal });
    });
  });
  return { pid, chunks: queue, done, cancel: () => stop('CANCELLED') };
}

function signalGroup(pid: number | null, signal: NodeJS.Signals) {
  if (pid === null) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

function groupExists(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function failure(
  argv: readonly string[],
  cwd: string | undefined,
  err: NodeJS.ErrnoException | undefined,
): ProcessResult {
  const program = argv[0] ?? '(none)';
  const why =
    err?.code === 'ENOENT' && cwd !== undefined && !existsSync(cwd)
      ? `working directory ${cwd} does not exist`
      : err?.code === 'ENOENT'
        ? 'program not found'
        : err?.code === 'EACCES'
          ? 'permission denied (is it executable?)'
          : (err?.message ?? 'unknown error');
  return {
    status: 'FAILED',
    exitCode: null,
    signal: null,
    error: `Cannot start "${program}": ${why}.`,
  };
}
