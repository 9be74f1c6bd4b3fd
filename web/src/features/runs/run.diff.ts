// Two runs' outputs line by line (jsdiff), with long unchanged stretches folded to a count.
import { diffLines } from 'diff';

/** Each output is diffed up to this much: the diff of two huge outputs would freeze the tab. */
export const DIFF_MAX_BYTES = 2 * 1024 * 1024;
/** Unchanged lines kept on each side of a change. */
export const CONTEXT = 3;

export type DiffRow =
  | { kind: 'same' | 'added' | 'removed'; text: string }
  | { kind: 'fold'; count: number; lines: string[] };

export interface DiffSummary {
  added: number;
  removed: number;
}

const split = (value: string): string[] => {
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop(); // the part's own last newline ends a line, it starts none
  return lines;
};

/** Rows of the line diff of `a` (older) to `b`; unchanged stretches longer than 2×context folded. */
export function diffRows(a: string, b: string, context = CONTEXT): DiffRow[] {
  const parts = diffLines(a, b);
  const rows: DiffRow[] = [];
  parts.forEach((part, i) => {
    const lines = split(part.value);
    if (part.added || part.removed) {
      const kind = part.added ? 'added' : 'removed';
      for (const text of lines) rows.push({ kind, text });
      return;
    }
    rows.push(...foldSame(lines, context, i > 0, i < parts.length - 1));
  });
  return rows;
}

/** An unchanged stretch: `context` lines kept next to a change before and after it, the rest one fold. */
export function foldSame(
  lines: string[],
  context: number,
  changeBefore: boolean,
  changeAfter: boolean,
): DiffRow[] {
  const head = changeBefore ? context : 0;
  const tail = changeAfter ? context : 0;
  const same = (text: string): DiffRow => ({ kind: 'same', text });
  if (lines.length <= head + tail + 1) return lines.map(same);
  const folded = lines.slice(head, lines.length - tail);
  return [
    ...lines.slice(0, head).map(same),
    { kind: 'fold', count: folded.length, lines: folded },
    ...lines.slice(lines.length - tail).map(same),
  ];
}

export function summary(rows: DiffRow[]): DiffSummary {
  let added = 0;
  let removed = 0;
  for (const r of rows) {
    if (r.kind === 'added') added++;
    else if (r.kind === 'removed') removed++;
  }
  return { added, removed };
}

/** A stored output as plain text (no colour codes), at most DIFF_MAX_BYTES of it, cut at a line end. */
export async function fetchOutput(
  runId: string,
  max = DIFF_MAX_BYTES,
): Promise<{ text: string; cut: boolean }> {
  const res = await fetch(`/runs/${encodeURIComponent(runId)}/output.txt?plain=1`, {
    credentials: 'same-origin',
  });
  if (!res.ok || !res.body) throw new Error(`The output could not be read (HTTP ${res.status}).`);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let cut = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.length > max) {
      chunks.push(value.subarray(0, max - size));
      cut = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.length;
  }
  const text = new TextDecoder().decode(concat(chunks));
  return { text: cut ? text.slice(0, text.lastIndexOf('\n') + 1) : text, cut };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
