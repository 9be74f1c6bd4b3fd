import { describe, expect, it } from 'vitest';
import {
  INITIAL_OUTPUT,
  lineText,
  type OutputChunk,
  outputReducer,
  type OutputState,
} from './output.reducer';

let seq = 0;
const out = (data: string, s = ++seq): OutputChunk => ({ seq: s, stream: 'STDOUT', data });
const err = (data: string, s = ++seq): OutputChunk => ({ seq: s, stream: 'STDERR', data });
const apply = (state: OutputState, ...chunks: OutputChunk[]) =>
  outputReducer(state, { type: 'chunks', chunks });
const text = (state: OutputState) => state.lines.map(lineText);

describe('outputReducer', () => {
  it('joins chunks into lines across chunk boundaries', () => {
    const s = apply(INITIAL_OUTPUT, out('hel', 1), out('lo\nwor', 2), out('ld\n', 3));
    expect(text(s)).toEqual(['hello', 'world']);
    expect(s.open).toBe(false);
    expect(s.lastSeq).toBe(3);
  });

  it('ignores chunks it has already applied (dedupe by seq)', () => {
    const once = apply(INITIAL_OUTPUT, out('a\n', 1), out('b\n', 2));
    const again = apply(once, out('b\n', 2), out('a\n', 1));
    expect(again).toBe(once);
    const mixed = apply(once, out('b\n', 2), out('c\n', 3));
    expect(text(mixed)).toEqual(['a', 'b', 'c']);
  });

  it('ignores a duplicate inside one batch and sorts by seq', () => {
    const s = apply(INITIAL_OUTPUT, out('2\n', 2), out('1\n', 1), out('2\n', 2));
    expect(text(s)).toEqual(['1', '2']);
  });

  it('resumes after a drop: replayed chunks vanish, new ones append, no gap', () => {
    const before = apply(INITIAL_OUTPUT, out('one\n', 1), out('two', 2));
    // resubscribed with afterSeq = before.lastSeq; the server (or a replay) sends 2 again, then 3
    const after = apply(before, out('two', 2), out(' more\nthree\n', 3));
    expect(text(after)).toEqual(['one', 'two more', 'three']);
    expect(after.lastSeq).toBe(3);
  });

  it('marks stderr spans and keeps line order with stdout', () => {
    const s = apply(INITIAL_OUTPUT, out('ok ', 1), err('bad\n', 2), out('next\n', 3));
    expect(text(s)).toEqual(['ok bad', 'next']);
    expect(s.lines[0].spans.map((x) => x.stderr)).toEqual([false, true]);
  });

  it('keeps colour state per stream across chunks, even mid-sequence', () => {
    const s = apply(INITIAL_OUTPUT, out('\x1b[3', 1), err('plain ', 2), out('1mred\x1b[0m\n', 3));
    const [plain, red] = s.lines[0].spans;
    expect(plain).toMatchObject({ text: 'plain ', stderr: true });
    expect(plain.style.fg).toBeNull();
    expect(red).toMatchObject({ text: 'red', stderr: false });
    expect(red.style.fg).toBe('var(--ansi-1)');
  });

  it('redraws a line on carriage return, also when \\r\\n is split', () => {
    const s = apply(INITIAL_OUTPUT, out('10%\r20%\r', 1), out('\n30%\r', 2), out('40%\n', 3));
    expect(text(s)).toEqual(['20%', '40%']);
  });

  it('counts empty lines', () => {
    expect(text(apply(INITIAL_OUTPUT, out('\n\nx\n', 1)))).toEqual(['', '', 'x']);
  });

  it('does not mutate the previous state', () => {
    const a = apply(INITIAL_OUTPUT, out('abc', 1));
    const snapshot = JSON.stringify(a);
    apply(a, out('def\n', 2));
    expect(JSON.stringify(a)).toBe(snapshot);
  });

  it('caps the number of lines kept and counts the dropped ones', () => {
    const s = outputReducer(
      INITIAL_OUTPUT,
      { type: 'chunks', chunks: [out('1\n2\n3\n4\n', 1)] },
      2,
    );
    expect(text(s)).toEqual(['3', '4']);
    expect(s.droppedLines).toBe(2);
  });

  it('resets', () => {
    expect(outputReducer(apply(INITIAL_OUTPUT, out('x', 1)), { type: 'reset' })).toBe(
      INITIAL_OUTPUT,
    );
  });

  it('counts the UTF-8 bytes of each chunk once, repeats not again', () => {
    const a = out('é\n', 1);
    let s = outputReducer(INITIAL_OUTPUT, { type: 'chunks', chunks: [a, err('\x1b[31mx\n', 2)] });
    expect(s.bytes).toBe(3 + 7);
    s = outputReducer(s, { type: 'chunks', chunks: [a] });
    expect(s.bytes).toBe(10);
  });

  it('stops at a hole (fromSeq past lastSeq + 1) and says so; the refill continues it', () => {
    const joinedOut = (data: string, from: number, to: number): OutputChunk => ({
      seq: to,
      fromSeq: from,
      stream: 'STDOUT',
      data,
    });
    const first = apply(INITIAL_OUTPUT, joinedOut('a\nb\n', 1, 2));
    expect(first.gap).toBe(false);
    // chunks 3-4 never arrived: 5-6 and what follows are not applied
    const holed = apply(first, joinedOut('e\nf\n', 5, 6), joinedOut('g\n', 7, 7));
    expect(text(holed)).toEqual(['a', 'b']);
    expect(holed.lastSeq).toBe(2);
    expect(holed.gap).toBe(true);
    // the new subscription from seq 2 sends 3..7
    const filled = apply(holed, joinedOut('c\nd\n', 3, 4), joinedOut('e\nf\ng\n', 5, 7));
    expect(text(filled)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(filled.gap).toBe(false);
    expect(filled.lastSeq).toBe(7);
  });

  it('applies what comes before a hole in the same batch', () => {
    const s = apply(
      INITIAL_OUTPUT,
      { seq: 1, fromSeq: 1, stream: 'STDOUT', data: 'x\n' },
      {
        seq: 9,
        fromSeq: 5,
        stream: 'STDOUT',
        data: 'y\n',
      },
    );
    expect(text(s)).toEqual(['x']);
    expect(s.gap).toBe(true);
  });
});
