// The time a log line starts with, read at fixed positions: it runs once per line on hot paths,
// so no regex and no allocation. Formats: ISO-8601 / RFC 3339 (also `[…]`-wrapped and RFC 5424's
// `<pri>1 ` prefix), syslog and journald short / short-precise, journald short-iso, and the
// nginx/Apache access log's `[07/Dec/2026:01:02:03 +0000]` after the client address.
import { jsonLineTime } from './log.json.js';

export interface LineTimeContext {
  /** Reference for a syslog line's missing year (epoch ms); default Date.now(). */
  now?: number;
}

/** How far ahead of `now` a year-less time may be before it is taken as last year's (clock skew). */
const AHEAD_MS = 24 * 3600_000;
/** Where an access log's `[` may stand at most: after a client address and two names. */
const ACCESS_SCAN = 120;

/** Epoch ms of the timestamp `text` starts with, or null when it starts with none. */
export function parseLineTime(text: string, context?: LineTimeContext): number | null {
  let i = 0;
  const c0 = text.charCodeAt(0);
  // a JSON line: its time field (time, ts, timestamp, @timestamp)
  if (c0 === 0x7b /* { */) return jsonLineTime(text);
  if (c0 === 0x3c /* < */)
    i = afterSyslogPri(text); // RFC 5424: `<34>1 2026-…`
  else if (c0 === 0x5b /* [ */) i = 1; // `[2026-12-07 01:02:03]`
  if (i < 0) return null;
  if (isDigit(text, i)) {
    const iso = parseIso(text, i);
    if (iso !== null || i > 0) return iso;
  } else if (i === 0) {
    const syslog = parseSyslog(text, context);
    if (syslog !== null) return syslog;
  }
  return parseAccessLog(text);
}

/**
 * `YYYY-MM-DD[T ]HH:MM[:SS[.,fraction]][Z|±HH[:]MM]`. Without a zone: the server's local time
 * (Python's logging and most text loggers write it so).
 */
function parseIso(s: string, i: number): number | null {
  const year = num(s, i, 4);
  if (year < 0 || s.charCodeAt(i + 4) !== 0x2d || s.charCodeAt(i + 7) !== 0x2d) return null;
  const month = num(s, i + 5, 2);
  const day = num(s, i + 8, 2);
  const sep = s.charCodeAt(i + 10);
  if (sep !== 0x54 /* T */ && sep !== 0x20 && sep !== 0x74 /* t */) return null;
  const hour = num(s, i + 11, 2);
  if (s.charCodeAt(i + 13) !== 0x3a) return null;
  const minute = num(s, i + 14, 2);
  let p = i + 16;
  let second = 0;
  if (s.charCodeAt(p) === 0x3a) {
    second = num(s, p + 1, 2);
    p += 3;
  }
  let ms = 0;
  const dot = s.charCodeAt(p);
  if (dot === 0x2e || dot === 0x2c) {
    const f = fraction(s, p + 1);
    ms = f.ms;
    p = f.end;
  }
  if (!validClock(month, day, hour, minute, second)) return null;
  const zone = zoneAt(s, p);
  if (zone === null) return local(year, month, day, hour, minute, second, ms);
  if (zone === BAD_ZONE) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - zone * 60_000;
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** `Dec  7 01:02:03` / `Dec 07 01:02:03.123456`: no year (the latest not ahead of now), local time. */
function parseSyslog(s: string, context?: LineTimeContext): number | null {
  const month = monthAt(s, 0);
  if (month < 0 || s.charCodeAt(3) !== 0x20) return null;
  const day = s.charCodeAt(4) === 0x20 ? num(s, 5, 1) : num(s, 4, 2); // `Dec  7` pads with a space
  if (s.charCodeAt(6) !== 0x20 || s.charCodeAt(9) !== 0x3a || s.charCodeAt(12) !== 0x3a)
    return null;
  const hour = num(s, 7, 2);
  const minute = num(s, 10, 2);
  const second = num(s, 13, 2);
  if (!validClock(month, day, hour, minute, second)) return null;
  const ms = s.charCodeAt(15) === 0x2e ? fraction(s, 16).ms : 0;
  const now = context?.now ?? Date.now();
  const year = new Date(now).getFullYear();
  const t = local(year, month, day, hour, minute, second, ms);
  // a December line read in January was written last year
  return t !== null && t > now + AHEAD_MS
    ? local(year - 1, month, day, hour, minute, second, ms)
    : t;
}

/** `host - user [07/Dec/2026:01:02:03 +0000] "GET …"`: the first `[` within the first 120 chars. */
function parseAccessLog(s: string): number | null {
  const b = s.indexOf('[');
  if (b < 0 || b > ACCESS_SCAN) return null;
  const i = b + 1;
  const day = num(s, i, 2);
  const month = monthAt(s, i + 3);
  const year = num(s, i + 7, 4);
  if (s.charCodeAt(i + 2) !== 0x2f || s.charCodeAt(i + 6) !== 0x2f || month < 0 || year < 0)
    return null;
  if (s.charCodeAt(i + 11) !== 0x3a || s.charCodeAt(i + 14) !== 0x3a) return null;
  const hour = num(s, i + 12, 2);
  const minute = num(s, i + 15, 2);
  const second = num(s, i + 18, 2);
  if (!validClock(month, day, hour, minute, second) || s.charCodeAt(i + 20) !== 0x20) return null;
  const zone = zoneAt(s, i + 21);
  if (zone === null || zone === BAD_ZONE) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second) - zone * 60_000;
}

