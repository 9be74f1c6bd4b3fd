// `npm test` starts here: every program the tests run must be installed, or we stop at once
// naming the one command that installs them (scripts/system-packages.txt is the list).
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const lines = readFileSync(path.join(here, 'system-packages.txt'), 'utf8').split('\n');
const packages = lines
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => l.trim().split(/\s+/));

const executable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** A bare name is looked up on PATH; a path may hold one `*` folder (PostgreSQL's versioned bin/). */
function installed(program) {
  if (!program.includes('/'))
    return (process.env.PATH ?? '')
      .split(':')
      .some((dir) => dir && executable(path.join(dir, program)));
  const [before, after] = program.split('*');
  if (after === undefined) return executable(program);
  try {
    return readdirSync(before).some((d) => executable(before + d + after));
  } catch {
    return false;
  }
}

const offPath = [...new Set(packages.flatMap(([, ...programs]) => programs))].filter(
  (p) =>
    !p.includes('/') &&
    !installed(p) &&
    ['/usr/sbin', '/sbin'].some((d) => executable(path.join(d, p))),
);
if (offPath.length)
  console.error(
    `${offPath.join(', ')} installed in /usr/sbin, which is not on PATH: add it (export PATH="$PATH:/usr/sbin:/sbin").`,
  );

const missing = packages.filter(
  ([, ...programs]) => !programs.every((p) => installed(p) || offPath.includes(p)),
);
if (offPath.length && !missing.length) process.exit(1);
if (missing.length) {
  const names = missing.map(([name]) => name);
  console.error(
    `The tests need programs that are not installed (${missing.map(([, ...p]) => p.map((x) => path.basename(x)).join(', ')).join('; ')}).`,
  );
  console.error('Install them, then run `npm test` again:\n');
  console.error(
    `  ${process.getuid?.() === 0 ? '' : 'sudo '}apt-get install -y --no-install-recommends ${names.join(' ')}\n`,
  );
  process.exit(1);
}
