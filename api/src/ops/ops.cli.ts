// What `backup` and `restore` share as programs: the server's configuration, read the same way
// (the real environment over .env), and one line per outcome with a meaningful exit code.
import path from 'node:path';
import { ConfigError, loadConfig, readDotEnv, type Config } from '../config/config.js';
import { EXIT, OpsError } from './ops.error.js';

/** The server's config: same .env, same variables, so these act on the same data. */
export function opsConfig(): Config {
  const env = { ...readDotEnv(path.resolve('.env')), ...process.env };
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) throw new OpsError(err.message, 78);
    throw err;
  }
}

/** A path the user typed: `npm run` moves to the package root, INIT_CWD is where they were. */
export const userPath = (p: string): string =>
  path.resolve(process.env.INIT_CWD ?? process.cwd(), p);

/** Runs `main`; an OpsError prints its one line, anything else its message, never a stack of secrets. */
export function runMain(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      const code = err instanceof OpsError ? err.exitCode : EXIT.FAILED;
      const message = err instanceof Error ? err.message : String(err);
      console.error(`${name}: ${message}`);
      process.exit(code);
    },
  );
}

/** `--flag` and `--name value` options, and the positional arguments, checked against what is known. */
export function parseArgs(
  argv: string[],
  known: { flags: string[]; values: string[] },
  usage: string,
): { positional: string[]; flags: Set<string>; values: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [name, inline] = a.startsWith('--') ? (a.split(/=(.*)/s, 2) as [string, string?]) : [a];
    if (known.flags.includes(name) && inline === undefined) flags.add(name);
    else if (known.values.includes(name)) {
      const v = inline ?? argv[++i];
      if (!v) throw new OpsError(`${name} needs a value. ${usage}`, EXIT.USAGE);
      values.set(name, v);
    } else if (a.startsWith('-'))
      throw new OpsError(`unknown option ${a.slice(0, 40)}. ${usage}`, EXIT.USAGE);
    else positional.push(a);
  }
  return { positional, flags, values };
}
