import { describe, expect, it } from 'vitest';
import { LineSplitter, type SplitLine } from './log.lines.js';

/** Every line of `data`, pushed in pieces of `size` bytes (1 makes every line partial at first). */
function split(data: Buffer, size: number, max = 16): SplitLine[] {
  const s = new LineSplitter(max);
  const out: SplitLine[] = [];
  for (let at = 0; at < data.length; at += size)
    out.push(...s.push(data.subarray(at, at + size), at));
  return out;
}

describe('LineSplitter', () => {
  const data = Buffer.concat([
    Buffer.from('plain\r\nexactly sixteen!\nsixteen + CR .\r\n'),
    Buffer.from('seventeen bytes!!\n'), // one past the cap: cut and marked
    Buffer.from('héllo €uro 😀 and on and on\n'), // cut inside the cap on a character boundary
    Buffer.from([0x62, 0xff, 0x61, 0x64, 0x0a]), // invalid UTF-8
    Buffer.from('\n\r\nlast'), // empty lines, then an unfinished one
  ]);

  it('gives the same lines whether a line arrives whole or byte by byte', () => {
    const whole = split(data, data.length);
    for (const size of [1, 2, 3, 7]) expect(split(data, size)).toEqual(whole);
  });

  it('strips one CR, cuts at the cap on a character boundary, marks the cut, and replaces invalid bytes', () => {
    expect(split(data, data.length)).toEqual([
      { text: 'plain', truncated: false, end: 7 },
      { text: 'exactly sixteen!', truncated: false, end: 24 },
      { text: 'sixteen + CR .', truncated: false, end: 40 },
      { text: 'seventeen bytes!', truncated: true, end: 58 },
      {
        text: 'héllo €uro ',
        truncated: true,
        end: 58 + Buffer.byteLength('héllo €uro 😀 and on and on\n'),
      },
      { text: 'b\uFFFDad', truncated: false, end: 96 },
      { text: '', truncated: false, end: 97 },
      { text: '', truncated: false, end: 99 },
    ]);
  });
});
