// `npm start`: build what is missing or older than its sources, then run the server as our child.
// Usage: node scripts/start.mjs [--api-only] node [node flags] api/dist/main.js — package.json holds the server command.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleParts } from './build.freshness.mjs';
import { exitLike, forwardSignals } from './child.signals.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// --api-only: a command of the API alone (npm run backup / restore) needs no web UI built
const apiOnly = process.argv[2] === '--api-only';
const [command, ...args] = process.argv.slice(apiOnly ? 3 : 2);
if (!command) {
  console.error('usage: node scripts/start.mjs [--api-only] node [flags] api/dist/main.js');
  process.exit(64);
}

let child;
forwardSignals(() => (child ? [child] : []));

/** Runs one process with our signals forwarded to it; resolves when it has ended. */
function run(cmd, argv, stdio) {
  child = spawn(cmd === 'node' ? process.execPath : cmd, argv, { cwd: root, stdio });
  return new Promise((resolve) => child.once('exit', () => resolve(child)));
}

const stale = staleParts(root).filter((p) => !apiOnly || p.workspace === 'api');
if (stale.length) {
  const reasons = [...new Set(stale.map((p) => p.reason))].join(', ');
  console.error(`building the ${stale.map((p) => p.name).join(' and ')} (${reasons})…`);
  for (const part of stale) {
    // a clean folder: tsc leaves the output of deleted sources behind, which would look stale forever
    rmSync(path.join(root, part.output), { recursive: true, force: true });
    // build output on stderr: stdout carries only the server's log
    const build = await run('npm', ['run', 'build', '-w', part.workspace], ['ignore', 2, 2]);
    if (build.exitCode !== 0) exitLike(build);
  }
}
exitLike(await run(command, args, 'inherit'));
