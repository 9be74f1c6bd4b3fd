// Folds the logTail stream into rows for the view. Pure. Tracks the last cursor (the resume
// point), turns ROTATED/TRUNCATED/DROPPED into notices, and drops an exact repeat of the last
// event (urql echoes the last payload when a stream ends). A DROPPED notice opens a gap that the
// page fills with logLines(before: the next event's cursor, last: droppedCount). Older pages
// (logLines(before: the first row's cursor)) go in front; ANSI colour codes become styled spans.
import { type AnsiSpan, parseAnsi, PLAIN } from '../../lib/ui/ansi.parse';
import { formatLogText, type LogLevel } from './log.format';

export type LogKind = 'LINE' | 'ROTATED' | 'TRUNCATED' | 'DROPPED';

export interface LogEvent {
  /** the source's name; the merged view tags each row with it */
  source?: string;
  cursor: string;
  kind: LogKind;
  text: string;
  truncated: boolean;
  droppedCount?: number | null;
  /** set by the server for a line that is one JSON object (log.json.ts) */
  level?: string | null;
  message?: string | null;
  fields?: readonly LogField[] | null;
  /** LINE: the name of the file it was read from (app.log.1 …) */
  file?: string | null;
  /** the time the line starts with (ISO), when the server found one */
  time?: string | null;
}

export interface LogField {
  name: string;
  value: string;
}

/** A JSON line as the server read it: its canonical level, message and flattened fields. */
export interface LogEntry {
  level: string | null;
  message: string | null;
  fields: readonly LogField[];
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
  /** set in the merged view: the row's source, shown as a tag */
  source?: string;
  kind: LogKind;
  cursor: string;
  /** what the row shows: the formatted line (escape codes removed), or the notice */
  display: string;
  /** `display` cut into ANSI-styled pieces */
  spans: readonly AnsiSpan[];
  level: LogLevel;
  truncated: boolean;
  /** the raw line as the server sent it */
  raw: string;
  json: Record<string, unknown> | null;
  /** null unless the server read the line as a JSON object */
  entry: LogEntry | null;
  /** the name of the file a LINE was read from; null for notices or when unknown */
  file: string | null;
  /** the time the line starts with (ISO), or null */
  time: string | null;
}

/** Why no older page can be loaded: the file's start was reached, the row cap, a cleared view. */
export type OlderEnd = 'file' | 'limit' | 'cleared' | 'merged';

export interface LogState {
  rows: readonly LogRow[];
  lastCursor: string | null;
  last: LogEvent | null;
  nextId: number;
  /** rows removed from the front to stay under the cap */
  trimmed: number;
  gaps: readonly LogGap[];
  /** rows ever added at the end, so the view can count what arrived while scrolled up */
  appended: number;
  olderEnd: OlderEnd | null;
}

export type LogAction =
  | { type: 'events'; events: readonly LogEvent[] }
  /** the skipped lines of a gap, fetched again; null when fetching failed */
  | { type: 'fill'; noticeId: number; lines: readonly LogEvent[] | null }
  /** a page of older lines, asked with logLines(before, last: asked) */
  | { type: 'older'; before: string; asked: number; lines: readonly LogEvent[] }
  /** empties the view but keeps following from the same cursor */
  | { type: 'clear' }
  | { type: 'reset' };

export const MAX_ROWS = 200_000;

export const INITIAL_LOG: LogState = Object.freeze({
  rows: [],
  lastCursor: null,
  last: null,
  nextId: 0,
  trimmed: 0,
  gaps: [],
  appended: 0,
  olderEnd: null,
});

/** The most lines logLines returns at once. */
export const MAX_FILL = 5000;

/** Lines asked per older page: a few screens' worth, small enough to arrive at once. */
export const OLDER_PAGE = 1000;

const NOTICES: Record<Exclude<LogKind, 'LINE'>, string> = {
  ROTATED: 'The log was rotated; now following the new file from its start.',
  TRUNCATED: 'The log file was truncated; reading again from its start.',
  DROPPED: 'Some lines were skipped because this view fell behind.',
};

// escape codes and other control bytes; most lines have none and skip the parser
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

function sameEvent(a: LogEvent | null, b: LogEvent): boolean {
  return a !== null && a.cursor === b.cursor && a.kind === b.kind && a.text === b.text;
}

function styled(text: string): { spans: AnsiSpan[]; plain: string } {
  if (!CONTROL.test(text)) return { spans: text ? [{ text, style: PLAIN }] : [], plain: text };
  const { spans } = parseAnsi(text);
  return { spans, plain: spans.map((s) => s.text).join('') };
}