/** Index after `<pri>1 ` (RFC 5424), or -1. */
function afterSyslogPri(s: string): number {
  const close = s.indexOf('>', 1);
  if (
    close < 2 ||
    close > 4 ||
    s.charCodeAt(close + 1) !== 0x31 ||
    s.charCodeAt(close + 2) !== 0x20
  )
    return -1;
  return close + 3;
}

const BAD_ZONE = 1e9;

/** Minutes east of UTC for `Z`, `±HH:MM`, `±HHMM`, `±HH`; null when no zone follows; BAD_ZONE when malformed. */
function zoneAt(s: string, p: number): number | null {
  const c = s.charCodeAt(p);
  if (c === 0x5a || c === 0x7a) return 0; // Z
  if (c !== 0x2b && c !== 0x2d) return null;
  const hh = num(s, p + 1, 2);
  if (hh < 0 || hh > 18) return BAD_ZONE;
  const colon = s.charCodeAt(p + 3) === 0x3a ? 1 : 0;
  const mm = isDigit(s, p + 3 + colon) ? num(s, p + 3 + colon, 2) : 0;
  if (mm < 0 || mm > 59) return BAD_ZONE;
  return (c === 0x2d ? -1 : 1) * (hh * 60 + mm);
}

/** Up to 9 fraction digits from `p`: milliseconds (truncated) and where the digits end. */
function fraction(s: string, p: number): { ms: number; end: number } {
  let end = p;
  let ms = 0;
  while (isDigit(s, end) && end - p < 9) {
    if (end - p < 3) ms = ms * 10 + (s.charCodeAt(end) - 48);
    end++;
  }
  for (let k = end - p; k < 3; k++) ms *= 10;
  return { ms, end };
}

function local(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  sec: number,
  ms: number,
): number | null {
  const t = new Date(y, mo - 1, d, h, mi, sec, ms);
  return t.getDate() === d ? t.getTime() : null; // 31 Feb rolls over: not a date
}

function validClock(mo: number, d: number, h: number, mi: number, s: number): boolean {
  return (
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= 31 &&
    h >= 0 &&
    h <= 23 &&
    mi >= 0 &&
    mi <= 59 &&
    s >= 0 &&
    s <= 60
  );
}

function monthAt(s: string, i: number): number {
  const at = MONTHS.indexOf(s.slice(i, i + 3));
  return at >= 0 && at % 3 === 0 ? at / 3 + 1 : -1;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** `len` decimal digits at `i` as a number, or -1. */
function num(s: string, i: number, len: number): number {
  let n = 0;
  for (let k = i; k < i + len; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}
