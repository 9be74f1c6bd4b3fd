// A small regular-expression matcher that runs in time linear in the line (Thompson NFA, Pike VM):
// no backtracking, so no input can stall it, whatever the pattern. Used for user log filters.
import {
  isWord,
  MAX_PROGRAM,
  Parser,
  RegexSyntaxError,
  type Node,
  type Pred,
} from './log.regex-syntax.js';

export { RegexSyntaxError };

type Instr =
  | { op: 'char'; p: Pred }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; kind: 'bol' | 'eol' | 'wordb' | 'nwordb' }
  | { op: 'match' };

/** Compiles `source` (JS syntax subset) into a boolean "does the line contain a match" test. */
export function compileLinearRegex(source: string, ignoreCase: boolean): (text: string) => boolean {
  const parser = new Parser(source, ignoreCase);
  const prog: Instr[] = [];
  emit(parser.parse(), prog);
  prog.push({ op: 'match' });
  return (text) => run(prog, text);
}

function emit(node: Node, prog: Instr[]): void {
  if (prog.length > MAX_PROGRAM)
    throw new RegexSyntaxError('expression too large once its repetitions are expanded');
  switch (node.t) {
    case 'char':
      prog.push({ op: 'char', p: node.p });
      return;
    case 'cat':
      for (const item of node.items) emit(item, prog);
      return;
    case 'alt': {
      const jumps: Instr[] = [];
      node.items.forEach((item, k) => {
        const split: Instr = { op: 'split', x: prog.length + 1, y: -1 };
        if (k < node.items.length - 1) prog.push(split);
        emit(item, prog);
        if (k < node.items.length - 1) {
          const jmp: Instr = { op: 'jmp', x: -1 };
          prog.push(jmp);
          jumps.push(jmp);
          split.y = prog.length;
        }
      });
      for (const j of jumps) if (j.op === 'jmp') j.x = prog.length;
      return;
    }
    case 'rep': {
      for (let k = 0; k < node.min; k++) emit(node.node, prog);
      if (node.max === Infinity) {
        const split: Instr = { op: 'split', x: prog.length + 1, y: -1 };
        const loop = prog.length;
        prog.push(split);
        emit(node.node, prog);
        prog.push({ op: 'jmp', x: loop });
        split.y = prog.length;
        return;
      }
      const splits: Instr[] = [];
      for (let k = node.min; k < node.max; k++) {
        const split: Instr = { op: 'split', x: prog.length + 1, y: -1 };
        prog.push(split);
        splits.push(split);
        emit(node.node, prog);
      }
      for (const s of splits) if (s.op === 'split') s.y = prog.length;
      return;
    }
    default:
      prog.push({ op: 'assert', kind: node.t });
  }
}

/** Pike VM: all NFA threads advance together, one step per character; true at the first match. */
function run(prog: Instr[], text: string): boolean {
  const n = text.length;
  let clist = new Int32Array(prog.length);
  let nlist = new Int32Array(prog.length);
  const mark = new Uint32Array(prog.length);
  let gen = 0;
  let ccount = 0;
  let ncount = 0;
  const stack: number[] = [];
  const word = (pos: number): boolean => pos >= 0 && pos < n && isWord(text.charCodeAt(pos));

  // adds pc and everything reachable from it without consuming a character; true if that reaches a match
  const add = (list: Int32Array, count: number, start: number, pos: number): number => {
    stack.push(start);
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      const ins = prog[pc];
      if (ins.op === 'jmp') stack.push(ins.x);
      else if (ins.op === 'split') stack.push(ins.y, ins.x);
      else if (ins.op === 'assert') {
        const ok =
          ins.kind === 'bol'
            ? pos === 0
            : ins.kind === 'eol'
              ? pos === n
              : (word(pos - 1) !== word(pos)) === (ins.kind === 'wordb');
        if (ok) stack.push(pc + 1);
      } else if (ins.op === 'match') {
        stack.length = 0;
        return -1;
      } else list[count++] = pc;
    }
    return count;
  };

  gen++;
  for (let pos = 0; ; pos++) {
    ccount = add(clist, ccount, 0, pos); // a new attempt may start at every position (unanchored)
    if (ccount < 0) return true;
    if (pos >= n) return false;
    const c = text.charCodeAt(pos);
    gen++;
    ncount = 0;
    for (let k = 0; k < ccount; k++) {
      const ins = prog[clist[k]];
      if (ins.op === 'char' && ins.p(c)) {
        ncount = add(nlist, ncount, clist[k] + 1, pos + 1);
        if (ncount < 0) return true;
      }
    }
    [clist, nlist] = [nlist, clist];
    ccount = ncount;
  }
}
