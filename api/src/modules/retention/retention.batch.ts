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

/**
 * Removes the runs' output files (OutputStore.remove), skipping the fan-out folders that do not
 * exist: runs from before output files, or a sweep of many runs without output, cost one stat per folder.
 */
export async function removeOutputs(
  store: Pick<OutputStore, 'dir' | 'pathOf' | 'remove'>,
  ids: readonly string[],
): Promise<number> {
  const folders = new Map<string, Promise<boolean>>();
  const exists = (dir: string) =>
    stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
  const root = await exists(store.dir);
  if (!root) return 0;
  return eachLimited(ids, async (id) => {
    const folder = path.dirname(store.pathOf(id));
    if (!folders.has(folder)) folders.set(folder, exists(folder));
    return (await folders.get(folder)) ? store.remove(id) : 0;
  });
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
