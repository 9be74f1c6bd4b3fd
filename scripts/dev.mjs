// `npm run dev`: the API with reload on change, and Vite's dev server proxying /graphql and /files to it.
// Both run as our direct children (no npx or npm in between), so our signals reach them.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { exitLike, forwardSignals } from './child.signals.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'web/package.json'));

/** Where the API listens, read as the API reads it: the real environment wins over .env. */
function apiUrl() {
  let dotEnv = {};
  try {
    dotEnv = parseEnv(readFileSync(path.join(root, '.env'), 'utf8'));
  } catch {
    // no .env: the environment alone
  }
  const env = { ...dotEnv, ...process.env };
  const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT || 5000}`;
}

const env = { ...process.env, TINY_AGENT_API: process.env.TINY_AGENT_API ?? apiUrl() };
console.error(`dev: Vite proxies /graphql and /files to ${env.TINY_AGENT_API}`);
const procs = [
  spawn(
    process.execPath,
    [require.resolve('tsx/cli'), 'watch', '--clear-screen=false', 'api/src/main.ts'],
    { cwd: root, env, stdio: 'inherit' },
  ),
  spawn(
    process.execPath,
    [path.join(path.dirname(require.resolve('vite/package.json')), 'bin/vite.js')],
    {
      cwd: path.join(root, 'web'),
      env,
      stdio: 'inherit',
    },
  ),
];
forwardSignals(() => procs);

// one ends (a crash, or our signal): stop the other, then end as the first one did
const first = await Promise.race(
  procs.map((p) => new Promise((resolve) => p.once('exit', () => resolve(p)))),
);
for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
await Promise.all(
  procs.map((p) =>
    p.exitCode === null && p.signalCode === null ? new Promise((r) => p.once('exit', r)) : null,
  ),
);
exitLike(first);
