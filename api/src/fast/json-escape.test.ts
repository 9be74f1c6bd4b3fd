import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generated, GENERATED } from '../../scripts/wasm.js';
import { escapesInWasm, jsonStringBytes } from './json-escape.js';

const expected = (text: string) => Buffer.from(JSON.stringify(text));
const same = (text: string) =>
  expect(jsonStringBytes(text).equals(expected(text)), JSON.stringify(text.slice(0, 80))).toBe(
    true,
  );

// every byte value, and text whose UTF-8 has bytes above 0x7f (which are never escaped)
const PALETTE = [
  ...Array.from({ length: 0x80 }, (_, c) => String.fromCharCode(c)),
  'é',
  'ÿ',
  '✓',
  '😀',
  '\u2028',
  '\u2029',
  '\u007f',
];

/** Deterministic pseudo-random text: the same cases every run. */
function text(seed: number, length: number, pool = PALETTE): string {
  let x = seed * 2654435761 || 1;
  let s = '';
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    s += pool[(x >>> 0) % pool.length];
  }
  return s;
}

describe('jsonStringBytes', () => {
  it('runs in WebAssembly on this Node (the fallback would hide a broken module)', () => {
    expect(escapesInWasm).toBe(true);
  });

  it('every character below 0x80 alone, and at every position of a 16-byte block', () => {
    for (let c = 0; c < 0x80; c++) {
      const ch = String.fromCharCode(c);
      same(ch);
      for (let at = 0; at < 40; at++) same('a'.repeat(at) + ch + 'b'.repeat(40 - at));
    }
  });

  it('random text of every length up to 300, and long runs: byte for byte what JSON.stringify gives', () => {
    for (let length = 0; length <= 300; length++) same(text(length + 1, length));
    for (let seed = 1; seed <= 20; seed++) same(text(seed, 70_000));
    same(text(7, 70_000, ['x', 'y', 'z', '\n'])); // mostly clean blocks
    same('x'.repeat(65_536)); // nothing to escape at all
    same('\u0001'.repeat(65_536)); // every byte grows sixfold
  });

  it('a lone surrogate stays an escape, as JSON.stringify writes it', () => {
    for (const s of ['\ud800', 'ab\udfffcd', 'x'.repeat(40_000) + '\ud83d'.repeat(3)]) same(s);
  });

  it("text past the module's limit, and then short text again (memory reused, nothing left over)", () => {
    same(text(3, 1_100_000));
    same('"'.repeat(1_000_000)); // 2 MB escaped in the module
    same('short "one"\n');
    same('');
  });

  it('the module in json-escape.wasm.ts is the one json-escape.wat compiles to (npm run wasm -w api)', async () => {
    expect(readFileSync(GENERATED, 'utf8')).toBe(await generated());
  });
});
