// The committed `tiny-agent` bin (api/bin/tiny-agent.js, what `npx tiny-agent` runs) in a project
// folder of its own: it builds the API when it was never built or its sources changed since (a
// `git pull`), and otherwise runs the built CLI at once. The project's build is a small script
// here (the real one takes a minute of tsc); the bin and the freshness rules are the real files.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');
let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'tiny-agent-shim-'));
  for (const d of ['scripts', 'api/bin', 'api/src'])
    mkdirSync(path.join(root, d), { recursive: true });
  for (const f of ['scripts/build.freshness.mjs', 'api/bin/tiny-agent.js'])
    copyFileSync(path.join(repo, f), path.join(root, f));
  writeFileSync(path.join(root, 'package.json'), '{ "name": "shim-test", "private": true }\n');
  writeFileSync(
    path.join(root, 'api/package.json'),
    '{ "name": "api", "private": true, "type": "module", "scripts": { "build": "node build.mjs" } }\n',
  );
  // the "build": writes the sentinel and a CLI that prints its arguments; FAIL=1 makes it fail
  writeFileSync(
    path.join(root, 'api/build.mjs'),
    `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
appendFileSync('builds.log', 'built\\n');
if (process.env.FAIL) process.exit(1);
mkdirSync('dist/cli', { recursive: true });
writeFileSync('dist/main.js', '');
writeFileSync('dist/cli/tiny-agent.js', "console.log('cli ' + process.argv.slice(2).join(' '));\\n");
`,
  );
  writeFileSync(path.join(root, 'api/src/main.ts'), 'export {};\n');
  const past = new Date(Date.now() - 60_000);
  for (const f of ['package.json', 'api/package.json', 'api/src/main.ts', 'api/src'])
    utimesSync(path.join(root, f), past, past);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function shim(env: Record<string, string> = {}) {
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'api/bin/tiny-agent.js'), 'runs', '--json'],
    {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const builds = () => {
  try {
    return readFileSync(path.join(root, 'api/builds.log'), 'utf8').split('\n').filter(Boolean)
      .length;
  } catch {
    return 0;
  }
};

it('builds once when never built, then runs the built CLI without building', () => {
  const first = shim();
  expect(first.status).toBe(0);
  expect(first.stderr).toMatch(/building the API first, never built/);
  expect(first.stdout).toBe('cli runs --json\n');
  expect(builds()).toBe(1);
  const second = shim();
  expect(second).toEqual({ status: 0, stdout: 'cli runs --json\n', stderr: '' });
  expect(builds()).toBe(1);
});

it('a source newer than the build (a git pull) builds again first', () => {
  const later = new Date(Date.now() + 10_000);
  utimesSync(path.join(root, 'api/src/main.ts'), later, later);
  const r = shim();
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/building the API first, its sources changed/);
  expect(r.stdout).toBe('cli runs --json\n');
  expect(builds()).toBe(2);
});

it('a failed build exits 70 (EX_SOFTWARE) and runs nothing', () => {
  const later = new Date(Date.now() + 20_000);
  utimesSync(path.join(root, 'api/src/main.ts'), later, later);
  const r = shim({ FAIL: '1' });
  expect(r.status).toBe(70);
  expect(r.stdout).toBe('');
  expect(builds()).toBe(3);
});
