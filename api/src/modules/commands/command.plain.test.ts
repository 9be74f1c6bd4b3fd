import { describe, expect, it } from 'vitest';
import { PlainText } from './command.plain.js';

const strip = (...parts: string[]) => {
  const p = new PlainText();
  return parts.map((d) => p.push(d)).join('') + p.end();
};

describe('PlainText', () => {
  it('removes colours, cursor moves, OSC titles and links', () => {
    expect(strip('\x1b[1;31mred\x1b[0m plain \x1b[2K\x1b[1Gx')).toBe('red plain x');
    expect(strip('\x1b]0;title\x07a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\')).toBe('alink');
    expect(strip('tab\there\r\nnext\n')).toBe('tab\there\r\nnext\n');
  });

  it('holds an escape cut across chunks until its end arrives', () => {
    expect(strip('a\x1b', '[3', '2mb\x1b[0', 'm')).toBe('ab');
    expect(strip('x\x1b]0;ti', 'tle\x07y')).toBe('xy');
    const p = new PlainText();
    expect(p.push('ok\x1b[')).toBe('ok');
    expect(p.push('1mgo')).toBe('go');
  });

  it('gives up on an escape that never ends, so nothing is held without bound', () => {
    const long = 'x'.repeat(5000);
    expect(strip('\x1b]' + long, 'y')).toBe(long + 'y');
  });
});
