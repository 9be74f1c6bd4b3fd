import { describe, expect, it } from 'vitest';
import { lastLines, TAIL_MAX_BYTES } from './explain.tail.js';

describe('lastLines', () => {
  it('keeps a short output whole', () => {
    expect(lastLines('a\nb\n', TAIL_MAX_BYTES)).toEqual({ text: 'a\nb\n', cut: false });
  });

  it('keeps only whole lines at the end, within the byte budget', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const { text: tail, cut } = lastLines(text, TAIL_MAX_BYTES);
    expect(cut).toBe(true);
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(TAIL_MAX_BYTES);
    expect(tail.endsWith('line 4999\n')).toBe(true);
    expect(tail.split('\n')[0]).toMatch(/^line \d+$/);
    expect(text.endsWith(tail)).toBe(true);
  });

  it('drops a first line cut by the read window, and never starts inside a character', () => {
    expect(lastLines('rt of a line\nwhole\n', 100, true).text).toBe('whole\n');
    const tail = lastLines('é'.repeat(20), 7).text;
    expect(tail).toBe('ééé');
  });

  it('cuts one line longer than the budget rather than sending nothing', () => {
    const { text } = lastLines('x'.repeat(100), 10);
    expect(text).toBe('x'.repeat(10));
  });
});
