import { describe, expect, it } from 'vitest';
import { applySgr, parseAnsi, PLAIN } from '../../lib/ui/ansi.parse';
import { compileHighlight, markSpans } from './log.highlight';

const marked = (filter: string, text: string) => {
  const spans = parseAnsi(text).spans;
  const plain = spans.map((s) => s.text).join('');
  return markSpans(spans, compileHighlight(filter)!(plain))
    .filter((s) => s.mark)
    .map((s) => s.text);
};

describe('compileHighlight', () => {
  it('finds every plain occurrence, case-sensitive, as the server filters', () => {
    expect(compileHighlight('disk')!('disk full, Disk sda: disk')).toEqual([
      [0, 4],
      [21, 25],
    ]);
  });

  it('reads /regex/ and /regex/i like the server; /var/log stays plain text', () => {
    expect(marked('/time(out)? \\d+/i', 'Timeout 30 then time 5')).toEqual([
      'Timeout 30',
      'time 5',
    ]);
    expect(marked('/var/log', 'open /var/log/syslog')).toEqual(['/var/log']);
  });

  it('is off for no filter and for a regex JavaScript refuses; empty matches mark nothing', () => {
    expect(compileHighlight('')).toBeNull();
    expect(compileHighlight('/(/')).toBeNull();
    expect(compileHighlight('/x*/')!('abc')).toEqual([]);
  });
});

describe('markSpans', () => {
  it('cuts coloured spans at the match edges and keeps each piece its colour', () => {
    const red = applySgr(PLAIN, '31');
    const segs = markSpans(
      [
        { text: 'ab', style: red },
        { text: 'cd', style: PLAIN },
      ],
      [[1, 3]],
    );
    expect(segs).toEqual([
      { text: 'a', style: red, mark: false },
      { text: 'b', style: red, mark: true },
      { text: 'c', style: PLAIN, mark: true },
      { text: 'd', style: PLAIN, mark: false },
    ]);
  });

  it('leaves a line without matches whole', () => {
    expect(markSpans([{ text: 'plain', style: PLAIN }], [])).toEqual([
      { text: 'plain', style: PLAIN, mark: false },
    ]);
  });
});
