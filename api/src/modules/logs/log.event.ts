// Events shared by the follower, the reader and the hub. Plain data: no GraphQL, no I/O.
import { encodeCursor, type LogCursor } from './log.cursor.js';
import { parseLineTime } from './log.time.js';

/** A complete line. `cursor.offset` is the byte offset just after its newline. */
export interface LineEvent {
  kind: 'LINE';
  text: string;
  truncated: boolean;
  cursor: LogCursor;
  /** The name (in its folder) of the file it was read from: `app.log`, `app.log.1`, `app.log.2.gz`. */
  file?: string;
}
/** The path now names another file (rename+create, delete+recreate); reading restarts at its byte 0. */
export interface RotatedEvent {
  kind: 'ROTATED';
  cursor: LogCursor;
}
/** The same file shrank below what was read (copytruncate); reading restarts at byte 0. */
export interface TruncatedEvent {
  kind: 'TRUNCATED';
  cursor: LogCursor;
}
/** Hub only: `count` lines were dropped for a slow subscriber; `cursor` is that of the last one dropped. */
export interface DroppedEvent {
  kind: 'DROPPED';
  count: number;
  cursor: LogCursor;
}

export type FollowEvent = LineEvent | RotatedEvent | TruncatedEvent;
export type LogEvent = FollowEvent | DroppedEvent;
export type LogEventKind = LogEvent['kind'];

/** The contract's `LogLine` shape: what a resolver returns for any event. */
export interface LogLineView {
  /** The log source's name in agent.yaml (merged tails interleave several). */
  source: string;
  cursor: string;
  kind: LogEventKind;
  text: string;
  truncated: boolean;
  /** DROPPED only: how many lines were skipped. */
  droppedCount: number | null;
  /** Set for a `format: text` source: the line is never read as JSON. */
  plain?: true;
  /** The name of the file a LINE was read from (null for other kinds, or when unknown). */
  file: string | null;
}

/** The view of `event` through a source; `plain` for a `format: text` source (never read as JSON). */
export function toLogLine(event: LogEvent, source: string, plain = false): LogLineView {
  const view = lineView(event, source);
  if (plain) view.plain = true;
  return view;
}

function lineView(event: LogEvent, source: string): LogLineView {
  switch (event.kind) {
    case 'LINE':
      return {
        source,
        cursor: encodeCursor(event.cursor),
        kind: 'LINE',
        text: event.text,
        truncated: event.truncated,
        droppedCount: null,
        file: event.file ?? null,
      };
    case 'DROPPED':
      return {
        source,
        cursor: encodeCursor(event.cursor),
        kind: 'DROPPED',
        text: `${event.count} lines dropped`,
        truncated: false,
        droppedCount: event.count,
        file: null,
      };
    default:
      return {
        source,
        cursor: encodeCursor(event.cursor),
        kind: event.kind,
        text: '',
        truncated: false,
        droppedCount: null,
        file: null,
      };
  }
}

// live views are shared by every subscriber of a file: parse each line's time once, when asked
const times = new WeakMap<LogLineView, Date | null>();

/** The time a LINE starts with, or null (other kinds, lines without one). */
export function lineTime(view: LogLineView): Date | null {
  if (view.kind !== 'LINE') return null;
  let time = times.get(view);
  if (time === undefined) {
    const t = parseLineTime(view.text);
    times.set(view, (time = t === null ? null : new Date(t)));
  }
  return time;
}
