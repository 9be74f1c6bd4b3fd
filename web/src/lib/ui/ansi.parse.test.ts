import { describe, expect, it } from 'vitest';
import { INITIAL_ANSI, paletteColor, parseAnsi, PLAIN } from './ansi.parse';

const texts = (input: string) => parseAnsi(input).spans.map((s) => s.text);

describe('parseAnsi', () => {
  it('returns plain text as one unstyled span', () => {
    const { spans, state } = parseAnsi('hello <b>world</b>');
    expect(spans).toEqual([{ text: 'hello <b>world</b>', style: PLAIN }]);
    expect(state).toEqual(INITIAL_ANSI);
  });

  it('styles basic, bright, 256 and true colours', () => {
    const { spans } = parseAnsi(
      '\x1b[31mred\x1b[0m \x1b[1;92mok\x1b[38;5;208m or\x1b[48;2;1;2;3mbg\x1b[m!',
    );
    expect(spans.map((s) => s.text)).toEqual(['red', ' ', 'ok', ' or', 'bg', '!']);
    expect(spans[0].style.fg).toBe('var(--ansi-1)');
    expect(spans[1].style).toBe(PLAIN);
    expect(spans[2].style).toMatchObject({ bold: true, fg: 'var(--ansi-10)' });
    expect(spans[3].style.fg).toBe(paletteColor(208));
    expect(spans[4].style).toMatchObject({ bg: 'rgb(1, 2, 3)', bold: true });
    expect(spans[5].style).toBe(PLAIN);
  });

  it('turns attributes off one at a time', () => {
    const { spans } = parseAnsi('\x1b[1;4;3mA\x1b[22mB\x1b[24;23mC\x1b[39mD');
    expect(spans[1].style).toMatchObject({ bold: false, underline: true, italic: true });
    expect(spans[2].style).toMatchObject({ underline: false, italic: false });
  });

  it('carries style and an unfinished sequence into the next chunk', () => {
    const a = parseAnsi('before\x1b[3');
    expect(a.spans.map((s) => s.text)).toEqual(['before']);
    expect(a.state.pending).toBe('\x1b[3');
    const b = parseAnsi('2mgreen', a.state);
    expect(b.spans).toEqual([
      { text: 'green', style: expect.objectContaining({ fg: 'var(--ansi-2)' }) },
    ]);
    const c = parseAnsi(' still', b.state);
    expect(c.spans[0].style.fg).toBe('var(--ansi-2)');
  });

  it('drops cursor moves, erase-line, OSC titles and stray control bytes', () => {
    expect(texts('a\x1b[2Kb\x1b[1Gc\x1b]0;title\x07d\x07e\x08f\x1b=g')).toEqual(['abcdefg']);
  });

  it('keeps newlines, carriage returns and tabs for the line splitter', () => {
    expect(texts('a\tb\r\nc\n')).toEqual(['a\tb\r\nc\n']);
  });

  it('gives up on an endless unfinished sequence instead of buffering forever', () => {
    const long = '\x1b]' + 'x'.repeat(200);
    expect(parseAnsi(long).state.pending).toBe('');
  });

  it('maps the palette', () => {
    expect(paletteColor(7)).toBe('var(--ansi-7)');
    expect(paletteColor(16)).toBe('rgb(0, 0, 0)');
    expect(paletteColor(231)).toBe('rgb(255, 255, 255)');
    expect(paletteColor(232)).toBe('rgb(8, 8, 8)');
    expect(paletteColor(999)).toBeNull();
  });
});
