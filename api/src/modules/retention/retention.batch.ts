// What every rule shares: the batch size, the yield between batches, and the tally of a rule's work.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { OutputStore } from '../commands/output.store.js';

/** rows per transaction: each holds the write lock briefly, so requests get in between batches */
export const RETENTION_BATCH = 500;
/** files removed at once within a batch: enough to hide the syscalls' latency, few enough to share the pool */
export const FILE_CONCURRENCY = 8;

export interface Removed {
  /** rows (runs, files, events) or outputs removed */
  count: number;
  /** bytes freed on disk or in the bucket */
  bytes: number;
  batches: number;
}

export const nothing = (): Removed => ({ count: 0, bytes: 0, batches: 0 });

/** Lets waiting requests run: a sweep never holds the event loop for more than one batch. */
export const yieldToRequests = (): Promise<void> => new Promise((r) => setImmediate(r));

/** how long a folder's absence is believed: long enough to spare a stat per run, short enough that a new folder is soon seen */
const ABSENT_FOR_MS = 1000;
const absentSince = new WeakMap<object, Map<string, number>>();

/** Each sweep starts by looking again: what was absent in an earlier sweep may exist now. */
export const forgetFolders = (store: object): boolean => absentSince.delete(store);

/**
 * Removes the runs' output files (OutputStore.remove), skipping fan-out folders that do not exist
 * (runs from before output files): a sweep of many such runs costs a stat per folder, not per run.
 */
export async function removeOutputs(
  store: Pick<OutputStore, 'dir' | 'pathOf' | 'remove'>,
  ids: readonly string[],
): Promise<number> {
  let absent = absentSince.get(store);
  if (!absent) absentSince.set(store, (absent = new Map()));
  const known = absent;
  const missing = async (dir: string) => {
    const since = known.get(dir);
    if (since !== undefined && Date.now() - since < ABSENT_FOR_MS) return true;
    const isDir = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (isDir) known.delete(dir);
    else known.set(dir, Date.now());
    return !isDir;
  };
  if (await missing(store.dir)) return 0;
  return eachLimited(ids, async (id) =>
    (await missing(path.dirname(store.pathOf(id)))) ? 0 : store.remove(id),
  );
}

/** Runs `work` on every item, FILE_CONCURRENCY at a time; the sum of what each returned. */
export async function eachLimited<T>(items: readonly T[], work: (item: T) => Promise<number>) {
  let next = 0;
  let sum = 0;
  const worker = async () => {
    while (next < items.length) {
      const n = await work(items[next++]!); // awaited first: `sum += await` would add to a stale sum
      sum += n;
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILE_CONCURRENCY, items.length) }, worker));
  return sum;
}
