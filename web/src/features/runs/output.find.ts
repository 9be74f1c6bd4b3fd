// Find in output: case-insensitive plain-text matches over the lines, and a line's spans split so
// the matches can be marked. Pure; a line's lowered text is cached per line object (lines are
// immutable, so a changed line is a new object).
import { lineText, type OutputLine, type OutputSpan } from './output.reducer';

export interface Match {
  /** index of the line in the list */
  line: number;
  /** offset of the match in the line's text */
  at: number;
}

export interface MarkedSpan extends OutputSpan {
  /** 0: not a match; 1: a match; 2: the current match */
  mark: 0 | 1 | 2;
}

const lowered = new WeakMap<OutputLine, string>();
function lowerText(line: OutputLine): string {
  let text = lowered.get(line);
  if (text === undefined) lowered.set(line, (text = lineText(line).toLowerCase()));
  return text;
}

function offsets(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length))
    found.push(i);
  return found;
}

/** Every match of `query` (case-insensitive, not overlapping), in line order. */
export function findMatches(lines: readonly OutputLine[], query: string): Match[] {
  const needle = query.toLowerCase();
  if (!needle) return [];
  const matches: Match[] = [];
  for (let i = 0; i < lines.length; i++)
    for (const at of offsets(lowerText(lines[i]), needle)) matches.push({ line: i, at });
  return matches;
}

/** The line's spans cut at the matches of `query`; `currentAt` marks the current one. */
export function markLine(
  line: OutputLine,
  query: string,
  currentAt: number | null,
): readonly MarkedSpan[] {
  const needle = query.toLowerCase();
  const found = needle ? offsets(lowerText(line), needle) : [];
  if (!found.length) return line.spans.map((s) => ({ ...s, mark: 0 }));
  const out: MarkedSpan[] = [];
  let pos = 0;
  for (const span of line.spans) {
    const from = pos;
    pos += span.text.length;
    let cut = from;
    for (const at of found) {
      const a = Math.max(at, from);
      const b = Math.min(at + needle.length, pos);
      if (a >= b) continue;
      if (a > cut) out.push({ ...span, text: span.text.slice(cut - from, a - from), mark: 0 });
      out.push({
        ...span,
        text: span.text.slice(a - from, b - from),
        mark: at === currentAt ? 2 : 1,
      });
      cut = b;
    }
    if (cut < pos) out.push({ ...span, text: span.text.slice(cut - from), mark: 0 });
  }
  return out;
}
