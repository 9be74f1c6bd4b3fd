import { GraphQLError, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { nextMessage, type Message } from './next-message.js';

const big = (unit: string) => unit.repeat(Math.ceil(40_000 / unit.length));
const asJson = (result: ExecutionResult) =>
  JSON.stringify({ id: 'op-1', type: 'next', payload: result });
/** The message as the peer's WebSocket delivers it: its frames joined. */
const bytes = (m: Message) =>
  typeof m === 'string'
    ? Buffer.from(m)
    : Buffer.concat(m.map((f) => (typeof f === 'string' ? Buffer.from(f) : f)));

describe('nextMessage', () => {
  const cases: [string, ExecutionResult][] = [
    [
      'a small result',
      { data: { logTail: { text: 'hello "there"\n', n: 1, ok: true, none: null } } },
    ],
    ['a big plain string', { data: { commandOutput: { seq: 7, data: big('x') } } }],
    [
      'a big string with newlines, quotes, backslashes and control characters',
      { data: { o: { data: big('line "a" \\b\t\r\u001b[31m\u0000\n') } } },
    ],
    [
      'a big string of non-ASCII text and emoji',
      { data: { o: { data: big('héllo wörld ✓ 😀 ') } } },
    ],
    [
      'two big strings beside small ones',
      { data: { a: big('a'), b: 'small', c: [big('c\n'), 'd'] } },
    ],
    [
      'a big string beside a short one holding a NUL',
      { data: { a: big('y'), b: 'nul \u0000big\u0000 here' } },
    ],
    ['a short string that looks like the stand-in', { data: { a: '\u0000big\u0000' } }],
    [
      'errors, through GraphQLError.toJSON',
      {
        data: null,
        errors: [new GraphQLError('Not found.', { extensions: { code: 'NOT_FOUND' } })],
      },
    ],
  ];

  it.each(cases)('%s: byte for byte what JSON.stringify gives', (_name, result) => {
    expect(bytes(nextMessage('op-1', result)).equals(Buffer.from(asJson(result)))).toBe(true);
  });

  it('a lone surrogate in a big string stays an escape, as JSON.stringify writes it', () => {
    const result = { data: { o: big('ab\ud800cd') } };
    const sent = bytes(nextMessage('op-1', result)).toString('utf8');
    expect(sent).toBe(asJson(result));
    expect(JSON.parse(sent).payload.data.o).toBe(result.data.o);
  });

  it("the id is the subscriber's, and the same result serves every subscriber", () => {
    const result = { data: { o: { data: big('z') } } };
    const a = JSON.parse(bytes(nextMessage('a', result)).toString());
    const b = JSON.parse(bytes(nextMessage('b"\\', result)).toString());
    expect([a.id, b.id]).toEqual(['a', 'b"\\']);
    expect(a.payload).toEqual(b.payload);
    expect(a.payload).toEqual(result);
  });

  it('a big string is a frame of its own, the very same bytes for every subscriber', () => {
    const result = { data: { o: { data: big('z') } } };
    const [a, b] = [nextMessage('a', result), nextMessage('b', result)];
    expect(Array.isArray(a) && Array.isArray(b)).toBe(true);
    const literal = (m: Message) => (m as (string | Buffer)[]).find((f) => Buffer.isBuffer(f));
    expect(literal(a)).toBe(literal(b));
    expect(literal(a)!.toString()).toBe(JSON.stringify(result.data.o.data));
    expect(typeof nextMessage('a', { data: { o: { data: 'small' } } })).toBe('string');
  });

  it('a copy of an encoded result (a spread, as coalescing makes) is encoded afresh', () => {
    const result: Record<string, unknown> = { data: { o: { data: big('z') } } };
    nextMessage('a', result as never);
    const copy = { ...result, data: { o: { data: big('y') } } };
    expect(JSON.parse(bytes(nextMessage('a', copy as never)).toString()).payload).toEqual(copy);
    expect(Object.keys(result)).toEqual(['data']);
  });
});
