// Opaque resume points into a log file: which file (inode) and where the next line starts.
import { BadUserInputError } from '../../errors.js';

/** `offset` is the byte offset of the start of the line after the one this cursor names. */
export interface LogCursor {
  ino: number;
  offset: number;
}

export class InvalidCursorError extends BadUserInputError {
  constructor(reason: string) {
    super(`Invalid log cursor: ${reason}. Use a cursor returned by logLines or logTail, unchanged.`);
  }
}

const VERSION = 'l1';
const SHAPE = /^l1\.(\d{1,20})\.(\d{1,16})$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeCursor(cursor: LogCursor): string {
  if (!isIno(cursor.ino) || !isCount(cursor.offset)) throw new RangeError('cursor fields must be non-negative integers');
  return Buffer.from(`${VERSION}.${cursor.ino}.${cursor.offset}`, 'utf8').toString('base64url');
}

/** Parses and validates; throws InvalidCursorError (maps to BAD_USER_INPUT). */
export function decodeCursor(value: string): LogCursor {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64 || !BASE64URL.test(value)) {
    throw new InvalidCursorError('not a cursor string');
  }
  const match = SHAPE.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError('unknown format');
  const ino = Number(match[1]);
  const offset = Number(match[2]);
  if (!isIno(ino) || !isCount(offset)) throw new InvalidCursorError('numbers out of range');
  return { ino, offset };
}

// fs.Stats gives inodes as doubles: above 2^53 they are rounded, but rounded the same way every
// time, so comparing them still works; only offsets must be exact.
function isIno(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < 2 ** 64;
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
