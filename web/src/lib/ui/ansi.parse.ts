// ANSI escape sequences → styled text spans. Pure and incremental: a sequence cut in two by a
// chunk boundary is kept in `pending` and finished by the next call. Output is text, never HTML.

export interface AnsiStyle {
  readonly fg: string | null;
  readonly bg: string | null;
  readonly bold: boolean;
  readonly dim: boolean;
  readonly italic: boolean;
  readonly underline: boolean;
  readonly inverse: boolean;
  readonly strike: boolean;
}

export interface AnsiSpan {
  text: string;
  style: AnsiStyle;
}

export interface AnsiState {
  style: AnsiStyle;
  /** the start of an escape sequence that the input ended inside */
  pending: string;
}

export const PLAIN: AnsiStyle = Object.freeze({
  fg: null,
  bg: null,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  inverse: false,
  strike: false,
});

export const INITIAL_ANSI: AnsiState = Object.freeze({ style: PLAIN, pending: '' });

const MAX_PENDING = 64;
// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), any other two-byte escape, or stray control bytes
const TOKEN =
  /\x1b\[([0-?]*)([ -/]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -~]?|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;
const UNFINISHED = /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?)?$/;

/** A palette index (0–255) as a CSS colour; the 16 basic ones follow the theme's variables. */
export function paletteColor(n: number): string | null {
  if (!Number.isInteger(n) || n < 0 || n > 255) return null;
  if (n < 16) return `var(--ansi-${n})`;
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v}, ${v}, ${v})`;
  }
  const i = n - 16;
  const level = (c: number) => (c === 0 ? 0 : 55 + c * 40);
  return `rgb(${level(Math.floor(i / 36))}, ${level(Math.floor(i / 6) % 6)}, ${level(i % 6)})`;
}

/** Applies one SGR parameter list (`1;31`, `38;5;208`, `38;2;255;0;0`) to a style. */
export function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  let s: AnsiStyle = style;
  const set = (patch: Partial<AnsiStyle>) => (s = { ...s, ...patch });
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) s = PLAIN;
    else if (c === 1) set({ bold: true });
    else if (c === 2) set({ dim: true });
    else if (c === 3) set({ italic: true });
    else if (c === 4) set({ underline: true });
    else if (c === 7) set({ inverse: true });
    else if (c === 9) set({ strike: true });
    else if (c === 22) set({ bold: false, dim: false });
    else if (c === 23) set({ italic: false });
    else if (c === 24) set({ underline: false });
    else if (c === 27) set({ inverse: false });
    else if (c === 29) set({ strike: false });
    else if (c >= 30 && c <= 37) set({ fg: paletteColor(c - 30) });
    else if (c >= 90 && c <= 97) set({ fg: paletteColor(c - 90 + 8) });
    else if (c >= 40 && c <= 47) set({ bg: paletteColor(c - 40) });
    else if (c >= 100 && c <= 107) set({ bg: paletteColor(c - 100 + 8) });
    else if (c === 39) set({ fg: null });
    else if (c === 49) set({ bg: null });
    else if (c === 38 || c === 48) {
      const key = c === 38 ? 'fg' : 'bg';
      if (codes[i + 1] === 5) {
        set({ [key]: paletteColor(codes[i + 2]) });
        i += 2;
      } else if (codes[i + 1] === 2) {
        const [r, g, b] = codes.slice(i + 2, i + 5).map((v) => Math.max(0, Math.min(255, v || 0)));
        set({ [key]: `rgb(${r}, ${g}, ${b})` });
        i += 4;
      }
    }
  }
  return s;
}

/** Splits `input` into styled spans; escape sequences are consumed, never shown. */
export function parseAnsi(
  input: string,
  state: AnsiState = INITIAL_ANSI,
): { spans: AnsiSpan[]; state: AnsiState } {
  let text = state.pending + input;
  let pending = '';
  const tail = UNFINISHED.exec(text);
  if (tail && tail[0].length <= MAX_PENDING) {
    pending = tail[0];
    text = text.slice(0, tail.index);
  }
  const spans: AnsiSpan[] = [];
  let style = state.style;
  let last = 0;
  const push = (to: number) => {
    if (to > last) {
      const piece = text.slice(last, to);
      const prev = spans[spans.length - 1];
      if (prev && prev.style === style) prev.text += piece;
      else spans.push({ text: piece, style });
    }
  };
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    push(m.index);
    if (m[3] === 'm' && m[2] === '') style = applySgr(style, m[1]);
    last = m.index + m[0].length;
  }
  push(text.length);
  return { spans, state: { style, pending } };
}
