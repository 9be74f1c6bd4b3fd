// Field conditions on JSON lines (`level>=warn status>=500 msg~"connection reset"`), as a LineFilter.
import { BadUserInputError } from '../../errors.js';
import type { LineFilter } from './log.filter.js';
import { jsonLine, levelName, levelRank, LEVELS, type JsonLine } from './log.json.js';

export const MAX_WHERE_LENGTH = 500;
export const MAX_CONDITIONS = 10;

type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';
interface Condition {
  name: string;
  op: Op;
  value: string;
}

export class InvalidWhereError extends BadUserInputError {
  constructor(reason: string) {
    super(`Invalid where: ${reason}`);
  }
}

const NAME = /[^\s=!<>~"]+/y;
const OP = /!=|>=|<=|=|>|<|~/y;
const BARE = /[^\s"]+/y;
const QUOTED = /"((?:[^"\\]|\\.)*)"/y;
const OPS = '= != > >= < <= ~';

/** `name op value` conditions separated by spaces; a value with spaces goes in double quotes. */
export function parseWhere(where: string): Condition[] {
  if (where.length > MAX_WHERE_LENGTH)
    throw new InvalidWhereError(`it may be at most ${MAX_WHERE_LENGTH} characters.`);
  const out: Condition[] = [];
  const at = (i: number) => `character ${i + 1} (${where.slice(i, i + 24)})`;
  const take = (re: RegExp, i: number): RegExpExecArray | null => {
    re.lastIndex = i;
    return re.exec(where);
  };
  let i = 0;
  for (;;) {
    while (i < where.length && /\s/.test(where[i]!)) i++;
    if (i >= where.length) break;
    const start = i;
    const name = take(NAME, i);
    if (!name) throw new InvalidWhereError(`expected a field name at ${at(i)}.`);
    i += name[0].length;
    const op = take(OP, i);
    if (!op)
      throw new InvalidWhereError(
        `expected an operator (${OPS}) after "${name[0].slice(0, 64)}" at ${at(start)}.`,
      );
    i += op[0].length;
    let value: string;
    if (where[i] === '"') {
      const q = take(QUOTED, i);
      if (!q) throw new InvalidWhereError(`a quoted value is not closed at ${at(i)}.`);
      value = q[1]!.replace(/\\(.)/g, '$1');
      i += q[0].length;
    } else {
      const v = take(BARE, i);
      if (!v)
        throw new InvalidWhereError(
          `expected a value after "${where.slice(start, i)}" at ${at(start)} (use "" for an empty one).`,
        );
      value = v[0];
      i += v[0].length;
    }
    if (i < where.length && !/\s/.test(where[i]!))
      throw new InvalidWhereError(`put a space between conditions at ${at(i)}.`);
    out.push({ name: name[0], op: op[0] as Op, value });
    if (out.length > MAX_CONDITIONS)
      throw new InvalidWhereError(`at most ${MAX_CONDITIONS} conditions.`);
  }
  return out;
}

const isLevel = (name: string) => name === 'level' || name === 'lvl' || name === 'severity';
const isMessage = (name: string) => name === 'msg' || name === 'message';
const isTime = (name: string) =>
  name === 'time' || name === 'ts' || name === 'timestamp' || name === '@timestamp';

/** What a condition's name reads on a line: level, message, time (ISO text) or a field. */
function read(line: JsonLine, name: string): string | undefined {
  if (isLevel(name)) return line.level;
  if (isMessage(name)) return line.message;
  if (isTime(name) && line.time !== undefined) return new Date(line.time).toISOString();
  return line.fields.find((f) => f.name === name)?.value;
}

const asNumber = (s: string): number | null => {
  if (s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

function compare(a: number | string, b: number | string, op: Op): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return false;
  }
}

/** One condition as a test on a parsed line. */
function test(c: Condition): (line: JsonLine) => boolean {
  if (isLevel(c.name)) {
    const want = levelName(c.value) ?? '';
    if (c.op === '~') return (l) => l.level !== undefined && l.level.includes(c.value);
    if (c.op === '=' || c.op === '!=')
      return (l) => l.level !== undefined && compare(l.level, want, c.op);
    const rank = levelRank(want);
    if (rank < 0)
      throw new InvalidWhereError(
        `"${c.name}${c.op}${c.value.slice(0, 32)}": compare levels with one of ${LEVELS.join(', ')}.`,
      );
    return (l) =>
      l.level !== undefined && levelRank(l.level) >= 0 && compare(levelRank(l.level), rank, c.op);
  }
  if (c.op === '~') return (l) => read(l, c.name)?.includes(c.value) ?? false;
  const num = asNumber(c.value);
  return (l) => {
    const v = read(l, c.name);
    if (v === undefined) return false; // a missing field fails every condition, `!=` too
    const n = num === null ? null : asNumber(v);
    return n !== null ? compare(n, num!, c.op) : compare(v, c.value, c.op);
  };
}

// printable ASCII without quote or backslash: such a value appears in the raw JSON text as it is
const VERBATIM = /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Text the raw line must contain for the condition to hold, checked before JSON.parse: the field's
 * last name part, and an `=`/`~` value. None where JSON could spell it otherwise (escapes, numbers, levels).
 */
function needles(c: Condition): string[] {
  const out: string[] = [];
  if (!isLevel(c.name) && !isMessage(c.name) && !isTime(c.name)) {
    const key = c.name.slice(c.name.lastIndexOf('.') + 1);
    if (VERBATIM.test(key)) out.push(`${key}"`); // the key's end, also inside a dotted key
  }
  const plainValue = c.op === '~' || (c.op === '=' && asNumber(c.value) === null);
  if (plainValue && !isLevel(c.name) && VERBATIM.test(c.value)) out.push(c.value);
  return out;
}

/** A `where` argument as a LineFilter (null when empty): lines that are not JSON objects never pass. */
export function compileWhere(where: string | null | undefined): LineFilter | null {
  if (where === null || where === undefined || where.trim() === '') return null;
  const conditions = parseWhere(where);
  const tests = conditions.map(test);
  const must = conditions.flatMap(needles);
  return (text) => {
    // `\u` in a line may spell any needle another way: then only the parse decides
    if (must.length > 0 && !must.every((n) => text.includes(n)) && !text.includes('\\u'))
      return false;
    const line = jsonLine(text);
    return line !== null && tests.every((t) => t(line));
  };
}

/**
 * Both filters. The text filter's own properties (a byte-level searcher) are kept: whatever
 * passes both passes it, so a reader may still skip blocks with it.
 */
export function bothFilters(a: LineFilter | null, b: LineFilter | null): LineFilter | null {
  if (!a || !b) return a ?? b;
  return Object.assign((text: string) => a(text) && b(text), a);
}
