// `npm run bench`: every figure beside its bare baseline, measured in the same run.
import { benchCommands } from './commands.js';
import { benchHttp } from './http.js';

const sections: [string, () => Promise<string[]>][] = [
  ['http', benchHttp],
  ['commands', benchCommands],
];
const only = process.argv[2];
for (const [name, run] of sections) {
  if (only && only !== name) continue;
  const lines = await run();
  console.log(lines.join('\n') + '\n');
}
