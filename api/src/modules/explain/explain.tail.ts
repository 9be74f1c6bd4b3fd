// The last part of a run's stored output as plain text, in whole lines: what the model sees of it.
import type { AppServices } from '../../context.js';
import type { CommandRun } from '../commands/command-run.entity.js';
import { PlainText } from '../commands/command.plain.js';

/** At most this much of the output's end is sent. */
export const TAIL_MAX_BYTES = 16 * 1024;
// escapes are removed after reading: read a margin more so the tail is still full without them
const READ_BYTES = 4 * TAIL_MAX_BYTES;

export interface OutputTail {
  text: string;
  /** true when earlier output was left out */
  cut: boolean;
}

export async function outputTail(
  app: Pick<AppServices, 'outputStore'>,
  run: Pick<CommandRun, 'id' | 'outputBytes' | 'outputRemovedAt'>,
): Promise<OutputTail> {
  if (run.outputRemovedAt || run.outputBytes === 0) return { text: '', cut: false };
  const start = Math.max(0, run.outputBytes - READ_BYTES);
  const plain = new PlainText();
  const parts: string[] = [];
  for await (const { data } of app.outputStore.bytes(run.id, start))
    parts.push(plain.push(data.toString('utf8')));
  parts.push(plain.end());
  return lastLines(parts.join(''), TAIL_MAX_BYTES, start > 0);
}

/** The whole lines at the end of `text` that fit in `max` UTF-8 bytes (one longer line is cut). */
export function lastLines(text: string, max: number, cutBefore = false): OutputTail {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max && !cutBefore) return { text, cut: false };
  let tail = bytes.subarray(Math.max(0, bytes.length - max)).toString('utf8');
  const nl = tail.indexOf('\n');
  // drop the partial first line, unless the last line alone is longer than the budget
  if (nl >= 0 && nl < tail.length - 1) tail = tail.slice(nl + 1);
  return { text: tail.replace(/^\ufffd+/, ''), cut: true };
}
