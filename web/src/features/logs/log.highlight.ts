// Where the applied filter matches in a line, and the line's ANSI spans cut at those places so
// the matches can be drawn as <mark>. Pure; the text stays text.
import type { AnsiSpan, AnsiStyle } from '../../lib/ui/ansi.parse';

export type Range = readonly [start: number, end: number];
export type Matcher = (text: string) => Range[];

export interface Segment {
  text: string;
  style: AnsiStyle;
  mark: boolean;
}

// the server's filter syntax: /regex/ with only an optional i flag; anything else is plain text
const REGEX_FORM = /^\/(.+)\/(i?)$/s;
// a line has at most 64 KiB; past this many marks the rest of it is left plain
const MAX_MARKS = 200;

/** The matcher for a filter as the server reads it, or null for no filter (or one JS refuses). */
export function compileHighlight(filter: string): Matcher | null {
  if (filter === '') return null;
  const regex = REGEX_FORM.exec(filter);
  if (!regex) {
    return (text) => {
      const out: Range[] = [];
      for (let at = text.indexOf(filter); at >= 0 && out.length < MAX_MARKS;) {
        out.push([at, at + filter.length]);
        at = text.indexOf(filter, at + filter.length);
      }
      return out;
    };
  }
  let re: RegExp;
  try {
    re = new RegExp(regex[1], `g${regex[2]}`);
  } catch {
    return null; // the server refuses it too, and says why
  }
  return (text) => {
    const out: Range[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m && out.length < MAX_MARKS; m = re.exec(text)) {
      if (m[0] === '')
        re.lastIndex++; // an empty match marks nothing; step past it
      else out.push([m.index, m.index + m[0].length]);
    }
    return out;
  };
}

/** Cuts spans at the ranges' edges; `ranges` are sorted and do not overlap. */
export function markSpans(spans: readonly AnsiSpan[], ranges: readonly Range[]): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  let r = 0;
  for (const span of spans) {
    const end = pos + span.text.length;
    let at = pos;
    while (at < end) {
      while (r < ranges.length && ranges[r][1] <= at) r++;
      const range = ranges[r];
      const inside = range !== undefined && range[0] <= at;
      const stop = Math.min(end, range === undefined ? end : inside ? range[1] : range[0]);
      out.push({ text: span.text.slice(at - pos, stop - pos), style: span.style, mark: inside });
      at = stop;
    }
    pos = end;
  }
  return out;
}
