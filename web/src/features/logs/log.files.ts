// Where each log file begins in the view: rows whose file differs from the line above them.
import type { LogRow } from './log.reducer';

/** Row id → the name of the file that begins at that row (notices are skipped over). */
export function fileStarts(rows: readonly LogRow[]): Map<number, string> {
  const starts = new Map<number, string>();
  let previous: string | null = null;
  for (const row of rows) {
    if (row.kind !== 'LINE' || row.file === null) continue;
    if (previous !== null && row.file !== previous) starts.set(row.id, row.file);
    previous = row.file;
  }
  return starts;
}
