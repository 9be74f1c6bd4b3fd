// A command's output checks (agent.yaml failOn/successOn/extract), fed each output line as the run
// streams and asked at its end. Patterns run on RE2 (linear time); commands without any get no checker.
import RE2 from 're2';
import type { CommandSpec } from '../../config/agent-config.types.js';
import { compileFilter, REGEX_FORM, type LineFilter } from '../logs/log.filter.js';
import type { ExtractedValue, RunStatus } from './command-run.entity.js';

/** Only this much of a line is checked (as log filters and triggers do). */
export const MAX_CHECKED_LINE = 64 * 1024;
export const MAX_RESULT_KEYS = 50;
export const MAX_RESULT_VALUE = 1000;
export const MAX_CHECK_REASON = 1000;

type Stream = 'stdout' | 'stderr';

/** How a run ends once its output is checked. */
export interface CheckVerdict {
  status: RunStatus;
  checkReason: string | null;
  extracted: ExtractedValue[] | null;
}

export class OutputChecker {
  private readonly failOn: LineFilter[];
  private readonly successOn: LineFilter[];
  private readonly extract: RE2[];
  /** the partial last line of each stream; `overlong` drops the rest of a line past the limit */
  private readonly partial: Record<Stream, { text: string; overlong: boolean }> = {
    stdout: { text: '', overlong: false },
    stderr: { text: '', overlong: false },
  };
  private failLine: string | null = null;
  private succeeded = false;
  // last match per key wins: a value printed again later (progress, a re-check) is the newer one
  private readonly values = new Map<string, string>();

  /** A checker for `spec`, or null when it has no patterns (no work at all on its output). */
  static of(spec: Pick<CommandSpec, 'failOn' | 'successOn' | 'extract'>): OutputChecker | null {
    if (!spec.failOn.length && !spec.successOn.length && !spec.extract.length) return null;
    return new OutputChecker(spec);
  }

  private constructor(
    private readonly spec: Pick<CommandSpec, 'failOn' | 'successOn' | 'extract'>,
  ) {
    // the config has compiled each already: these cannot throw
    this.failOn = spec.failOn.map((p) => compileFilter(p)!);
    this.successOn = spec.successOn.map((p) => compileFilter(p)!);
    this.extract = spec.extract.map((p) => {
      const [, source, flags] = REGEX_FORM.exec(p)!;
      return new RE2(source, `${flags}u`);
    });
  }

  /** A chunk of decoded output; whole lines are checked now, a partial one waits for its end. */
  feed(stream: Stream, data: string): void {
    const p = this.partial[stream];
    let from = 0;
    for (let nl = data.indexOf('\n'); nl >= 0; nl = data.indexOf('\n', from)) {
      this.line(p.overlong ? p.text : p.text + data.slice(from, nl));
      p.text = '';
      p.overlong = false;
      from = nl + 1;
    }
    if (p.overlong || from === data.length) return;
    p.text += data.slice(from);
    if (p.text.length > MAX_CHECKED_LINE) {
      p.text = p.text.slice(0, MAX_CHECKED_LINE);
      p.overlong = true;
    }
  }

  private line(raw: string): void {
    const text = (raw.endsWith('\r') ? raw.slice(0, -1) : raw).slice(0, MAX_CHECKED_LINE);
    if (this.failLine === null && this.failOn.some((f) => f(text))) this.failLine = text;
    if (!this.succeeded && this.successOn.some((f) => f(text))) this.succeeded = true;
    for (const re of this.extract) {
      const m = re.exec(text);
      for (const [key, value] of Object.entries(m?.groups ?? {})) {
        if (value === undefined) continue; // a group that took no part keeps what it had
        if (!this.values.has(key) && this.values.size >= MAX_RESULT_KEYS) continue;
        this.values.set(key, value.slice(0, MAX_RESULT_VALUE));
      }
    }
  }

  /** The run's end as the process gave it, with the checks applied (partial last lines count). */
  verdict(status: RunStatus): CheckVerdict {
    for (const p of Object.values(this.partial)) {
      if (p.text) this.line(p.text);
      p.text = '';
    }
    const extracted = this.spec.extract.length
      ? [...this.values].map(([key, value]) => ({ key, value }))
      : null;
    const failed = this.failLine !== null ? `failOn matched: ${this.failLine}` : null;
    if (status !== 'SUCCEEDED') return { status, checkReason: bound(failed), extracted };
    if (failed) return { status: 'FAILED', checkReason: bound(failed), extracted };
    if (this.successOn.length && !this.succeeded) {
      const wanted = this.spec.successOn.join(', ');
      const reason = `successOn: no line matched ${wanted} (the command exited 0)`;
      return { status: 'FAILED', checkReason: bound(reason), extracted };
    }
    return { status, checkReason: null, extracted };
  }
}

const bound = (s: string | null) =>
  s === null || s.length <= MAX_CHECK_REASON ? s : `${s.slice(0, MAX_CHECK_REASON - 1)}…`;
