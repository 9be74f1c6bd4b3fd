// The run form's rules, checked before sending so mistakes show next to the field. The server
// checks again; this only saves a round trip. Pure.

export type ArgType = 'STRING' | 'INT' | 'BOOLEAN' | 'ENUM' | 'PATH' | 'FILE';

export interface ArgSpec {
  name: string;
  type: ArgType;
  required: boolean;
  default?: string | null;
  choices?: readonly string[] | null;
  pattern?: string | null;
  min?: number | null;
  max?: number | null;
}

export interface ArgInput {
  name: string;
  value: string;
}

/**
 * What the form starts with: a given value (say, a past run's), else the declared default,
 * `false` for a switch, else empty. Given names the command does not declare are dropped.
 */
export function initialValues(
  args: readonly ArgSpec[],
  given: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const a of args)
    values[a.name] = Object.hasOwn(given, a.name)
      ? given[a.name]
      : (a.default ?? (a.type === 'BOOLEAN' ? 'false' : ''));
  return values;
}

/** A full match, as the server checks it; null when the pattern is not valid in JavaScript. */
export function patternRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return null;
  }
}

/** The problem with one value, in words, or null when it is fine. */
export function validateArg(arg: ArgSpec, raw: string | undefined): string | null {
  const value = raw ?? '';
  if (value === '') return arg.required && arg.default == null ? 'Required.' : null;
  switch (arg.type) {
    case 'INT': {
      if (!/^-?\d+$/.test(value.trim())) return 'Enter a whole number.';
      const n = Number(value);
      if (arg.min != null && n < arg.min) return `Must be at least ${arg.min}.`;
      if (arg.max != null && n > arg.max) return `Must be at most ${arg.max}.`;
      return null;
    }
    case 'BOOLEAN':
      return value === 'true' || value === 'false' ? null : 'Must be true or false.';
    case 'ENUM':
      return arg.choices && !arg.choices.includes(value)
        ? `Choose one of: ${arg.choices.join(', ')}.`
        : null;
    case 'STRING': {
      const re = arg.pattern ? patternRegExp(arg.pattern) : null;
      return re && !re.test(value) ? `Does not match the required pattern ${arg.pattern}.` : null;
    }
    default:
      return null;
  }
}

/** Every field's error, and the input to send when there are none. Empty optional fields are left out so the server's default applies. */
export function validateArgs(
  args: readonly ArgSpec[],
  values: Readonly<Record<string, string>>,
): { errors: Record<string, string>; input: ArgInput[] } {
  const errors: Record<string, string> = {};
  const input: ArgInput[] = [];
  for (const arg of args) {
    const raw = arg.type === 'INT' ? (values[arg.name] ?? '').trim() : (values[arg.name] ?? '');
    const problem = validateArg(arg, raw);
    if (problem) errors[arg.name] = problem;
    else if (raw !== '') input.push({ name: arg.name, value: raw });
  }
  return { errors, input };
}
