// `npm run bench [section]`: every figure beside its bare baseline, measured in the same run.
import { benchCommands } from './commands.js';
import { benchHttp } from './http.js';
import { benchLogs } from './logs.js';
import { benchUpload } from './upload.js';

const sections: [string, () => Promise<string[]>][] = [
  ['http', benchHttp],
  ['commands', benchCommands],
  ['logs', benchLogs],
  ['upload', benchUpload],
];
const only = process.argv[2];
if (only && !sections.some(([name]) => name === only)) {
  console.error(`unknown section "${only}"; one of: ${sections.map(([n]) => n).join(', ')}`);
  process.exit(2);
}
for (const [name, run] of sections) {
  if (only && only !== name) continue;
  const lines = await run();
  console.log(lines.join('\n') + '\n');
}
