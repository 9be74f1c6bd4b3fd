// Test helpers for the logs module (real files, real processes; no mocks). Not used at run time.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'logs-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A separate process appending `count` numbered lines ("line <n> <padding>") to `path`, opening the
 * file by name for every line (as a logger that reopens would), pausing `pauseMs` every `burst` lines.
 * It never creates the file (create it first): while logrotate has renamed the file and not yet
 * created the new one, it waits. A writer that re-created the file in that window raced logrotate's
 * `create`, which moves such a file to `<name>-<YYYYMMDDHH>.backup`; two races in one hour clobber
 * the first backup, and its lines were lost to every follower (seen: 7 lines in a CI-like run).
 */
export function startWriter(
  path: string,
  count: number,
  burst = 20,
  pauseMs = 5,
): { child: ChildProcess; done: Promise<void> } {
  const script = `
    const fs = require('node:fs');
    const [path, count, burst, pause] = process.argv.slice(1);
    let n = 1;
    const pad = 'x'.repeat(40);
    const nap = new Int32Array(new SharedArrayBuffer(4));
    function append(text) {
      for (;;) {
        let fd;
        try {
          fd = fs.openSync(path, fs.constants.O_WRONLY | fs.constants.O_APPEND); // no O_CREAT
        } catch (e) {
          if (e.code !== 'ENOENT') throw e;
          Atomics.wait(nap, 0, 0, 1); // renamed away, not yet created again: wait for logrotate
          continue;
        }
        try { fs.writeSync(fd, text); } finally { fs.closeSync(fd); }
        return;
      }
    }
    function tick() {
      for (let i = 0; i < Number(burst) && n <= Number(count); i++, n++) append('line ' + n + ' ' + pad + '\\n');
      if (n <= Number(count)) setTimeout(tick, Number(pause)); 
    }
    tick();`;
  const child = spawn(
    process.execPath,
    ['-e', script, path, String(count), String(burst), String(pauseMs)],
    { stdio: 'inherit' },
  );
  const done = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`writer exited with ${code}`)),
    );
  });
  return { child, done };
}

/** Line numbers from "line <n> …" texts, with how often each was seen. */
export function tally(texts: string[]): Map<number, number> {
  const seen = new Map<number, number>();
  for (const t of texts) {
    const n = Number(/^line (\d+) /.exec(t)?.[1]);
    if (Number.isFinite(n)) seen.set(n, (seen.get(n) ?? 0) + 1);
  }
  return seen;
}

/**
 * Line numbers logrotate moved out from under the name. A writer that creates the file (a test's
 * own appendFileSync; not startWriter) can re-create it between logrotate's rename and logrotate's
 * create; logrotate then renames that file to `<name>…backup` ("destination … already exists,
 * renaming to …") and creates its own. Nothing that follows the name (`tail -F` neither) sees what
 * went into that file.
 */
export function movedAside(dir: string, name: string): Set<number> {
  const moved = new Set<number>();
  for (const f of readdirSync(dir)) {
    if (!f.startsWith(name) || !f.endsWith('.backup')) continue;
    for (const n of tally(readFileSync(join(dir, f), 'utf8').split('\n')).keys()) moved.add(n);
  }
  return moved;
}

/** Debian's logrotate (apt-get install -y logrotate), if installed. */
export const LOGROTATE = ['/usr/sbin/logrotate', '/sbin/logrotate'].find((p) => existsSync(p));

/**
 * `logrotate -f` with `config`, asynchronously (a synchronous exec would freeze this process's
 * event loop, and a follower in it). One failure is the writer's doing, not a failed rotation: a
 * writer that creates the file (appendFileSync) can re-create it right after
 * logrotate's rename, and logrotate's `create` then ends in "File exists" (exit code 1) with the
 * rotation itself done. Anything else fails the test.
 */
export async function runLogrotate(config: string, stateFile: string): Promise<void> {
  if (!LOGROTATE) throw new Error('logrotate is not installed: apt-get install -y logrotate');
  await new Promise<void>((resolve, reject) =>
    execFile(LOGROTATE, ['-f', '-s', stateFile, config], (err, _stdout, stderr) => {
      const lines = stderr.trim().split('\n');
      const raced =
        lines.some((l) => /^error: error creating output file .*: File exists$/.test(l)) &&
        lines.every((l) =>
          /^error: (error creating output file .*: File exists|destination .* already exists, renaming to .*\.backup)$/.test(
            l,
          ),
        );
      if (!err || raced) resolve();
      else reject(new Error(`logrotate failed: ${stderr || err.message}`));
    }),
  );
}
