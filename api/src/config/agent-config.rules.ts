// Rules shared by the config loader (checking defaults and templates) and by command.args.ts
// (checking caller input), so a default and a caller's value are judged the same way.
import type { CommandArgSpec } from './agent-config.types.js';

/** `{{name}}` in an argv element; anything else in braces (`{{.Names}}`) stays literal. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;

/** Hard cap on any value, whatever its maxLength: bounds regex and realpath work. */
export const MAX_VALUE_LENGTH = 4096;

const INTEGER = /^-?\d+$/;

/** The argument names referenced by one argv element, in order. */
export function placeholderNames(element: string): string[] {
  return [...element.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/**
 * Why `value` is not acceptable for `arg` (a phrase to follow `Argument "x" `), or undefined.
 * Covers everything that needs no disk access; path and file values are checked further by the caller.
 */
export function valueProblem(arg: CommandArgSpec, value: string): string | undefined {
  if (value.includes('\0')) return 'must not contain NUL bytes';
  if (value.length > MAX_VALUE_LENGTH) return `must be at most ${MAX_VALUE_LENGTH} characters`;
  if (value.startsWith('-') && !arg.allowDash) return 'must not start with "-"';
  switch (arg.type) {
    case 'string':
      if (value.length > arg.maxLength) return `must be at most ${arg.maxLength} characters`;
      if (arg.regex && !arg.regex.test(value)) return `must match the pattern ${arg.pattern}`;
      return undefined;
    case 'int':
      return intProblem(arg.min, arg.max, value);
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : 'must be "true" or "false"';
    case 'enum':
      return arg.choices.includes(value) ? undefined : `must be one of: ${arg.choices.join(', ')}`;
    case 'path':
      return value === '' ? 'must be a path' : undefined;
    case 'file':
      return value === '' ? 'must be the id of an uploaded file' : undefined;
  }
}

function intProblem(min: number | undefined, max: number | undefined, value: string) {
  const range =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? ` of at least ${min}`
        : max !== undefined
          ? ` of at most ${max}`
          : '';
  const n = Number(value);
  if (!INTEGER.test(value) || !Number.isSafeInteger(n)) return `must be a whole number${range}`;
  if ((min !== undefined && n < min) || (max !== undefined && n > max))
    return `must be a whole number${range}`;
  return undefined;
}
