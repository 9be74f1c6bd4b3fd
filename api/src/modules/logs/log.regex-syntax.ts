// Parsing the regular-expression subset our linear matcher runs (JavaScript syntax, no backtracking features).

export type Pred = (c: number) => boolean;
export type Node =
  | { t: 'char'; p: Pred }
  | { t: 'cat' | 'alt'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'bol' | 'eol' | 'wordb' | 'nwordb' };
export class RegexSyntaxError extends Error {}

export const MAX_PROGRAM = 500; // bounds the work per character: ~0.5 s for a 64 KiB line at worst
export const isWord: Pred = (c) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit: Pred = (c) => c >= 48 && c <= 57;
const SPACES = new Set([
  9, 10, 11, 12, 13, 32, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
]);
const isSpace: Pred = (c) => SPACES.has(c) || (c >= 0x2000 && c <= 0x200a);
const isLineEnd: Pred = (c) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
const CLASS_ESCAPES: Record<string, Pred> = {
  d: isDigit,
  D: (c) => !isDigit(c),
  w: isWord,
  W: (c) => !isWord(c),
  s: isSpace,
  S: (c) => !isSpace(c),
};
const CHAR_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13, '0': 0 };

export class Parser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly fold: boolean,
  ) {}

  parse(): Node {
    const node = this.alt();
    if (this.i < this.s.length) throw new RegexSyntaxError(`unmatched ")" at position ${this.i}`);
    return node;
  }

  private alt(): Node {
    const items = [this.cat()];
    while (this.s[this.i] === '|') {
      this.i++;
      items.push(this.cat());
    }
    return items.length === 1 ? items[0] : { t: 'alt', items };
  }

  private cat(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')')
      items.push(this.repeat(this.atom()));
    return { t: 'cat', items };
  }

  private repeat(node: Node): Node {
    const m = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})\??/.exec(this.s.slice(this.i)); // a lazy `?` changes nothing for a yes/no test
    if (!m) return node;
    if (node.t !== 'char' && node.t !== 'cat' && node.t !== 'alt')
      throw new RegexSyntaxError('nothing to repeat');
    if (holdsRepeatOrAlt(node)) {
      throw new RegexSyntaxError(
        'a repeated group may not contain another repetition or `|` (nested quantifiers); simplify it, e.g. `(ab)+` instead of `(a+b)+`',
      );
    }
    this.i += m[0].length;
    const min = m[1] === '+' ? 1 : m[1] ? 0 : Number(m[2]);
    const max =
      m[1] === '?'
        ? 1
        : m[1]
          ? Infinity
          : m[3] === undefined
            ? min
            : m[4] === ''
              ? Infinity
              : Number(m[4]);
    if (max < min) throw new RegexSyntaxError('numbers out of order in {} quantifier');
    if (min > MAX_PROGRAM || (max !== Infinity && max > MAX_PROGRAM))
      throw new RegexSyntaxError('repetition count too large');
    return { t: 'rep', node, min, max };
  }

  private atom(): Node {
    const c = this.s[this.i++];
    if (c === '(') {
      if (this.s.startsWith('?:', this.i)) this.i += 2;
      else if (/^\?<[A-Za-z_$][\w$]*>/.test(this.s.slice(this.i)))
        this.i = this.s.indexOf('>', this.i) + 1;
      else if (this.s[this.i] === '?')
        throw new RegexSyntaxError('lookahead and lookbehind are not supported');
      const inner = this.alt();
      if (this.s[this.i++] !== ')') throw new RegexSyntaxError('unterminated group');
      return inner.t === 'alt' ? inner : { t: 'cat', items: [inner] };
    }
    if (c === '^') return { t: 'bol' };
    if (c === '$') return { t: 'eol' };
    if (c === '.') return { t: 'char', p: (x) => !isLineEnd(x) };
    if (c === '[') return { t: 'char', p: this.klass() };
    if (c === '\\') {
      const e = this.s[this.i];
      if (e === 'b' || e === 'B') {
        this.i++;
        return { t: e === 'b' ? 'wordb' : 'nwordb' };
      }
      return { t: 'char', p: this.escape(false) };
    }
    if (c === '*' || c === '+' || c === '?' || c === ')')
      throw new RegexSyntaxError(`nothing to repeat before "${c}"`);
    return { t: 'char', p: this.literal(c.charCodeAt(0)) };
  }

  private klass(): Pred {
    const negate = this.s[this.i] === '^';
    if (negate) this.i++;
    const preds: Pred[] = [];
    while (this.s[this.i] !== ']') {
      if (this.i >= this.s.length) throw new RegexSyntaxError('unterminated character class');
      const lo = this.classAtom();
      if (
        this.s[this.i] === '-' &&
        this.s[this.i + 1] !== ']' &&
        this.i + 1 < this.s.length &&
        typeof lo === 'number'
      ) {
        this.i++;
        const hi = this.classAtom();
        if (typeof hi !== 'number' || hi < lo)
          throw new RegexSyntaxError('invalid range in character class');
        preds.push(this.literalRange(lo, hi));
      } else preds.push(typeof lo === 'number' ? this.literal(lo) : lo);
    }
    this.i++;
    return negate ? (x) => !preds.some((p) => p(x)) : (x) => preds.some((p) => p(x));
  }

  private classAtom(): number | Pred {
    const c = this.s[this.i++];
    if (c !== '\\') return c.charCodeAt(0);
    if (this.s[this.i] === 'b') {
      this.i++;
      return 8; // [\b] is backspace
    }
    return this.escape(true);
  }

  /** After a backslash: a class escape (predicate) or one character (its code, when `raw`). */
  private escape(raw: true): number | Pred;
  private escape(raw: false): Pred;
  private escape(raw: boolean): number | Pred {
    const e = this.s[this.i++];
    if (e === undefined) throw new RegexSyntaxError('\\ at end of pattern');
    if (CLASS_ESCAPES[e]) return CLASS_ESCAPES[e];
    if (/[1-9k]/.test(e))
      throw new RegexSyntaxError('backreferences (\\1, \\k<name>) are not supported');
    let code: number;
    const hex =
      e === 'x'
        ? /^[0-9a-fA-F]{2}/.exec(this.s.slice(this.i))
        : e === 'u'
          ? /^[0-9a-fA-F]{4}/.exec(this.s.slice(this.i))
          : null;
    if (hex) {
      code = parseInt(hex[0], 16);
      this.i += hex[0].length;
    } else if (e in CHAR_ESCAPES) code = CHAR_ESCAPES[e];
    else if (/[A-Za-z]/.test(e)) throw new RegexSyntaxError(`unsupported escape \\${e}`);
    else code = e.charCodeAt(0); // escaped punctuation stands for itself
    return raw ? code : this.literal(code);
  }

  private literal(code: number): Pred {
    if (!this.fold) return (x) => x === code;
    const lower = foldCase(code);
    return (x) => x === code || foldCase(x) === lower;
  }

  private literalRange(lo: number, hi: number): Pred {
    const inRange = (x: number): boolean => x >= lo && x <= hi;
    if (!this.fold) return inRange;
    return (x) => inRange(x) || inRange(lowerOf(x)) || inRange(upperOf(x));
  }
}

const lowerOf = (c: number): number => String.fromCharCode(c).toLowerCase().charCodeAt(0);
const upperOf = (c: number): number => String.fromCharCode(c).toUpperCase().charCodeAt(0);
const foldCase = (c: number): number => lowerOf(upperOf(c));

function holdsRepeatOrAlt(node: Node): boolean {
  if (node.t === 'rep' || node.t === 'alt') return true;
  return node.t === 'cat' && node.items.some(holdsRepeatOrAlt);
}
