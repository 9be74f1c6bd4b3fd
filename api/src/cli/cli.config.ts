import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { CliError, EXIT } from './cli.errors.js';

export const DEFAULT_URL = 'http://127.0.0.1:5000';

export interface Stored {
  url?: string;
  token?: string;
}

export interface Target {
  url: string;
  token?: string;
}

/** `$XDG_CONFIG_HOME/tiny-agent/config.json`, else `~/.config/tiny-agent/config.json`. */
export function configPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || homedir(), '.config');
  return path.join(base, 'tiny-agent', 'config.json');
}

/** The config file, or {} when there is none; refused when others may read it (it holds a token). */
export function readStored(file: string): Stored {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    return {};
  }
  if (mode & 0o077)
    throw new CliError(
      `${file} may be read by other users (mode ${(mode & 0o777).toString(8)}); it holds a token: run \`chmod 600 ${file}\` (or log in again)`,
      EXIT.CONFIG,
    );
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Stored;
    return {
      url: typeof parsed.url === 'string' ? parsed.url : undefined,
      token: typeof parsed.token === 'string' ? parsed.token : undefined,
    };
  } catch (err) {
    throw new CliError(`${file} is not valid JSON (${(err as Error).message})`, EXIT.CONFIG);
  }
}

/** Written beside and renamed over: never half a file, and 0600 from its first byte. */
export function writeStored(file: string, stored: Stored): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600); // the umask may have taken bits away, never added: this is for clarity
  renameSync(tmp, file);
}

/** Flags first, then TINY_AGENT_URL / TINY_AGENT_TOKEN, then the config file. */
export function resolveTarget(
  flags: { url?: string; token?: string },
  env: NodeJS.ProcessEnv,
): Target {
  const needFile = !(flags.url ?? env.TINY_AGENT_URL) || !(flags.token ?? env.TINY_AGENT_TOKEN);
  const stored = needFile ? readStored(configPath(env)) : {};
  const url = normalizeUrl(flags.url ?? env.TINY_AGENT_URL ?? stored.url ?? DEFAULT_URL);
  // the file's token belongs to the file's server: never sent to another URL
  const storedToken = stored.url && normalizeUrl(stored.url) === url ? stored.token : undefined;
  const token = flags.token ?? env.TINY_AGENT_TOKEN ?? storedToken;
  return { url, token: token || undefined };
}

/** The server's base URL, without a trailing slash or /graphql. */
export function normalizeUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CliError(`not a URL: ${url}`, EXIT.USAGE);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new CliError(`the URL must start with http:// or https://: ${url}`, EXIT.USAGE);
  return u.href.replace(/\/+$/, '').replace(/\/graphql$/, '');
}