export function toRow(event: LogEvent, id: number): LogRow {
  const { kind, cursor, text: raw } = event;
  if (kind === 'LINE') {
    const line = styled(raw);
    const f = formatLogText(line.plain);
    // a JSON line is shown reformatted: its values may hold escape codes of their own
    const shown = f.json ? styled(f.display) : line;
    const { level, json } = f;
    const entry = event.fields
      ? { level: event.level ?? null, message: event.message ?? null, fields: event.fields }
      : null;
    return {
      id,
      source: event.source,
      kind,
      cursor,
      raw,
      display: shown.plain,
      spans: shown.spans,
      level,
      truncated: event.truncated,
      json,
      entry,
      file: event.file ?? null,
      time: event.time ?? null,
    };
  }
  const count =
    kind === 'DROPPED' && event.droppedCount
      ? ` (${event.droppedCount.toLocaleString('en')} lines)`
      : '';
  const extra = count || (raw.trim() ? ` (${raw.trim()})` : '');
  const display = NOTICES[kind] + extra;
  const spans = [{ text: display, style: PLAIN }];
  return {
    id,
    source: event.source,
    kind,
    cursor,
    raw,
    display,
    spans,
    level: null,
    truncated: false,
    json: null,
    entry: null,
    file: null,
    time: null,
  };
}

export function logReducer(state: LogState, action: LogAction, maxRows = MAX_ROWS): LogState {
  if (action.type === 'reset') return INITIAL_LOG;
  if (action.type === 'fill') return fillGap(state, action.noticeId, action.lines);
  if (action.type === 'older') return prependOlder(state, action, maxRows);
  if (action.type === 'clear') return { ...state, rows: [], gaps: [], olderEnd: 'cleared' };
  let last = state.last;
  let nextId = state.nextId;
  let gaps = state.gaps;
  const added: LogRow[] = [];
  for (const event of action.events) {
    if (sameEvent(last, event)) continue;
    // the first event after a DROPPED one tells where the skipped lines end
    if (gaps.some((g) => g.before === null))
      gaps = gaps.map((g) => (g.before === null ? { ...g, before: event.cursor } : g));
    const row = toRow(event, nextId++);
    if (event.kind === 'DROPPED' && event.droppedCount)
      gaps = [...gaps, { noticeId: row.id, count: event.droppedCount, before: null }];
    added.push(row);
    last = event;
  }
  if (added.length === 0) return state;
  const rows = state.rows.concat(added);
  const appended = state.appended + added.length;
  const lastCursor = last?.cursor ?? state.lastCursor;
  return trim({ ...state, rows, lastCursor, last, nextId, gaps, appended }, maxRows);
}

/** Rows over the cap go from the front; paging back would only fetch them again, so it stops. */
function trim(state: LogState, maxRows: number): LogState {
  if (state.rows.length <= maxRows) return state;
  const extra = state.rows.length - maxRows;
  const rows = state.rows.slice(extra);
  return { ...state, rows, trimmed: state.trimmed + extra, olderEnd: 'limit' };
}

/** Older lines in front of the first row; fewer than asked means the file's start was reached. */
function prependOlder(
  state: LogState,
  action: Extract<LogAction, { type: 'older' }>,
  maxRows: number,
): LogState {
  // asked for another first row (the view started over, or was cleared): not ours to place
  if (state.olderEnd || state.rows[0]?.cursor !== action.before) return state;
  const room = maxRows - state.rows.length;
  const lines = action.lines.filter((l) => l.kind === 'LINE');
  const kept = lines.slice(Math.max(0, lines.length - room));
  let nextId = state.nextId;
  const older = kept.map((l) => toRow(l, nextId++));
  const olderEnd =
    kept.length < lines.length ? 'limit' : action.lines.length < action.asked ? 'file' : null;
  return { ...state, rows: older.concat(state.rows), nextId, olderEnd };
}

/** Puts fetched lines right after their DROPPED notice; the gap is closed either way. */
function fillGap(state: LogState, noticeId: number, lines: readonly LogEvent[] | null): LogState {
  const gaps = state.gaps.filter((g) => g.noticeId !== noticeId);
  const at = state.rows.findIndex((r) => r.id === noticeId);
  if (at < 0 || !lines) return { ...state, gaps };
  let nextId = state.nextId;
  const fetched = lines.filter((l) => l.kind === 'LINE').map((l) => toRow(l, nextId++));
  const notice = state.rows[at];
  const display = `${notice.display} ${fetched.length.toLocaleString('en')} of them were fetched again and are shown below.`;
  const note = { ...notice, display, spans: [{ text: display, style: PLAIN }] };
  const rows = [...state.rows.slice(0, at), note, ...fetched, ...state.rows.slice(at + 1)];
  return trim({ ...state, rows, nextId, gaps }, MAX_ROWS);
}

/** Where a (re)subscription starts: after the last cursor, or a fresh backfill. */
export function tailVariables(state: LogState, source: string, backfill: number, filter: string) {
  const f = filter.trim() || null;
  return state.lastCursor
    ? { source, after: state.lastCursor, backfill: 0, filter: f }
    : { source, backfill, after: null, filter: f };
}
