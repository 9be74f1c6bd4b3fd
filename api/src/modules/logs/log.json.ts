// JSON log lines (pino, bunyan, zap, logrus, ECS…): level, time, message and flattened fields.

export interface JsonField {
  name: string;
  value: string;
}

export interface JsonLine {
  /** Epoch milliseconds. */
  time?: number;
  /** Lower-case; pino/bunyan numbers and common aliases mapped to trace|debug|info|warn|error|fatal. */
  level?: string;
  message?: string;
  fields: JsonField[];
}

export const MAX_FIELDS = 100;
export const MAX_VALUE_CHARS = 4096;
const MAX_DEPTH = 8; // deeper objects are kept whole, as JSON text

const LEVEL_KEYS = ['level', 'lvl', 'severity'];
const TIME_KEYS = ['time', 'ts', 'timestamp', '@timestamp'];
const MESSAGE_KEYS = ['msg', 'message'];

export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const ALIASES: Record<string, string> = {
  trc: 'trace',
  dbg: 'debug',
  information: 'info',
  informational: 'info',
  notice: 'info',
  warning: 'warn',
  wrn: 'warn',
  err: 'error',
  eror: 'error',
  crit: 'fatal',
  critical: 'fatal',
  alert: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
  panic: 'fatal',
};

/** The canonical name of a level value: pino/bunyan numbers by range (10 trace … 60 fatal), aliases folded. */
export function levelName(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (value < 10) return String(value); // not pino's scale: shown as it is
    return LEVELS[Math.min(5, Math.floor(value / 10) - 1)];
  }
  if (typeof value !== 'string' || value === '') return undefined;
  const lower = value.toLowerCase();
  return ALIASES[lower] ?? lower;
}

/** 0 (trace) … 5 (fatal), or -1 for a level outside the scale. */
export const levelRank = (name: string): number =>
  (LEVELS as readonly string[]).indexOf(ALIASES[name] ?? name);

const ISO_START = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/;
const NUMERIC = /^-?\d+(\.\d+)?$/;

/** Epoch seconds or milliseconds (told apart by size), or an ISO-8601 string. */
function timeOf(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && NUMERIC.test(value)
        ? +value
        : NaN;
  if (Number.isFinite(n) && n > 0) return Math.round(n < 1e11 ? n * 1000 : n); // 1e11 s is year 5138
  if (typeof value !== 'string' || !ISO_START.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

const cut = (s: string): string =>
  s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…` : s;

function textOf(value: unknown): string {
  return cut(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
}

function flatten(
  obj: Record<string, unknown>,
  prefix: string,
  depth: number,
  out: JsonField[],
  taken?: string[],
) {
  for (const key of Object.keys(obj)) {
    if (out.length >= MAX_FIELDS) return;
    if (taken?.includes(key)) continue;
    const value = obj[key];
    const name = prefix + key;
    if (isObject(value) && depth < MAX_DEPTH && Object.keys(value).length > 0)
      flatten(value, `${name}.`, depth + 1, out);
    else out.push({ name, value: textOf(value) });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One JSON object per line, or null (any other text, an array, a truncated line). */
export function parseJsonLine(text: string): JsonLine | null {
  const t = text.trim();
  if (t.length < 2 || t.charCodeAt(0) !== 0x7b || t.charCodeAt(t.length - 1) !== 0x7d) return null;
  let obj: unknown;
  try {
    obj = JSON.parse(t);
  } catch {
    return null;
  }
  if (!isObject(obj)) return null;
  const o = obj;
  const line: JsonLine = { fields: [] };
  const first = (keys: string[]) => keys.find((k) => o[k] !== undefined && o[k] !== null);
  const taken: string[] = []; // keys shown as level, time or message; an unreadable one stays a field
  const lk = first(LEVEL_KEYS);
  if (lk && (line.level = levelName(o[lk])) !== undefined) taken.push(lk);
  const tk = first(TIME_KEYS);
  if (tk && (line.time = timeOf(o[tk])) !== undefined) taken.push(tk);
  const mk = first(MESSAGE_KEYS);
  if (mk) taken.push(mk);
  if (mk) line.message = textOf(o[mk]);
  flatten(o, '', 0, line.fields, taken);
  return line;
}

// Recent parses by text. Live lines reach every subscriber's filter in one synchronous loop and
// then the shared view, so one parse serves them all; long lines are not kept (memory bound).
const CACHE_ENTRIES = 512;
const CACHE_MAX_CHARS = 8192;
const recent = new Map<string, JsonLine | null>();

/** parseJsonLine through a small cache of recent lines. Treat the result as read-only. */
export function jsonLine(text: string): JsonLine | null {
  if (!/^\s*\{/.test(text)) return null; // most text lines: no cache churn, no parse
  const hit = recent.get(text);
  if (hit !== undefined) return hit;
  const parsed = parseJsonLine(text);
  if (text.length <= CACHE_MAX_CHARS) {
    if (recent.size >= CACHE_ENTRIES) recent.delete(recent.keys().next().value!);
    recent.set(text, parsed);
  }
  return parsed;
}

/** The time of a JSON line in epoch ms, or null (not JSON, or no time key). */
export function jsonLineTime(text: string): number | null {
  return jsonLine(text)?.time ?? null;
}
