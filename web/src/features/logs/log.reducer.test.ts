import { describe, expect, it } from 'vitest';
import {
  INITIAL_LOG,
  type LogEvent,
  logReducer,
  type LogState,
  tailVariables,
} from './log.reducer';

const line = (cursor: string, text: string): LogEvent => ({
  cursor,
  kind: 'LINE',
  text,
  truncated: false,
});
const apply = (state: LogState, ...events: LogEvent[]) =>
  logReducer(state, { type: 'events', events });

describe('logReducer', () => {
  it('appends lines and remembers the last cursor', () => {
    const s = apply(INITIAL_LOG, line('c1', 'a'), line('c2', 'b'));
    expect(s.rows.map((r) => r.display)).toEqual(['a', 'b']);
    expect(s.lastCursor).toBe('c2');
  });

  it('drops an exact repeat of the last event (stream end echo)', () => {
    const s = apply(INITIAL_LOG, line('c1', 'a'));
    expect(apply(s, line('c1', 'a'))).toBe(s);
  });

  it('keeps the same text at a new cursor', () => {
    const s = apply(INITIAL_LOG, line('c1', 'same'), line('c2', 'same'));
    expect(s.rows).toHaveLength(2);
  });

  it('turns ROTATED, TRUNCATED and DROPPED into notices that also move the cursor', () => {
    const s = apply(
      INITIAL_LOG,
      line('c1', 'a'),
      { cursor: 'r0', kind: 'ROTATED', text: '', truncated: false },
      { cursor: 't0', kind: 'TRUNCATED', text: '', truncated: false },
      { cursor: 'd9', kind: 'DROPPED', text: '12 lines', truncated: false },
    );
    expect(s.rows.map((r) => r.kind)).toEqual(['LINE', 'ROTATED', 'TRUNCATED', 'DROPPED']);
    expect(s.rows[1].display).toMatch(/rotated/i);
    expect(s.rows[2].display).toMatch(/truncated/i);
    expect(s.rows[3].display).toMatch(/skipped.*\(12 lines\)/);
    expect(s.lastCursor).toBe('d9');
  });

  it('opens a gap on DROPPED, learns its end from the next event, and fills it in place', () => {
    let s = apply(INITIAL_LOG, line('c1', 'a'), {
      cursor: 'c4',
      kind: 'DROPPED',
      text: '',
      truncated: false,
      droppedCount: 3,
    });
    expect(s.gaps).toEqual([{ noticeId: 1, count: 3, before: null }]);
    expect(s.rows[1].display).toMatch(/skipped.*\(3 lines\)/);
    s = apply(s, line('c5', 'e'));
    expect(s.gaps).toEqual([{ noticeId: 1, count: 3, before: 'c5' }]);
    s = logReducer(s, {
      type: 'fill',
      noticeId: 1,
      lines: [line('c2', 'b'), line('c3', 'c'), line('c4', 'd')],
    });
    expect(s.rows.map((r) => (r.kind === 'LINE' ? r.display : 'notice'))).toEqual([
      'a',
      'notice',
      'b',
      'c',
      'd',
      'e',
    ]);
    expect(s.rows[1].display).toMatch(/3 of them were fetched again/);
    expect(s.gaps).toEqual([]);
    expect(s.lastCursor).toBe('c5');
  });

  it('closes a gap it could not fill and leaves the notice', () => {
    let s = apply(
      INITIAL_LOG,
      { cursor: 'c4', kind: 'DROPPED', text: '', truncated: false, droppedCount: 3 },
      line('c5', 'e'),
    );
    s = logReducer(s, { type: 'fill', noticeId: 0, lines: null });
    expect(s.gaps).toEqual([]);
    expect(s.rows.map((r) => r.kind)).toEqual(['DROPPED', 'LINE']);
  });

  it('resumes from the last cursor, and backfills when it has none', () => {
    expect(tailVariables(INITIAL_LOG, 'system', 200, ' ')).toEqual({
      source: 'system',
      backfill: 200,
      after: null,
      filter: null,
    });
    const s = apply(INITIAL_LOG, line('c7', 'x'));
    expect(tailVariables(s, 'system', 200, 'error')).toEqual({
      source: 'system',
      after: 'c7',
      backfill: 0,
      filter: 'error',
    });
  });

  it('highlights ERROR and WARN lines and formats JSON lines', () => {
    const s = apply(
      INITIAL_LOG,
      line('1', '2024-01-01 ERROR disk full'),
      line('2', 'WARN slow'),
      line('3', 'processed 0 errors'),
      line('4', '{"time":"2024-01-01T00:00:00Z","level":"error","msg":"boom","user":"ann","n":3}'),
      line('5', '{"level":40,"msg":"careful"}'),
      line('6', '{not json'),
    );
    expect(s.rows.map((r) => r.level)).toEqual(['error', 'warn', null, 'error', 'warn', null]);
    expect(s.rows[3].display).toBe('2024-01-01T00:00:00Z ERROR boom user=ann n=3');
    expect(s.rows[3].json).toMatchObject({ user: 'ann' });
    expect(s.rows[5].display).toBe('{not json');
  });

  it('never interprets markup in lines', () => {
    const s = apply(INITIAL_LOG, line('1', '<img src=x onerror=alert(1)>'));
    expect(s.rows[0].display).toBe('<img src=x onerror=alert(1)>');
  });

  it('caps rows and counts what it trimmed', () => {
    const s = logReducer(
      INITIAL_LOG,
      { type: 'events', events: [line('1', 'a'), line('2', 'b'), line('3', 'c')] },
      2,
    );
    expect(s.rows.map((r) => r.display)).toEqual(['b', 'c']);
    expect(s.trimmed).toBe(1);
    expect(s.lastCursor).toBe('3');
  });

  it('puts an older page in front, and knows the file start when a page comes back short', () => {
    let s = apply(INITIAL_LOG, line('c5', 'e'), line('c6', 'f'));
    s = logReducer(s, {
      type: 'older',
      before: 'c5',
      asked: 2,
      lines: [line('c3', 'c'), line('c4', 'd')],
    });
    expect(s.rows.map((r) => r.display)).toEqual(['c', 'd', 'e', 'f']);
    expect(s.olderEnd).toBeNull();
    expect(s.appended).toBe(2); // older rows are not new lines
    s = logReducer(s, { type: 'older', before: 'c3', asked: 2, lines: [line('c1', 'a')] });
    expect(s.rows.map((r) => r.display)).toEqual(['a', 'c', 'd', 'e', 'f']);
    expect(s.olderEnd).toBe('file');
    expect(new Set(s.rows.map((r) => r.id)).size).toBe(5);
  });

  it('drops an older page asked for another first row (the view started over)', () => {
    const s = apply(INITIAL_LOG, line('c5', 'e'));
    expect(logReducer(s, { type: 'older', before: 'c9', asked: 2, lines: [line('c1', 'a')] })).toBe(
      s,
    );
  });

  it('stops paging back at the row cap and after Clear view', () => {
    let s = logReducer(INITIAL_LOG, { type: 'events', events: [line('c5', 'e')] }, 2);
    s = logReducer(
      s,
      { type: 'older', before: 'c5', asked: 5, lines: [line('c3', 'c'), line('c4', 'd')] },
      2,
    );
    expect(s.rows.map((r) => r.display)).toEqual(['d', 'e']);
    expect(s.olderEnd).toBe('limit');
    const cleared = logReducer(apply(INITIAL_LOG, line('c1', 'a')), { type: 'clear' });
    expect(cleared.rows).toEqual([]);
    expect(cleared.lastCursor).toBe('c1');
    expect(cleared.olderEnd).toBe('cleared');
  });

  it('turns ANSI colour codes into styled spans and keeps them out of the text', () => {
    const s = apply(INITIAL_LOG, line('1', '\x1b[31mERROR\x1b[0m disk \x1b[1mfull\x1b[0m'));
    expect(s.rows[0].display).toBe('ERROR disk full');
    expect(s.rows[0].level).toBe('error');
    expect(s.rows[0].spans.map((p) => [p.text, p.style.fg, p.style.bold])).toEqual([
      ['ERROR', 'var(--ansi-1)', false],
      [' disk ', null, false],
      ['full', null, true],
    ]);
    const json = apply(
      INITIAL_LOG,
      line('2', JSON.stringify({ level: 'info', msg: '\x1b[32mok\x1b[0m' })),
    );
    expect(json.rows[0].display).toBe('INFO  ok');
    expect(json.rows[0].spans.find((p) => p.text === 'ok')?.style.fg).toBe('var(--ansi-2)');
  });

  // speed is for benchmarks (a clock here failed under load even before the colours came in)
  it('folds 100,000 lines in batches, in order', () => {
    const events = Array.from({ length: 100_000 }, (_, i) => line(String(i), `line ${i} INFO ok`));
    let s = INITIAL_LOG;
    for (let i = 0; i < events.length; i += 1000)
      s = logReducer(s, { type: 'events', events: events.slice(i, i + 1000) });
    expect(s.rows).toHaveLength(100_000);
    expect(s.rows[99_999].display).toBe('line 99999 INFO ok');
    expect(s.appended).toBe(100_000);
  });
});
