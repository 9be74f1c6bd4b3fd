// Folds the commandOutput stream into terminal-like lines. Pure: same state + chunks → same
// result, inputs never mutated. Chunks at or below `lastSeq` are repeats (a resumed stream,
// urql's final echo) and are ignored, so resuming from `lastSeq` never shows a chunk twice.
// A chunk whose `fromSeq` is past `lastSeq + 1` follows a hole: nothing from it on is applied
// and `gap` says so, so the caller resumes from `lastSeq` and the hole is filled.
import { type AnsiState, type AnsiStyle, INITIAL_ANSI, parseAnsi } from '../../lib/ui/ansi.parse';

export type Stream = 'STDOUT' | 'STDERR';

export interface OutputChunk {
  seq: number;
  /** the first seq the chunk covers (joined chunks cover several); absent: not checked */
  fromSeq?: number;
  stream: Stream;
  data: string;
}

export interface OutputSpan {
  text: string;
  style: AnsiStyle;
  stderr: boolean;
}

export interface OutputLine {
  id: number;
  spans: readonly OutputSpan[];
}

export interface OutputState {
  /** the highest seq applied: the resume point (`afterSeq`) */
  lastSeq: number | null;
  lines: readonly OutputLine[];
  /** the last line has no newline yet */
  open: boolean;
  /** a `\r` was the last character: a following `\n` ends the line, anything else overwrites it */
  cr: boolean;
  ansi: Readonly<Record<Stream, AnsiState>>;
  nextId: number;
  /** lines removed from the front to stay under the cap */
  droppedLines: number;
  /** UTF-8 bytes of every chunk applied: the counter while the run's own figure lags */
  bytes: number;
  /** the last batch had a chunk past a hole after `lastSeq`: resume from `lastSeq` to fill it */
  gap: boolean;
}

export type OutputAction = { type: 'chunks'; chunks: readonly OutputChunk[] } | { type: 'reset' };

export const MAX_LINES = 100_000;

const utf8 = new TextEncoder();

export const INITIAL_OUTPUT: OutputState = Object.freeze({
  lastSeq: null,
  lines: [],
  open: false,
  cr: false,
  ansi: { STDOUT: INITIAL_ANSI, STDERR: INITIAL_ANSI },
  nextId: 0,
  droppedLines: 0,
  bytes: 0,
  gap: false,
});

export function outputReducer(
  state: OutputState,
  action: OutputAction,
  maxLines = MAX_LINES,
): OutputState {
  if (action.type === 'reset') return INITIAL_OUTPUT;
  const { fresh, gap } = newChunks(action.chunks, state.lastSeq);
  if (fresh.length === 0) return gap === state.gap ? state : { ...state, gap };

  const lines = state.lines.slice();
  let open = state.open;
  let cr = state.cr;
  let nextId = state.nextId;
  const ansi = { ...state.ansi };
  // the open line's spans, copied once and edited in place until the line is written back
  let draft: OutputSpan[] | null = open ? [...lines[lines.length - 1].spans] : null;

  const flush = () => {
    if (draft) lines[lines.length - 1] = { id: lines[lines.length - 1].id, spans: draft };
  };
  const openLine = () => {
    if (open && draft) return draft;
    lines.push({ id: nextId++, spans: [] });
    open = true;
    draft = [];
    return draft;
  };
  const endLine = () => {
    openLine();
    flush();
    open = false;
    draft = null;
  };
  const write = (text: string, style: AnsiStyle, stderr: boolean) => {
    const spans = openLine();
    const prev = spans[spans.length - 1];
    if (prev && prev.style === style && prev.stderr === stderr)
      spans[spans.length - 1] = { ...prev, text: prev.text + text };
    else spans.push({ text, style, stderr });
  };

  let bytes = state.bytes;
  for (const chunk of fresh) {
    bytes += utf8.encode(chunk.data).length;
    const parsed = parseAnsi(chunk.data, ansi[chunk.stream]);
    ansi[chunk.stream] = parsed.state;
    const stderr = chunk.stream === 'STDERR';
    for (const span of parsed.spans) {
      for (const piece of span.text.split(/(\r|\n)/)) {
        if (piece === '') continue;
        if (piece === '\n') {
          endLine();
          cr = false;
        } else if (piece === '\r') {
          cr = true;
        } else {
          if (cr && open && draft) draft.length = 0; // carriage return: the line is redrawn
          cr = false;
          write(piece, span.style, stderr);
        }
      }
    }
  }
  flush();

  let droppedLines = state.droppedLines;
  if (lines.length > maxLines) {
    const extra = lines.length - maxLines;
    lines.splice(0, extra);
    droppedLines += extra;
  }
  return {
    lastSeq: fresh[fresh.length - 1].seq,
    lines,
    open,
    cr,
    ansi,
    nextId,
    droppedLines,
    bytes,
    gap,
  };
}

/** Chunks after `lastSeq`, in seq order, each seq once, up to the first hole (if any). */
function newChunks(
  chunks: readonly OutputChunk[],
  lastSeq: number | null,
): { fresh: OutputChunk[]; gap: boolean } {
  const sorted = chunks
    .filter((c) => lastSeq === null || c.seq > lastSeq)
    .sort((a, b) => a.seq - b.seq);
  const fresh: OutputChunk[] = [];
  let last = lastSeq ?? 0;
  for (const c of sorted) {
    if (c.seq === last) continue; // the same seq twice in one batch
    if (c.fromSeq !== undefined && c.fromSeq > last + 1) return { fresh, gap: true };
    fresh.push(c);
    last = c.seq;
  }
  return { fresh, gap: false };
}

/** A line's visible text, for copying and tests. */
export function lineText(line: OutputLine): string {
  return line.spans.map((s) => s.text).join('');
}
