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

/** `/logs/<source>/lines.txt?…`: the current source, range and filter as a text file. */
export function downloadHref(
  source: string,
  o: { filter?: string | null; since?: string | null; until?: string | null },
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v) q.set(k, v);
  const query = q.toString();
  return `/logs/${encodeURIComponent(source)}/lines.txt${query ? `?${query}` : ''}`;
}
