// Times on the logs page: a line's time in its gutter, and the range inputs (local time) to ISO.

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `01:02:03.123` for a time today (local), `Dec 7 01:02:03.123` for another day. */
export function formatLineTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  if (d.toDateString() === now.toDateString()) return clock;
  const day = d.toLocaleDateString('en', { month: 'short', day: 'numeric' });
  return d.getFullYear() === now.getFullYear()
    ? `${day} ${clock}`
    : `${d.getFullYear()} ${day} ${clock}`;
}

/** An ISO time as a `datetime-local` input's value (local time, to the second). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A `datetime-local` value (local time) as ISO, or null when empty or not a date. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value); // no zone: the browser reads it as local time
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * The time gutter's width in characters, 0 when no row has a time. The oldest and newest timed rows
 * decide it (the oldest shows the most of its date), so a long view costs two short scans.
 */
export function gutterChars(rows: readonly { time: string | null }[], now = new Date()): number {
  const first = rows.find((r) => r.time)?.time;
  if (!first) return 0;
  let last = first;
  for (let i = rows.length - 1; i >= 0; i--) {
    const t = rows[i]!.time;
    if (t) {
      last = t;
      break;
    }
  }
  const width = (iso: string) => formatLineTime(iso, now).length;
  return Math.max(CLOCK_CHARS, width(first), width(last));
}
/** `01:02:03.123`: the narrowest a time is shown. */
const CLOCK_CHARS = 12;

/** `/logs/<source>/lines.txt?…`: the current source, range, filter and where as a text file. */
export function downloadHref(
  source: string,
  o: {
    filter?: string | null;
    where?: string | null;
    since?: string | null;
    until?: string | null;
  },
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v) q.set(k, v);
  const query = q.toString();
  return `/logs/${encodeURIComponent(source)}/lines.txt${query ? `?${query}` : ''}`;
}
