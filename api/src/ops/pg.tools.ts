// pg_dump and pg_restore as child processes. The password goes through PGPASSWORD, never argv
// (any user on the host can read a process's arguments), and never into our output.
import { spawn } from 'node:child_process';
import { OpsError } from './ops.error.js';

/** DATABASE_URL split into a password-free URL for argv and the environment holding the password. */
export function pgConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return {
    dbname: u.toString(),
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

/** Runs a PostgreSQL client tool; its last stderr line becomes the reason when it fails. */
function runTool(tool: string, args: string[], url: string): Promise<void> {
  const { dbname, env } = pgConnection(url);
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${dbname}`], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new OpsError(
          e.code === 'ENOENT'
            ? `${tool} is not installed here: install the PostgreSQL client tools (the same major version as the server or newer)`
            : `${tool} could not start: ${e.message}`,
        ),
      ),
    );
    child.once('close', (code) => {
      if (code === 0) return resolve();
      const reason = err.trim().split('\n').filter(Boolean).at(-1) ?? `exit code ${code}`;
      reject(new OpsError(`${tool} failed: ${reason}`));
    });
  });
}

/** A custom-format dump (compressed, restorable table by table) of the whole database into `file`. */
export const pgDump = (url: string, file: string) =>
  runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`], url);

/** Replaces what `file` holds in the database, in one transaction: a failure changes nothing. */
export const pgRestore = (url: string, file: string) =>
  runTool(
    'pg_restore',
    [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      file,
    ],
    url,
  );
