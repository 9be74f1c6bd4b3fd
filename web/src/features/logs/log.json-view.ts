// JSON lines as columns: which field names the loaded lines have, a row's time text, and the
// `name=value` condition a click on a value adds to the where box. Pure.
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

const TIME_KEYS = ['time', 'ts', 'timestamp', '@timestamp'];

/** The line's time as HH:MM:SS.mmm (UTC) when it is epoch s/ms or an ISO string, else as written. */
export function timeText(json: Record<string, unknown> | null): string {
  const key = json && TIME_KEYS.find((k) => json[k] !== undefined && json[k] !== null);
  if (!json || !key) return '';
  const v = json[key];
  const ms = typeof v === 'number' ? (v < 1e11 ? v * 1000 : v) : Date.parse(String(v));
  if (!Number.isFinite(ms)) return String(v).slice(0, 32);
  return new Date(ms).toISOString().slice(11, 23);
}

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

/** Column widths in characters, shared by the header and the rows so they line up. */
export const COLUMN_CH = { level: 6, time: 13, message: 48, field: 18 } as const;
