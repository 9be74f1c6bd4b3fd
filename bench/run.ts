// `npm run bench [section]`: every figure beside its bare baseline, measured in the same run.
import { execFileSync } from 'node:child_process';
import { benchCommands } from './commands.js';
import { benchHttp } from './http.js';
import { ROOT } from './lib.js';
import { benchLogs } from './logs.js';
import { benchMemory } from './memory.js';
import { benchUpload } from './upload.js';

const sections: [string, () => Promise<string[]>][] = [
  ['http', benchHttp],
  ['commands', benchCommands],
  ['logs', benchLogs],
  ['upload', benchUpload],
  ['memory', benchMemory],
];
const only = process.argv[2];
// the servers run as `npm start` runs them: compiled, not through tsx
execFileSync('npm', ['run', 'build', '-w', 'api'], { cwd: ROOT, stdio: 'inherit' });
if (only && !sections.some(([name]) => name === only)) {
  console.error(`unknown section "${only}"; one of: ${sections.map(([n]) => n).join(', ')}`);
  process.exit(2);
}
for (const [name, run] of sections) {
  if (only && only !== name) continue;
  const lines = await run();
  console.log(lines.join('\n') + '\n');
}
