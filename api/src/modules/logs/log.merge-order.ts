// The order of a merged backfill: several sources' histories in one list, by the lines' own times.
import type { LogEvent } from './log.event.js';
import { parseLineTime } from './log.time.js';

/** A line's time in ms since the epoch, or null when it carries none. */
export type TimeOf = (text: string) => number | null;

/**
 * Merges per-source histories (each oldest first) into one list, stable within each source.
 * Each head is ranked by its own time, or, when it has none, by the time of the last line taken
 * from its source (so an untimed line stays after its predecessor); a source that has shown no
 * time yet ranks first. Ties go to the earlier source, so without any times this is source order.
 */
export function mergeHistories<T>(
  lists: T[][],
  eventOf: (item: T) => LogEvent,
  // one `now` per merge: year-less (syslog) times then agree across every source
  timeOf: TimeOf = (
    (context) => (text: string) =>
      parseLineTime(text, context)
  )({
    now: Date.now(),
  }),
): T[] {
  const at = lists.map(() => 0);
  const lastTime = lists.map(() => -Infinity);
  // each head's rank, parsed once: a head is looked at once per line taken from any source
  const timeAt = (i: number): number | null => {
    const item = lists[i]![at[i]!];
    if (item === undefined) return null;
    const event = eventOf(item);
    return event.kind === 'LINE' ? timeOf(event.text) : null;
  };
  const headTime = lists.map((_, i) => timeAt(i));
  const out: T[] = [];
  const total = lists.reduce((n, l) => n + l.length, 0);
  while (out.length < total) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i < lists.length; i++) {
      if (at[i]! >= lists[i]!.length) continue;
      const rank = headTime[i] ?? lastTime[i]!;
      if (best < 0 || rank < bestRank) [best, bestRank] = [i, rank];
    }
    lastTime[best] = Math.max(lastTime[best]!, bestRank);
    out.push(lists[best]![at[best]!++]!);
    headTime[best] = timeAt(best);
  }
  return out;
}
