// How one log line reads on screen: JSON lines become "time LEVEL message key=value…", and
// ERROR/WARN lines are flagged for highlighting. Pure; the text stays text.

export type LogLevel = 'error' | 'warn' | null;

export interface FormattedLine {
  display: string;
  level: LogLevel;
  /** the parsed object, for the detail view, when the line was JSON */
  json: Record<string, unknown> | null;
}

const TIME_KEYS = ['time', 'ts', 'timestamp', '@timestamp', 't'];
const LEVEL_KEYS = ['level', 'severity', 'lvl', 'levelname'];
const MESSAGE_KEYS = ['msg', 'message', 'text'];
const ERROR_WORD =
  /\b(ERROR|ERR|FATAL|CRITICAL|CRIT|PANIC|EMERG|ALERT)\b|level=(error|fatal|crit)/i;
const WARN_WORD = /\b(WARN|WARNING)\b|level=warn/i;

/** Level words, names or pino/bunyan numbers (≥50 error, 40 warn). */
export function levelOf(value: unknown): LogLevel {
  if (typeof value === 'number') return value >= 50 ? 'error' : value >= 40 ? 'warn' : null;
  if (typeof value !== 'string') return null;
  const v = value.toLowerCase();
  if (['error', 'err', 'fatal', 'critical', 'crit', 'panic', 'emerg', 'alert'].includes(v))
    return 'error';
  if (v === 'warn' || v === 'warning') return 'warn';
  return null;
}

function levelInText(text: string): LogLevel {
  // case-sensitive words only in upper case, so "0 errors" in a message is not an error line
  const m = ERROR_WORD.exec(text);
  if (m && (m[1] ? m[1] === m[1].toUpperCase() : true)) return 'error';
  const w = WARN_WORD.exec(text);
  if (w && (w[1] ? w[1] === w[1].toUpperCase() : true)) return 'warn';
  return null;
}

function pick(obj: Record<string, unknown>, keys: string[]): [string, unknown] | null {
  for (const k of keys) if (k in obj) return [k, obj[k]];
  return null;
}

function show(value: unknown): string {
  if (typeof value === 'string')
    return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

export function formatLogText(text: string): FormattedLine {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        return formatObject(parsed as Record<string, unknown>);
    } catch {
      // not JSON after all: shown as it is
    }
  }
  return { display: text, level: levelInText(text), json: null };
}

function formatObject(obj: Record<string, unknown>): FormattedLine {
  const time = pick(obj, TIME_KEYS);
  const level = pick(obj, LEVEL_KEYS);
  const message = pick(obj, MESSAGE_KEYS);
  const used = new Set([time?.[0], level?.[0], message?.[0]]);
  const parts: string[] = [];
  if (time)
    parts.push(typeof time[1] === 'number' ? new Date(time[1]).toISOString() : String(time[1]));
  if (level) parts.push(String(level[1]).toUpperCase().padEnd(5));
  if (message) parts.push(String(message[1]));
  for (const [k, v] of Object.entries(obj)) if (!used.has(k)) parts.push(`${k}=${show(v)}`);
  return { display: parts.join(' '), level: levelOf(level?.[1]), json: obj };
}
