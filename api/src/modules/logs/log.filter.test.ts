import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../errors.js';
import { decodeCursor, encodeCursor, InvalidCursorError } from './log.cursor.js';
import { compileFilter, InvalidFilterError } from './log.filter.js';

describe('compileFilter', () => {
  it('is a plain, case-sensitive substring by default (slashes included)', () => {
    const f = compileFilter('GET /api')!;
    expect(f('x GET /api/v1')).toBe(true);
    expect(f('get /api')).toBe(false);
    expect(compileFilter('/var/log')!('open /var/log/syslog')).toBe(true);
    expect(compileFilter('a.*b')!('a.*b literally')).toBe(true);
    expect(compileFilter('')).toBeNull();
    expect(compileFilter(undefined)).toBeNull();
  });

  it('is a regular expression when written /.../ or /.../i', () => {
    expect(compileFilter('/time(out)? \\d{1,5}ms/')!('timeout 250ms')).toBe(true);
    expect(compileFilter('/^error/i')!('ERROR: x')).toBe(true);
    expect(compileFilter('/^error/')!('ERROR: x')).toBe(false);
    expect(compileFilter('/(?:GET|POST) \\/api/')!('POST /api')).toBe(true);
    expect(compileFilter('/a/g')!('has /a/g in it')).toBe(true); // other flags: plain text
  });

  it.each([
    ['/(x)\\1/', /backreferences.*linear time/],
    ['/(?<q>x)\\k<q>/', /backreferences/],
    ['/foo(?=bar)/', /lookahead/],
    ['/foo(?!bar)/', /lookahead/],
    ['/(?<!x)y/', /lookahead and lookbehind/],
    ['/(?<=x)y/', /lookahead and lookbehind/],
    ['/a{1,5000}/', /too large/],
    ['/[unclosed/', /Unterminated character class/],
    ['/a[]b/', /`\[\]` and `\[\^\]` are not supported/],
    ['/a[^]b/', /not supported/],
    [`/${'a'.repeat(201)}/`, /at most 200/],
    [`${'a'.repeat(1001)}`, /at most 1000/],
  ])('refuses %s with an actionable message', (input, message) => {
    let error: unknown;
    try {
      compileFilter(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidFilterError);
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as InvalidFilterError).code).toBe('BAD_USER_INPUT');
    expect((error as Error).message).toMatch(message);
  });

  it('runs the shapes that make backtracking engines stall on a 64 KiB line, and answers', () => {
    // native RegExp needs 2.5 s for /.*a.*x/ on 2 KiB and 20 s on 4 KiB (measured): hours at 64 KiB;
    // RE2 runs each in time linear in the line, so the test ends (vitest's timeout is the bound)
    const line = 'a'.repeat(65536);
    for (const pattern of [
      '/.*a.*x/',
      '/.*a.*a.*x/',
      '/\\w+\\s?\\w+@/i',
      '/(a+)+$/',
      '/(a|aa)*b/',
      '/^(\\w+\\s?)*$/',
      '/(a*)*x/',
    ])
      expect(compileFilter(pattern)!(`${line}!`), pattern).toBe(false);
    expect(compileFilter('/(a+)+$/')!(line)).toBe(true);
  });

  it('finds plain text in raw bytes unless it holds U+FFFD (the text has it where bytes were invalid)', () => {
    expect(compileFilter('héllo')!.bytes).toEqual({ literal: Buffer.from('héllo') });
    expect(compileFilter('a\uFFFDb')!.bytes).toBeUndefined();
    expect(compileFilter('a\uD800b')!.bytes).toBeUndefined(); // a lone surrogate: no text has one
    expect(compileFilter('a\uD800b')!('a\uFFFDb')).toBe(false);
    expect(compileFilter('/x/')!.bytes).toHaveProperty('regex');
  });

  it('agrees with JavaScript RegExp on what matches (RE2 differs on rare characters: `.` matches U+2028, `\\s` is ASCII)', () => {
    const patterns = [
      '^GET /api',
      'error|warn(ing)?$',
      'time(?:out)? \\d{1,5}ms',
      '[a-f0-9]{8}-',
      '^\\s*$',
      '\\bid=\\d+\\b',
      '[^a-z ]',
      'x{2,}',
      'a.c',
      '\\.log$',
      '[\\]\\\\-]',
      'ÄÖ',
      '(?<word>ab)c',
      '\\Bb',
      'é+',
    ];
    const inputs = [
      'GET /api/v1',
      'an error',
      'warning',
      'WARN',
      'timeout 250ms',
      'time 3ms',
      'deadbeef-1',
      '   ',
      '',
      'id=42 ok',
      'lowercase only',
      'xx',
      'x',
      'abc',
      'app.log',
      'a]b',
      'a\\b',
      'a-b',
      'äö ÄÖ',
      'abc',
      'abab',
      'cafééé',
    ];
    for (const p of patterns) {
      for (const flags of ['', 'i']) {
        const ours = compileFilter(`/${p}/${flags}`)!;
        const native = new RegExp(p, flags);
        for (const input of inputs)
          expect(ours(input), `/${p}/${flags} on ${JSON.stringify(input)}`).toBe(
            native.test(input),
          );
      }
    }
  });
});

describe('cursors', () => {
  it('round-trip as opaque base64url', () => {
    const s = encodeCursor({ ino: 1234567, offset: 9_007_199_254_740_991 });
    expect(s).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(s)).toEqual({ ino: 1234567, offset: 9_007_199_254_740_991 });
  });

  it('carry the file birth time when there is one', () => {
    const cursor = { ino: 12, offset: 34, born: 1_795_618_151_964_065 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(encodeCursor({ ino: 12, offset: 34 }))).toEqual({ ino: 12, offset: 34 });
  });

  it('keeps inode numbers above 2^53 stable (they arrive rounded from fs.Stats)', () => {
    const ino = 2 ** 63 + 2 ** 12;
    expect(decodeCursor(encodeCursor({ ino, offset: 7 }))).toEqual({ ino, offset: 7 });
  });

  it.each([
    '',
    'not a cursor!',
    Buffer.from('l1.1').toString('base64url'),
    Buffer.from('l1.1.-2').toString('base64url'),
    Buffer.from('l1.1.99999999999999999').toString('base64url'),
    'A'.repeat(100),
  ])('refuses %j with a typed error', (value) => {
    expect(() => decodeCursor(value)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(value)).toThrow(/Invalid log cursor/);
  });
});
