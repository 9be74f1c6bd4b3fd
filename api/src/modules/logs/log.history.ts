// A source's history: the current file, then its rotated files (logrotate's names), newest first.
import { promises as fsp, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { sameLogFile, type LogFileKey } from './log.cursor.js';
import { statLog, type RefusalSink } from './log.file.js';

/** Rotated files listed at most (the newest); older ones are not read. */
export const MAX_ROTATED = 100;
// a folder may hold anything: stop collecting candidates here (sorting needs them all at once)
const MAX_CANDIDATES = 1000;

export interface HistoryFile extends LogFileKey {
  /** The file's name in its folder (`app.log.2.gz`). */
  name: string;
  path: string;
  compressed: boolean;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
  born: number;
}

interface Candidate extends HistoryFile {
  /** Rotation number (`.1` = 1), or null for a dateext name. */
  n: number | null;
  /** Digits of a dateext name, padded so that string order is time order. */
  date: string | null;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `app.log.3`, `app.log.3.gz`, `app.log-20261206`, `app.log-2026-12-06-1765000000.gz`… */
function nameRule(base: string): RegExp {
  // dateext with the default `-%Y%m%d` and the dateformat variations made of digits, `-` and `_`
  return new RegExp(
    `^${escape(base)}(?:\\.(\\d{1,4})|-(\\d{4}[-_]?\\d{2}[-_]?\\d{2}(?:[-_]?\\d{1,12})?))(\\.gz)?$`,
  );
}

/**
 * The current file (if it is there) and its rotated siblings in its own folder, newest first:
 * numbered ones by number, dated ones by date, ties by mtime. Regular files only (lstat: a
 * symlink is never listed), at most MAX_ROTATED rotated files. `path` is canonical (log.file.ts).
 * `onRefused` hears of a folder that now leads elsewhere (nothing is listed then).
 */
export async function listHistory(path: string, onRefused?: RefusalSink): Promise<HistoryFile[]> {
  const dir = dirname(path);
  const base = basename(path);
  // the same rule as statLog: a folder that became a symlink is not read
  const real = await fsp.realpath(dir).catch(() => null);
  if (real !== dir) {
    if (real !== null) onRefused?.(path, join(real, base));
    return [];
  }
  const out: HistoryFile[] = [];
  const current = await statLog(path);
  if (current) out.push(describe(path, base, current));
  const rule = nameRule(base);
  const found: Candidate[] = [];
  const entries = await fsp.opendir(dir).catch(() => null);
  if (entries === null) return out;
  for await (const entry of entries) {
    const m = rule.exec(entry.name);
    if (!m || !entry.isFile()) continue; // Dirent types come from lstat: a symlink is not a file
    const full = join(dir, entry.name);
    const st = await fsp.lstat(full).catch(() => null);
    if (!st?.isFile()) continue;
    const date = m[2] ? m[2].replace(/[-_]/g, '').padEnd(20, '0') : null;
    found.push({ ...describe(full, entry.name, st), n: m[1] ? Number(m[1]) : null, date });
    if (found.length >= MAX_CANDIDATES) break;
  }
  return [...out, ...sortRotated(found).slice(0, MAX_ROTATED)];
}

function describe(path: string, name: string, st: Stats): HistoryFile {
  return {
    name,
    path,
    compressed: name.endsWith('.gz'),
    size: st.size,
    mtimeMs: st.mtimeMs,
    dev: st.dev,
    ino: st.ino,
    born: Math.round(st.birthtimeMs * 1000), // µs, as openLog: cursors compare them
  };
}

/** Newest first. Numbered and dated names mixed (the config changed): the group with the newer file first. */
function sortRotated(files: Candidate[]): Candidate[] {
  const byTime = (a: Candidate, b: Candidate): number => b.mtimeMs - a.mtimeMs;
  const numbered = files.filter((f) => f.n !== null).sort((a, b) => a.n! - b.n! || byTime(a, b));
  const dated = files
    .filter((f) => f.date !== null)
    .sort((a, b) => (a.date! < b.date! ? 1 : a.date! > b.date! ? -1 : byTime(a, b)));
  const newest = (g: Candidate[]): number => Math.max(0, ...g.map((f) => f.mtimeMs));
  return newest(numbered) >= newest(dated) ? [...numbered, ...dated] : [...dated, ...numbered];
}

/** Where `key` (a cursor's file) stands in `files`, or -1. */
export function indexOfFile(files: HistoryFile[], key: LogFileKey): number {
  return files.findIndex((f) => sameLogFile(f, key));
}

/**
 * Rotated files that came between `older` and `newer` (two files a follower has open) and are
 * still uncompressed, oldest first: by birth time where the filesystem keeps one, else by their
 * places in the listing (when `older` is still listed). A follower that reacted too late to two
 * rotations reads these so that none is skipped.
 */
export function filesBetween(
  files: HistoryFile[],
  older: LogFileKey,
  newer: LogFileKey,
  skip: (f: HistoryFile) => boolean,
): HistoryFile[] {
  const plain = files.filter((f) => !f.compressed && !skip(f));
  if (older.born && newer.born) {
    return plain
      .filter((f) => f.born > older.born! && f.born < newer.born!)
      .sort((a, b) => a.born - b.born);
  }
  const from = indexOfFile(files, older);
  const to = indexOfFile(files, newer);
  if (from < 0 || to < 0) return [];
  return files
    .slice(to + 1, from)
    .filter((f) => plain.includes(f))
    .reverse();
}
