import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli.errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command takes. */
export const COMMON: Options = {
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** parseArgs, strict, its complaints turned into usage errors (exit 64) that point at --help. */
export function parseCommand(command: string, argv: string[], options: Options, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...COMMON, ...options }, allowPositionals: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nSee \`tiny-agent ${command} --help\`.`);
  }
  if (!parsed.values.help && parsed.positionals.length !== positionals)
    throw new UsageError(
      `${command} takes ${positionals || 'no'} argument${positionals === 1 ? '' : 's'}, got ${parsed.positionals.length}.\nSee \`tiny-agent ${command} --help\`.`,
    );
  return parsed;
}

/** A whole number flag within bounds. */
export function intFlag(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** The flags `run` takes for itself; everything else is an argument of the command. */
const RUN_OWN = new Set(['detach', 'help', 'url', 'token']);

/**
 * `run <name> [--<arg> <value>]…`: the command's arguments are its own, so they are parsed here
 * (`--name value`, `--name=value`, a bare `--name` is "true"; `--arg name=value` for a name the CLI
 * uses itself).
 */
export function parseRunArgs(argv: string[]) {
  const own: { detach: boolean; help: boolean; url?: string; token?: string } = {
    detach: false,
    help: false,
  };
  const args: { name: string; value: string }[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '-h') {
      own.help = true;
      continue;
    }
    if (!word.startsWith('--')) {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    let name = eq < 0 ? word.slice(2) : word.slice(2, eq);
    let value: string | undefined = eq < 0 ? undefined : word.slice(eq + 1);
    if (!name) throw new UsageError('"--" alone is not an argument; see `tiny-agent run --help`.');
    if (value === undefined && (name === 'url' || name === 'token' || name === 'arg')) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
    }
    if (name === 'arg') {
      const at = value!.indexOf('=');
      if (at < 1) throw new UsageError(`--arg takes name=value, got "${value}"`);
      args.push({ name: value!.slice(0, at), value: value!.slice(at + 1) });
      continue;
    }
    if (RUN_OWN.has(name)) {
      if (name === 'detach' || name === 'help') {
        if (value !== undefined) throw new UsageError(`--${name} takes no value`);
        own[name] = true;
      } else own[name as 'url' | 'token'] = value;
      continue;
    }
    if (value === undefined) {
      const next = argv[i + 1];
      value = next !== undefined && !next.startsWith('--') ? (i++, next) : 'true';
    }
    name = name.trim();
    args.push({ name, value });
  }
  if (!own.help && positionals.length !== 1)
    throw new UsageError(
      `run takes one command name, got ${positionals.length ? positionals.join(' ') : 'none'}.\nSee \`tiny-agent run --help\`.`,
    );
  return { own, name: positionals[0]!, args };
}
