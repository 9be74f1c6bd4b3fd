// Turns a caller's arguments into the argv of a configured command: every value checked
// against its declaration, then placed into exactly one argv element (never split, never a shell).
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { CommandArgSpec, CommandSpec } from '../../config/agent-config.js';
import { PLACEHOLDER, valueProblem } from '../../config/agent-config.rules.js';
import { BadUserInputError } from '../../errors.js';

export interface CommandArgInput {
  name: string;
  value: string;
}

export interface ResolveArgvOptions {
  /**
   * Absolute path of an uploaded file the caller may read. Throw (e.g. NotFoundError) when the
   * id is unknown or not the caller's; the error reaches the caller unchanged.
   */
  resolveFile(id: string): Promise<string>;
}

/**
 * The argv to spawn for `spec` with the caller's `input`. Throws BadUserInputError naming the
 * argument and what it allows. An element referring to an optional argument that was omitted
 * (and has no default) is left out entirely, so `--since={{days}}` disappears rather than
 * becoming `--since=`.
 */
export async function resolveArgv(
  spec: CommandSpec,
  input: readonly CommandArgInput[],
  opts: ResolveArgvOptions,
): Promise<string[]> {
  const given = collectInput(spec, input);
  const values = new Map<string, string>();
  for (const arg of spec.args) {
    const raw = given.get(arg.name) ?? arg.default;
    if (raw === undefined) {
      if (arg.required) throw refuse(arg, 'is required');
      continue;
    }
    const problem = valueProblem(arg, raw);
    if (problem) throw refuse(arg, problem);
    values.set(arg.name, await finalValue(arg, raw, opts));
  }
  return substitute(spec.argv, values);
}

function collectInput(spec: CommandSpec, input: readonly CommandArgInput[]): Map<string, string> {
  const declared = new Set(spec.args.map((a) => a.name));
  const given = new Map<string, string>();
  for (const { name, value } of input) {
    if (!declared.has(name)) {
      const takes = spec.args.length
        ? `it takes: ${spec.args.map((a) => a.name).join(', ')}`
        : 'it takes no arguments';
      throw new BadUserInputError(`Command "${spec.name}" has no argument "${name}"; ${takes}.`, {
        argument: name,
      });
    }
    if (given.has(name))
      throw new BadUserInputError(`Argument "${name}" was given more than once.`, {
        argument: name,
      });
    given.set(name, value);
  }
  return given;
}

/** Paths become their canonical form and file ids their stored path; the rest pass as given. */
async function finalValue(
  arg: CommandArgSpec,
  value: string,
  opts: ResolveArgvOptions,
): Promise<string> {
  if (arg.type === 'path') return insideRoots(arg.name, arg.roots, value);
  if (arg.type !== 'file') return value;
  const stored = await opts.resolveFile(value);
  if (!path.isAbsolute(stored))
    throw new Error(`resolveFile returned a relative path for argument "${arg.name}"`);
  return stored;
}

/**
 * The realpath of `value` (relative values start at the first root) if it exists inside a root.
 * Missing and outside get the same answer, so a caller cannot probe what exists elsewhere.
 */
async function insideRoots(name: string, roots: readonly string[], value: string): Promise<string> {
  const refusal = () =>
    new BadUserInputError(
      `Argument "${name}" must be an existing path inside ${roots.join(' or ')}.`,
      { argument: name },
    );
  let real: string;
  try {
    real = await realpath(path.resolve(roots[0], value));
  } catch {
    throw refusal();
  }
  if (!roots.some((root) => isInside(real, root))) throw refusal();
  return real;
}

/** `child` is `root` or below it; `/var/log2` is not inside `/var/log`. Both must be canonical. */
export function isInside(child: string, root: string): boolean {
  if (child === root) return true;
  return child.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function substitute(argv: readonly string[], values: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const element of argv) {
    let omitted = false;
    // A function replacement: `$&` or `$1` in a value must stay literal.
    const filled = element.replace(PLACEHOLDER, (_match, name: string) => {
      const v = values.get(name);
      if (v === undefined) omitted = true;
      return v ?? '';
    });
    if (!omitted) out.push(filled);
  }
  return out;
}

function refuse(arg: CommandArgSpec, problem: string): BadUserInputError {
  return new BadUserInputError(`Argument "${arg.name}" ${problem}.`, { argument: arg.name });
}
