// JSON lines as columns: which field names the loaded lines have, and the `name=value` condition
// a click on a value adds to the where box. Pure. The time column is the server's LogLine.time.
import type { LogField, LogRow } from './log.reducer';

/** Most field names offered in the column chooser, and rows looked at for them (the newest). */
export const MAX_FIELD_NAMES = 200;
const SCAN_ROWS = 2000;

export function fieldNames(rows: readonly LogRow[]): string[] {
  const names = new Set<string>();
  for (let i = rows.length - 1; i >= Math.max(0, rows.length - SCAN_ROWS); i--) {
    for (const f of rows[i]!.entry?.fields ?? []) {
      names.add(f.name);
      if (names.size >= MAX_FIELD_NAMES) break;
    }
  }
  return [...names].sort();
}

export const fieldValue = (fields: readonly LogField[], name: string): string | undefined =>
  fields.find((f) => f.name === name)?.value;

/** `name=value`, quoted when the value has spaces or quotes, for the where box. */
export function condition(name: string, value: string): string {
  const bare = value !== '' && !/[\s"]/.test(value);
  return `${name}=${bare ? value : `"${value.replace(/["\\]/g, '\\$&')}"`}`;
}

/** The where text with `cond` added (once). */
export function addCondition(where: string, cond: string): string {
  const w = where.trim();
  if (w.split(/\s+/).includes(cond)) return w;
  return w ? `${w} ${cond}` : cond;
}

/**
 * Column widths in characters, shared by the header and the rows so they line up. The time column
 * is as wide as the view's time gutter (`--time-ch`, set by LogView from the rows' times).
 */
export const COLUMN_CH = { level: 6, message: 48, field: 18 } as const;
