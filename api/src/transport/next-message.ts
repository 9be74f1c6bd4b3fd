import type { ExecutionResult } from 'graphql';
import { memoOn } from '../realtime/memo.js';

/** Strings this long (a run's output chunk, a long log line) are written straight into the frame. */
const BIG = 16 * 1024;
// stands in for a big string while the rest is stringified; a result holding a NUL is not split
const MARK = '\u0000big\u0000';
const MARK_JSON = JSON.stringify(MARK);

/** A payload with big strings: the JSON around them, and each one ready to write. */
interface Split {
  parts: string[];
  literals: Literal[];
  bytes: number;
}

const PAYLOAD = Symbol('payload');

/**
 * The graphql-transport-ws `next` message for a result (errors as GraphQLError's toJSON gives
 * them). The payload is encoded once per result object: subscribers of a shared stream get the
 * same result, so 1,000 sockets cost one JSON encoding, not 1,000.
 */
export function nextMessage(id: string, result: ExecutionResult): string | Buffer {
  const payload = memoOn(result, PAYLOAD, () => encodePayload(result));
  const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  if (typeof payload === 'string') return head + payload + '}';
  // one buffer per message, the big strings written into it directly: no intermediate copy
  const message = Buffer.allocUnsafe(Buffer.byteLength(head) + payload.bytes + 1);
  let at = message.write(head, 0, 'utf8');
  payload.parts.forEach((p, i) => {
    at += message.write(p, at, 'utf8');
    const l = payload.literals[i];
    if (l) at = l.write(message, at);
  });
  message[at] = 0x7d; // }
  return message;
}

/** JSON of the result, or its JSON split around big strings (each checked for escapes once). */
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
  const parts = json.split(MARK_JSON);
  const literals = bigs.map(jsonLiteral);
  let bytes = 0;
  for (const p of parts) bytes += Buffer.byteLength(p);
  for (const l of literals) bytes += l.bytes;
  return { parts, literals, bytes };
}

/** Whether a big string sits anywhere in the data (plain objects and arrays, as execution builds them). */
function holdsBig(value: unknown): boolean {
  if (typeof value === 'string') return value.length >= BIG;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsBig);
  for (const key in value) if (holdsBig((value as Record<string, unknown>)[key])) return true;
  return false;
}

// the characters JSON must escape, the likeliest first: most text has a newline early on
const ESCAPED = ['\n', '"', '\\', '\t', '\r', '\u001b'];
for (let c = 0; c < 0x20; c++) if (!ESCAPED.includes(String.fromCharCode(c))) ESCAPED.push(String.fromCharCode(c));

interface Literal {
  bytes: number;
  write(out: Buffer, at: number): number;
}

/**
 * A JSON string literal as UTF-8. Text with nothing to escape (a search per character that must
 * be escaped, each a memchr) is written as is: far cheaper than JSON.stringify's per-character
 * loop on Node 20. Anything else goes through JSON.stringify. Lone surrogates are escaped by it.
 */
function jsonLiteral(text: string): Literal {
  // isWellFormed: V8 answers at once for one-byte strings; a lone surrogate needs JSON's \u escape
  const plain = ESCAPED.every((c) => !text.includes(c)) && (text as unknown as { isWellFormed(): boolean }).isWellFormed();
  const body = plain ? text : JSON.stringify(text).slice(1, -1);
  const bytes = Buffer.byteLength(body) + 2;
  return {
    bytes,
    write(out, at) {
      out[at] = 0x22;
      const n = out.write(body, at + 1, 'utf8');
      out[at + 1 + n] = 0x22;
      return at + n + 2;
    },
  };
}
