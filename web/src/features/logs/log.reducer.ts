// Folds the logTail stream into rows for the view. Pure. Tracks the last cursor (the resume
// point), turns ROTATED/TRUNCATED/DROPPED into notices, and drops an exact repeat of the last
// event (urql echoes the last payload when a stream ends).
import { formatLogText, type LogLevel } from './log.format';

export type LogKind = 'LINE' | 'ROTATED' | 'TRUNCATED' | 'DROPPED';

export interface LogEvent {
  cursor: string;
  kind: LogKind;
  text: string;
  truncated: boolean;
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
}

export type LogAction = { type: 'events'; events: readonly LogEvent[] } | { type: 'reset' };

export const MAX_ROWS = 200_000;

export const INITIAL_LOG: LogState = Object.freeze({ rows: [], lastCursor: null, last: null, nextId: 0, trimmed: 0 });

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
  const extra = event.text.trim() ? ` (${event.text.trim()})` : '';
  return { id, kind: event.kind, cursor: event.cursor, display: NOTICES[event.kind] + extra, level: null, truncated: false, raw: event.text, json: null };
}

export function logReducer(state: LogState, action: LogAction, maxRows = MAX_ROWS): LogState {
  if (action.type === 'reset') return INITIAL_LOG;
  let last = state.last;
  let nextId = state.nextId;
  const added: LogRow[] = [];
  for (const event of action.events) {
    if (sameEvent(last, event)) continue;
    added.push(toRow(event, nextId++));
    last = event;
  }
  if (added.length === 0) return state;
  let rows = state.rows.concat(added);
  let trimmed = state.trimmed;
  if (rows.length > maxRows) {
    trimmed += rows.length - maxRows;
    rows = rows.slice(rows.length - maxRows);
  }
  return { rows, lastCursor: last?.cursor ?? state.lastCursor, last, nextId, trimmed };
}

/** Where a (re)subscription starts: after the last cursor, or a fresh backfill. */
export function tailVariables(state: LogState, source: string, backfill: number, filter: string) {
  const f = filter.trim() || null;
  return state.lastCursor ? { source, after: state.lastCursor, backfill: 0, filter: f } : { source, backfill, after: null, filter: f };
}
