// Which shown lines "Explain" sends: the last LINE rows, within the server's bounds
// (explainLogLines: at most 200 lines and 16 KiB).
import type { LogRow } from './log.reducer';

export const EXPLAIN_MAX_LINES = 200;
export const EXPLAIN_MAX_BYTES = 16 * 1024;

const bytes = (s: string) => new TextEncoder().encode(s).length;

/** The raw text of the last lines shown that fit, oldest first. */
export function linesToExplain(rows: readonly LogRow[]): string[] {
  const picked: string[] = [];
  let size = 0;
  for (let i = rows.length - 1; i >= 0 && picked.length < EXPLAIN_MAX_LINES; i--) {
    const row = rows[i]!;
    if (row.kind !== 'LINE') continue;
    // each line after the first costs its newline too
    const cost = bytes(row.raw) + (picked.length ? 1 : 0);
    if (size + cost > EXPLAIN_MAX_BYTES) break;
    size += cost;
    picked.push(row.raw);
  }
  return picked.reverse();
}
