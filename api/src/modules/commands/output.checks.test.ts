// The checker's line handling (pure logic): chunk seams, CRLF, bounds, which capture wins.
import { describe, expect, it } from 'vitest';
import { OutputChecker } from './output.checks.js';

const checker = (p: { failOn?: string[]; successOn?: string[]; extract?: string[] }) =>
  OutputChecker.of({ failOn: [], successOn: [], extract: [], ...p })!;

describe('OutputChecker', () => {
  it('is not made for a command without patterns', () => {
    expect(OutputChecker.of({ failOn: [], successOn: [], extract: [] })).toBeNull();
  });

  it('joins a line across chunks, per stream, and drops a CR before the newline', () => {
    const c = checker({ failOn: ['/^disk full$/'] });
    c.feed('stdout', 'disk ');
    c.feed('stderr', 'unrelated\r\n');
    c.feed('stdout', 'full\r\nnext\n');
    expect(c.verdict('SUCCEEDED')).toEqual({
      status: 'FAILED',
      checkReason: 'failOn matched: disk full',
      extracted: null,
    });
  });

  it('remembers the first failOn line', () => {
    const c = checker({ failOn: ['ERROR'] });
    c.feed('stdout', 'ERROR one\nERROR two\n');
    expect(c.verdict('SUCCEEDED').checkReason).toBe('failOn matched: ERROR one');
  });

  it('lets the last match of a key win, keeps 50 keys and values of 1000 characters', () => {
    const c = checker({ extract: ['/^(?<key>k\\d+)=(?<value>.*)$/', '/count: (?<count>\\d+)/'] });
    c.feed('stdout', 'count: 1\ncount: 2\n');
    expect(c.verdict('SUCCEEDED').extracted).toEqual([{ key: 'count', value: '2' }]);

    const keys = Array.from({ length: 60 }, (_, i) => `/^(?<k${i}>${i})$/`);
    const wide = OutputChecker.of({ failOn: [], successOn: [], extract: keys })!;
    wide.feed('stdout', Array.from({ length: 60 }, (_, i) => `${i}\n`).join(''));
    // the first 50 keys stay; later new keys are dropped
    expect(wide.verdict('SUCCEEDED').extracted!.map((e) => e.key)).toEqual(
      Array.from({ length: 50 }, (_, i) => `k${i}`),
    );

    const long = checker({ extract: ['/^(?<all>.*)$/'] });
    long.feed('stdout', 'v'.repeat(5000));
    expect(long.verdict('SUCCEEDED').extracted).toEqual([{ key: 'all', value: 'v'.repeat(1000) }]);
  });

  it('checks only the first 64 KiB of a line, however it arrives', () => {
    const c = checker({ failOn: ['HIDDEN'], successOn: ['/^after$/'] });
    for (let i = 0; i < 20; i++) c.feed('stdout', 'x'.repeat(4096));
    c.feed('stdout', 'HIDDEN\nafter\n');
    expect(c.verdict('SUCCEEDED')).toMatchObject({ status: 'SUCCEEDED', checkReason: null });
  });

  it('leaves a run that did not succeed as it ended', () => {
    const c = checker({ successOn: ['done'] });
    expect(c.verdict('TIMED_OUT')).toEqual({
      status: 'TIMED_OUT',
      checkReason: null,
      extracted: null,
    });
  });
});
