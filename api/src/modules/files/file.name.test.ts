import { describe, expect, it } from 'vitest';
import { cleanDisplayName, contentDisposition, MAX_NAME_CHARS } from './file.name.js';

describe('cleanDisplayName', () => {
  it('keeps the last path segment only', () => {
    expect(cleanDisplayName('../../x')).toBe('x');
    expect(cleanDisplayName('/etc/passwd')).toBe('passwd');
    expect(cleanDisplayName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
    expect(cleanDisplayName('dir/')).toBe('upload');
  });

  it('removes controls, NULs and bidi overrides; percent signs are just text', () => {
    expect(cleanDisplayName('a.png\u0000.js')).toBe('a.png.js');
    expect(cleanDisplayName('a.png%00.js')).toBe('a.png%00.js');
    expect(cleanDisplayName('invoice\u202Egnp.exe')).toBe('invoicegnp.exe');
    expect(cleanDisplayName('x\u2066y\u2069z\u200f\u061c')).toBe('xyz');
    expect(cleanDisplayName('line\nbreak\r\n.txt')).toBe('line break .txt');
    expect(cleanDisplayName('\ud800lone.txt')).toBe('lone.txt');
  });

  it('names of only dots or nothing become "upload"', () => {
    for (const n of ['', '.', '..', '...', '\u202E', undefined, null])
      expect(cleanDisplayName(n)).toBe('upload');
  });

  it('caps the length in characters, keeping a short extension and whole emoji', () => {
    const long = cleanDisplayName('b'.repeat(400) + '.tar.gz');
    expect([...long].length).toBe(MAX_NAME_CHARS);
    expect(long.endsWith('.gz')).toBe(true);
    const emoji = cleanDisplayName('😀'.repeat(300));
    expect([...emoji].length).toBe(MAX_NAME_CHARS);
    expect(emoji).toBe('😀'.repeat(MAX_NAME_CHARS));
  });
});

describe('contentDisposition', () => {
  it('is an attachment with an ASCII fallback and an RFC 8187 filename*', () => {
    expect(contentDisposition('report.pdf')).toBe(
      `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
    );
    expect(contentDisposition('résumé "final".txt')).toBe(
      `attachment; filename="r_sum_ _final_.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.txt`,
    );
    expect(contentDisposition("it's (1).txt")).toBe(
      `attachment; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`,
    );
    expect(contentDisposition('a;b%c\\d')).toBe(
      `attachment; filename="a_b_c_d"; filename*=UTF-8''a%3Bb%25c%5Cd`,
    );
  });
});
