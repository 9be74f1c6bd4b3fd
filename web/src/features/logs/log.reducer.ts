// Folds the logTail stream into rows for the view. Pure. Tracks the last cursor (the resume
// point), turns ROTATED/TRUNCATED/DROPPED into notices, and drops an exact repeat of the last
// event (urql echoes the last payload when a stream ends). A DROPPED notice opens a gap that the
// page fills with logLines(before: the next event's cursor, last: droppedCount).
import { formatLogText, type LogLevel } from './log.format';

export type LogKind = 'LINE' | 'ROTATED' | 'TRUNCATED' | 'DROPPED';

export interface LogEvent {
  cursor: string;
  kind: LogKind;
  text: string;
  truncated: boolean;
  droppedCount?: number | null;
}

/** Lines the server skipped for this view, and where to fetch them from once known. */
export interface LogGap {
  noticeId: number;
  count: number;
  /** the cursor of the event after the DROPPED one: logLines(before) */
  before: string | null;
}

export interface LogRow {
  id: number;
  kind: LogKind;
  cursor: string;
  /** what the row shows: the formatted line, or the notice */
  display: string;
  level: LogLevel;
  truncated: boolean;
  /** the raw line as the server sent it */
  raw: string;
  json: Record<string, unknown> | null;
}

export interface LogState {
  rows: readonly LogRow[];
  lastCursor: string | null;
  last: LogEvent | null;
  nextId: number;
  /** rows removed from the front to stay under the cap */
  trimmed: number;
  gaps: readonly LogGap[];
}

export type LogAction =
  | { type: 'events'; events: readonly LogEvent[] }
  /** the skipped lines of a gap, fetched again; null when fetching failed */
  | { type: 'fill'; noticeId: number; lines: readonly LogEvent[] | null }
  | { type: 'reset' };

export const MAX_ROWS = 200_000;

export const INITIAL_LOG: LogState = Object.freeze({ rows: [], lastCursor: null, last: null, nextId: 0, trimmed: 0, gaps: [] });

/** The most lines logLines returns at once. */
export const MAX_FILL = 5000;

const NOTICES: Record<Exclude<LogKind, 'LINE'>, string> = {
  ROTATED: 'The log was rotated; now following the new file from its start.',
  TRUNCATED: 'The log file was truncated; reading again from its start.',
  DROPPED: 'Some lines were skipped because this view fell behind.',
};

function sameEvent(a: LogEvent | null, b: LogEvent): boolean {
  return a !== null && a.cursor === b.cursor && a.kind === b.kind && a.text === b.text;
}

export function toRow(event: LogEvent, id: number): LogRow {
  if (event.kind === 'LINE') {
    const f = formatLogText(event.text);
    return { id, kind: 'LINE', cursor: event.cursor, display: f.display, level: f.level, truncated: event.truncated, raw: event.text, json: f.json };
  }
  const count = event.kind === 'DROPPED' && event.droppedCount ? ` (${event.droppedCount.toLocaleString('en')} lines)` : '';
  const extra = count || (event.text.trim() ? ` (${event.text.trim()})` : '');
  return { id, kind: event.kind, cursor: event.cursor, display: NOTICES[event.kind] + extra, level: null, truncated: false, raw: event.text, json: null };
}

export function logReducer(state: LogState, action: LogAction, maxRows = MAX_ROWS): LogState {
  if (action.type === 'reset') return INITIAL_LOG;
  if (action.type === 'fill') return fillGap(state, action.noticeId, action.lines);
  let last = state.last;
  let nextId = state.nextId;
  let gaps = state.gaps;
  const added: LogRow[] = [];
  for (const event of action.events) {
    if (sameEvent(last, event)) continue;
    // the first event after a DROPPED one tells where the skipped lines end
    if (gaps.some((g) => g.before === null)) gaps = gaps.map((g) => (g.before === null ? { ...g, before: event.cursor } : g));
    const row = toRow(event, nextId++);
    if (event.kind === 'DROPPED' && event.droppedCount) gaps = [...gaps, { noticeId: row.id, count: event.droppedCount, before: null }];
    added.push(row);
    last = event;
  }
  if (added.length === 0) return state;
  return trim({ ...state, rows: state.rows.concat(added), lastCursor: last?.cursor ?? state.lastCursor, last, nextId, gaps }, maxRows);
}

function trim(state: LogState, maxRows: number): LogState {
  if (state.rows.length <= maxRows) return state;
  const extra = state.rows.length - maxRows;
  return { ...state, rows: state.rows.slice(extra), trimmed: state.trimmed + extra };
}

/** Puts fetched lines right after their DROPPED notice; the gap is closed either way. */
function fillGap(state: LogState, noticeId: number, lines: readonly LogEvent[] | null): LogState {
  const gaps = state.gaps.filter((g) => g.noticeId !== noticeId);
  const at = state.rows.findIndex((r) => r.id === noticeId);
  if (at < 0 || !lines) return { ...state, gaps };
  let nextId = state.nextId;
  const fetched = lines.filter((l) => l.kind === 'LINE').map((l) => toRow(l, nextId++));
  const notice = state.rows[at];
  const note = { ...notice, display: `${notice.display} ${fetched.length.toLocaleString('en')} of them were fetched again and are shown below.` };
  const rows = [...state.rows.slice(0, at), note, ...fetched, ...state.rows.slice(at + 1)];
  return trim({ ...state, rows, nextId, gaps }, MAX_ROWS);
}

/** Where a (re)subscription starts: after the last cursor, or a fresh backfill. */
export function tailVariables(state: LogState, source: string, backfill: number, filter: string) {
  const f = filter.trim() || null;
  return state.lastCursor ? { source, after: state.lastCursor, backfill: 0, filter: f } : { source, backfill, after: null, filter: f };
}
