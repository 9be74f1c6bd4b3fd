import { createInterface } from 'node:readline/promises';
import { UsageError } from './cli.errors.js';

/** A line typed at the terminal, the question on stderr (stdout stays for results). */
export async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(`no terminal to ask "${question.trim()}"`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** A password typed at the terminal, not echoed. */
export function askSecret(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY)
    throw new UsageError('no terminal to ask the password: pipe it in with --password-stdin');
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  let typed = '';
  return new Promise((resolve) => {
    const onData = (keys: string) => {
      for (const key of keys) {
        if (key === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        } else if (key === '\r' || key === '\n' || key === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(typed);
        } else if (key === '\u007f' || key === '\b') typed = typed.slice(0, -1);
        else typed += key;
      }
    };
    stdin.on('data', onData);
  });
}

/** All of stdin, without the final newline (`echo "$PW" | tiny-agent login --password-stdin`). */
export async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk as string;
  return text.replace(/\r?\n$/, '');
}
