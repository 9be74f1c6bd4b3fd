import type { ExecutionResult } from 'graphql';
import { memoOn } from './memo.js';
import { jsonStringBytes } from './json-escape.js';

/** Strings this long (a run's output chunk, a long log line) are escaped as bytes and sent as frames of their own. */
const BIG = 16 * 1024;
// stands in for a big string while the rest is stringified; a result holding a NUL is not split
const MARK = '\u0000big\u0000';
const MARK_JSON = JSON.stringify(MARK);

/** A payload with big strings: the JSON around them, and each one escaped. */
interface Split {
  parts: string[];
  /** Each big string as a JSON literal, quotes included, in UTF-8. */
  literals: Buffer[];
}

/**
 * A WebSocket message: one string, or the frames of one fragmented message (RFC 6455 5.4; the
 * peer's WebSocket joins them, so every client sees one message).
 */
export type Message = string | (string | Buffer)[];

const PAYLOAD = Symbol('payload');

/**
 * The graphql-transport-ws `next` message for a result (errors as GraphQLError's toJSON gives
 * them). The payload is encoded once per result object: subscribers of a shared stream get the
 * same result, so 1,000 sockets cost one JSON encoding, not 1,000. A big string goes out as a
 * frame of its own, the same escaped bytes for every subscriber: never copied into a message.
 */
export function nextMessage(id: string, result: ExecutionResult): Message {
  const payload = memoOn(result, PAYLOAD, () => encodePayload(result));
  const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  if (typeof payload === 'string') return head + payload + '}';
  const frames: (string | Buffer)[] = [head + payload.parts[0]];
  payload.literals.forEach((literal, i) => frames.push(literal, payload.parts[i + 1]!));
  frames[frames.length - 1] += '}';
  return frames;
}

/** JSON of the result, or its JSON split around big strings (each escaped once, as bytes). */
function encodePayload(result: ExecutionResult): string | Split {
  // most results (a log line, a status) hold no big string: no replacer, which V8 calls per key
  if (!holdsBig(result.data)) return JSON.stringify(result);
  const bigs: string[] = [];
  let splittable = true;
  const json = JSON.stringify(result, (_key, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (value.length >= BIG) {
      bigs.push(value);
      return MARK;
    }
    if (value.includes('\u0000')) splittable = false;
    return value;
  });
  if (!bigs.length) return json;
  if (!splittable) return JSON.stringify(result);
  return { parts: json.split(MARK_JSON), literals: bigs.map(jsonStringBytes) };
}

/** Whether a big string sits anywhere in the data (plain objects and arrays, as execution builds them). */
function holdsBig(value: unknown): boolean {
  if (typeof value === 'string') return value.length >= BIG;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsBig);
  for (const key in value) if (holdsBig((value as Record<string, unknown>)[key])) return true;
  return false;
}
