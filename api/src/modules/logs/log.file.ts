// Opening a configured log path safely: never through a symlink, only regular files, and only
// the file the path led to when agent.yaml was loaded (its folders were canonicalised then).
import { constants, lstatSync, promises as fsp, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface FileId {
  dev: number;
  ino: number;
}

export interface OpenLog extends FileId {
  fh: FileHandle;
  size: number;
  /** Birth time in µs (statx), 0 where the filesystem has none. */
  born: number;
  /** The file's name in its folder when opened (lines say which file they came from). */
  name: string;
}

// O_NOFOLLOW: a symlink planted at the final component fails with ELOOP instead of being followed.
// O_NONBLOCK: a FIFO planted there must not block the open; it is then refused as not a regular file.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES', 'EPERM', 'ENXIO']);

/** Told when `path` was opened but led elsewhere (`reached`): a folder on the way became a symlink. */
export type RefusalSink = (path: string, reached: string) => void;

/**
 * Opens `path` (canonical: no symlink among its folders) for reading if it is a regular file
 * reached without following any symlink; else null, as if missing. `onRefused` hears of a path
 * that now leads to another file.
 */
export async function openLog(path: string, onRefused?: RefusalSink): Promise<OpenLog | null> {
  let fh: FileHandle;
  try {
    fh = await fsp.open(path, OPEN_FLAGS);
  } catch (err) {
    if (isAbsent(err)) return null;
    throw err;
  }
  try {
    const st = await fh.stat();
    const reached = st.isFile() ? await reachedPath(fh, path, st) : null;
    if (reached !== path) {
      await fh.close();
      if (reached !== null) onRefused?.(path, reached);
      return null;
    }
    return {
      fh,
      dev: st.dev,
      ino: st.ino,
      size: st.size,
      born: Math.round(st.birthtimeMs * 1000),
      name: basename(path),
    };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/**
 * Where the opened file really is. procfs names it exactly, after the open (no race); without
 * procfs the folders are resolved again and the name must still lead to the opened file. Null
 * when the file was deleted meanwhile (absent, not refused).
 */
async function reachedPath(fh: FileHandle, path: string, st: Stats): Promise<string | null> {
  const link = await fsp.readlink(`/proc/self/fd/${fh.fd}`).catch(() => null);
  if (link !== null) return link === path || !link.endsWith(' (deleted)') ? link : null;
  const dir = await fsp.realpath(dirname(path)).catch(() => null);
  const reached = dir === null ? null : join(dir, basename(path));
  const now = reached === null ? null : await fsp.lstat(reached).catch(() => null);
  return now !== null && sameFile(now, st) ? reached : null;
}

/** The regular file at `path` (a canonical path, as openLog takes) if it is there and reached without a symlink. */
export async function statLog(path: string): Promise<Stats | null> {
  const dir = await fsp.realpath(dirname(path)).catch(() => null);
  if (dir !== dirname(path)) return null;
  const st = await fsp.lstat(path).catch(() => null);
  return st?.isFile() ? st : null;
}

/**
 * Identity of the regular file `path` names now (lstat: a symlink counts as absent). Synchronous:
 * an lstat of cached metadata costs microseconds, and a threadpool round trip wakes two threads
 * on a small host just as a line is on its way to the subscribers (a worse p99, measured).
 */
export function idAtNow(path: string): FileId | null {
  try {
    const st = lstatSync(path);
    return st.isFile() ? { dev: st.dev, ino: st.ino } : null;
  } catch (err) {
    if (isAbsent(err)) return null;
    throw err;
  }
}

export function sameFile(a: FileId | null, b: FileId | null): boolean {
  return a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;
}

/**
 * Offset just after the last newline before `end`, scanning back at most `maxScan` bytes.
 * 0 when the scan reaches the file start; null when no newline lies within `maxScan`.
 */
export async function lineStartBefore(
  fh: FileHandle,
  end: number,
  maxScan: number,
): Promise<number | null> {
  const block = Buffer.allocUnsafe(Math.min(65536, Math.max(1, end)));
  let pos = end;
  while (pos > 0 && end - pos < maxScan) {
    const from = Math.max(0, pos - block.length);
    const { bytesRead } = await fh.read(block, 0, pos - from, from);
    const nl = block.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (nl !== -1) return from + nl + 1;
    pos = from;
  }
  return pos === 0 ? 0 : null;
}

function isAbsent(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && ABSENT.has((err as NodeJS.ErrnoException).code ?? '')
  );
}
