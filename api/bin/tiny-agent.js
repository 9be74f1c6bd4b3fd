#!/usr/bin/env node
// The `tiny-agent` bin. It is committed (npm links a bin only when its file exists at install time,
// and api/dist does not yet); it runs the built CLI, building the API first when it was never built
// or its sources changed since (a `git pull`), as `npm start` does.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const api = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.dirname(api);
const entry = path.join(api, 'dist', 'cli', 'tiny-agent.js');

/** Why the API must be built first, or null. In an image (no sources beside it) only a missing build counts. */
async function buildReason() {
  if (!existsSync(entry)) return 'never built';
  const freshness = path.join(root, 'scripts', 'build.freshness.mjs');
  if (!existsSync(freshness) || !existsSync(path.join(api, 'src'))) return null;
  const { staleParts } = await import(pathToFileURL(freshness).href);
  return staleParts(root).some((p) => p.workspace === 'api') ? 'its sources changed' : null;
}

const reason = await buildReason();
if (reason) {
  process.stderr.write(`tiny-agent: building the API first, ${reason} (npm run build -w api)…\n`);
  // a clean folder, as npm start builds: tsc leaves the output of deleted sources behind
  rmSync(path.join(api, 'dist'), { recursive: true, force: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const built = spawnSync(npm, ['run', 'build'], { cwd: api, stdio: ['ignore', 2, 2] });
  if (built.status !== 0 || !existsSync(entry)) process.exit(70);
}
await import(pathToFileURL(entry).href);
