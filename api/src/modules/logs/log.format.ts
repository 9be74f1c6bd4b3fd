// A log source's effective format: agent.yaml's `format`, or for `auto` a look at the file's last lines.
import type { LogSourceSpec } from '../../config/agent-config.js';
import type { RefusalSink } from './log.file.js';
import { statLog } from './log.file.js';
import { parseJsonLine } from './log.json.js';
import { readLastLines } from './log.reader.js';

export type LogFormat = 'TEXT' | 'JSON';

/** Lines looked at by `auto`: JSON when most of the non-empty ones are JSON objects. */
export const DETECT_LINES = 5;

interface Detected {
  dev: number;
  ino: number;
  size: number;
  format: LogFormat;
}
// by path: kept while the same file (inode) only grows; a replaced or truncated file is looked at again
const detected = new Map<string, Detected>();

export async function effectiveFormat(
  spec: LogSourceSpec,
  onRefused?: RefusalSink,
): Promise<LogFormat> {
  if (spec.format === 'json') return 'JSON';
  if (spec.format === 'text') return 'TEXT';
  const st = await statLog(spec.path);
  if (!st) return 'TEXT'; // nothing to look at yet: asked again once the file exists
  const known = detected.get(spec.path);
  if (known && known.dev === st.dev && known.ino === st.ino && st.size >= known.size)
    return known.format;
  const lines = (await readLastLines(spec.path, DETECT_LINES, { onRefused })).filter(
    (l) => l.text.trim() !== '',
  );
  if (lines.length === 0) return 'TEXT'; // empty: not remembered either
  const json = lines.filter((l) => parseJsonLine(l.text) !== null).length;
  const format: LogFormat = json * 2 > lines.length ? 'JSON' : 'TEXT';
  if (detected.size > 1000) detected.clear(); // bound: agent.yaml lists far fewer sources
  detected.set(spec.path, { dev: st.dev, ino: st.ino, size: st.size, format });
  return format;
}
