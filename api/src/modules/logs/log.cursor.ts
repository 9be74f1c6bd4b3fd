// Opaque resume points into a log file: which file (inode) and where the next line starts.
import { BadUserInputError } from '../../errors.js';

/** `offset` is the byte offset of the start of the line after the one this cursor names. */
export interface LogCursor {
  ino: number;
  offset: number;
  /** The file's birth time in µs where the filesystem keeps one: ext4 reuses a deleted file's inode at once. */
  born?: number;
}

/** Which file a cursor belongs to. */
export interface LogFileKey {
  ino: number;
  born?: number;
}

/** A cursor at `offset` in `file`. */
export function cursorIn(file: LogFileKey, offset: number): LogCursor {
  return file.born ? { ino: file.ino, offset, born: file.born } : { ino: file.ino, offset };
}

/** Same file: same inode and, when both know it, the same birth time. */
export function sameLogFile(a: LogFileKey, b: LogFileKey): boolean {
  return a.ino === b.ino && (!a.born || !b.born || a.born === b.born);
}

export class InvalidCursorError extends BadUserInputError {
  constructor(reason: string) {
    super(
      `Invalid log cursor: ${reason}. Use a cursor returned by logLines or logTail, unchanged.`,
    );
  }
}

const VERSION = 'l1';
const SHAPE = /^l1\.(\d{1,20})\.(\d{1,16})(?:\.(\d{1,16}))?$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeCursor(cursor: LogCursor): string {
  if (!isIno(cursor.ino) || !isCount(cursor.offset))
    throw new RangeError('cursor fields must be non-negative integers');
  if (cursor.born !== undefined && !isCount(cursor.born))
    throw new RangeError('cursor birth time must be a non-negative integer');
  const born = cursor.born ? `.${cursor.born}` : '';
  return Buffer.from(`${VERSION}.${cursor.ino}.${cursor.offset}${born}`, 'utf8').toString(
    'base64url',
  );
}

/** Parses and validates; throws InvalidCursorError (maps to BAD_USER_INPUT). */
export function decodeCursor(value: string): LogCursor {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 64 ||
    !BASE64URL.test(value)
  ) {
    throw new InvalidCursorError('not a cursor string');
  }
  const match = SHAPE.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError('unknown format');
  const ino = Number(match[1]);
  const offset = Number(match[2]);
  const born = match[3] === undefined ? 0 : Number(match[3]);
  if (!isIno(ino) || !isCount(offset) || !isCount(born))
    throw new InvalidCursorError('numbers out of range');
  return cursorIn({ ino, born }, offset);
}

// fs.Stats gives inodes as doubles: above 2^53 they are rounded, but rounded the same way every
// time, so comparing them still works; only offsets must be exact.
function isIno(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < 2 ** 64;
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
