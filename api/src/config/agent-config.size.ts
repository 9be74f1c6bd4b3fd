// A size in agent.yaml: an integer of bytes, or a number with a unit (`512MiB`, `5GiB`, `10GB`).
import { z } from 'zod';

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
};
const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?$/i;
/** far beyond any disk, and still an exact integer in a double */
const MAX_BYTES = 2 ** 50;
export const MIB = 2 ** 20;

/** Bytes from `512MiB`, `5GiB`, `10GB` or `1048576`; null when the text is not a size. */
export function parseSize(text: string): number | null {
  const m = SIZE_RE.exec(text.trim());
  if (!m) return null;
  const bytes = Number(m[1]) * UNITS[(m[2] ?? 'B').toUpperCase()]!;
  return Number.isFinite(bytes) ? Math.floor(bytes) : null;
}

/** `5 GiB`, `512 MiB`, `1000 B`: the largest binary unit that gives a whole-ish figure. */
export function formatSize(bytes: number): string {
  for (const unit of ['TiB', 'GiB', 'MiB', 'KiB'] as const) {
    const n = bytes / UNITS[unit.toUpperCase()]!;
    if (n >= 1) return `${Number.isInteger(n) ? n : n.toFixed(1)} ${unit}`;
  }
  return `${bytes} B`;
}

/** A size from `min` (default 1 MiB) to `max` bytes; the message names the accepted forms. */
export const sizeSchema = (min = MIB, max = MAX_BYTES) =>
  z
    .union([z.number(), z.string()], {
      error: 'must be a size: bytes as an integer, or a number with a unit like 512MiB, 5GiB, 10GB',
    })
    .transform((v, ctx) => {
      const bytes = typeof v === 'number' ? (Number.isInteger(v) ? v : null) : parseSize(v);
      if (bytes === null) {
        ctx.addIssue({
          code: 'custom',
          message: `"${String(v).slice(0, 40)}" is not a size: write bytes as an integer, or a number with a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB) like 512MiB`,
        });
        return z.NEVER;
      }
      if (bytes < min || bytes > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be between ${formatSize(min)} and ${formatSize(max)} (got ${bytes} bytes)`,
        });
        return z.NEVER;
      }
      return bytes;
    });
