// Which parts of the build `npm start` must redo: those whose output is missing or older than an input.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SHARED = ['package.json', 'package-lock.json', 'tsconfig.base.json'];

/** Each part: the npm workspace that builds it, its output folder and a file every build writes, its inputs. */
export const PARTS = [
  {
    name: 'API',
    workspace: 'api',
    output: 'api/dist',
    sentinel: 'main.js',
    inputs: ['api/src', 'api/package.json', 'api/tsconfig.json', ...SHARED],
  },
  {
    name: 'web UI',
    workspace: 'web',
    output: 'web/dist',
    sentinel: 'index.html',
    inputs: [
      'web/src',
      'web/public',
      'web/index.html',
      'web/graphiql.html',
      'web/package.json',
      'web/tsconfig.json',
      'web/vite.config.ts',
      'web/svelte.config.js',
      ...SHARED,
    ],
  },
];

// tests never reach the built output (api/tsconfig.json excludes them; Vite bundles only what is imported)
const notBuilt = (name) =>
  name.endsWith('.test.ts') || name.endsWith('testkit.ts') || name === 'test';

/** Newest file mtime below `file` (removing a source also edits the files that imported it). */
function newest(file) {
  let st;
  try {
    st = statSync(file);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of readdirSync(file))
    if (!notBuilt(e)) max = Math.max(max, newest(path.join(file, e)));
  return max;
}

/** Oldest mtime below `dir`: a build stopped halfway leaves older files behind. */
function oldest(dir) {
  let min = Infinity;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, e.name);
    min = Math.min(min, e.isDirectory() ? oldest(file) : statSync(file).mtimeMs);
  }
  return min;
}

/** The parts to build under `root`, each with the reason: 'not built yet' or 'sources changed'. */
export function staleParts(root) {
  const stale = [];
  for (const part of PARTS) {
    const output = path.join(root, part.output);
    let built;
    try {
      statSync(path.join(output, part.sentinel));
      built = oldest(output);
    } catch {
      stale.push({ ...part, reason: 'not built yet' });
      continue;
    }
    if (part.inputs.some((input) => newest(path.join(root, input)) > built))
      stale.push({ ...part, reason: 'sources changed' });
  }
  return stale;
}
