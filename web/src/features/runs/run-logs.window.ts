// A watched log's panel beside a run: its lines, bounded, and the link to the Logs page.

/** Lines kept per panel: the newest, as a tail would. */
export const PANEL_LINES = 1000;

export interface PanelLine {
  cursor: string;
  text: string;
}

/** `lines` with `more` appended, keeping the newest PANEL_LINES; a cursor already shown is skipped (a resumed stream). */
export function appendLines(lines: PanelLine[], more: PanelLine[], max = PANEL_LINES): PanelLine[] {
  const last = lines.at(-1)?.cursor;
  const start = last === undefined ? 0 : more.findIndex((l) => l.cursor === last) + 1;
  const next = lines.concat(more.slice(start));
  return next.length > max ? next.slice(next.length - max) : next;
}

/** The Logs page at the run's time window (live from its start while it runs). */
export function logsHref(source: string, since: string, until: string | null): string {
  const q = new URLSearchParams({ source, since });
  if (until) q.set('until', until);
  return `/logs?${q.toString()}`;
}
