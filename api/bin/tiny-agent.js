#!/usr/bin/env node
// The `tiny-agent` bin. It is committed (npm links a bin only when its file exists at install time,
// and api/dist does not yet); it runs the built CLI, building the API first when it was never built.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const api = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(api, 'dist', 'cli', 'tiny-agent.js');
if (!existsSync(entry)) {
  process.stderr.write('tiny-agent: building the API first (npm run build -w api)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const built = spawnSync(npm, ['run', 'build'], { cwd: api, stdio: ['ignore', 2, 2] });
  if (built.status !== 0 || !existsSync(entry)) process.exit(70);
}
await import(pathToFileURL(entry).href);
