// Events shared by the follower, the reader and the hub. Plain data: no GraphQL, no I/O.
import { encodeCursor, type LogCursor } from './log.cursor.js';
import { parseLineTime } from './log.time.js';

/** A complete line. `cursor.offset` is the byte offset just after its newline. */
export interface LineEvent {
  kind: 'LINE';
  text: string;
  truncated: boolean;
  cursor: LogCursor;
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
  cursor: string;
  kind: LogEventKind;
  text: string;
  truncated: boolean;
  /** DROPPED only: how many lines were skipped. */
  droppedCount: number | null;
}

export function toLogLine(event: LogEvent): LogLineView {
  switch (event.kind) {
    case 'LINE':
      return {
        cursor: encodeCursor(event.cursor),
        kind: 'LINE',
        text: event.text,
        truncated: event.truncated,
        droppedCount: null,
      };
    case 'DROPPED':
      return {
        cursor: encodeCursor(event.cursor),
        kind: 'DROPPED',
        text: `${event.count} lines dropped`,
        truncated: false,
        droppedCount: event.count,
      };
    default:
      return {
        cursor: encodeCursor(event.cursor),
        kind: event.kind,
        text: '',
        truncated: false,
        droppedCount: null,
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
