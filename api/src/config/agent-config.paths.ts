// Where a log source's path really leads, fixed when agent.yaml is loaded: the log module refuses
// any later open that reaches another file (a folder swapped for a symlink after the load).
import { realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * `abs` with every symlink among its folders resolved now. The file itself is left as named (a
 * symlink there is never followed), and folders that do not exist yet are kept as written: they
 * must later appear as real folders, since a symlink in their place would lead elsewhere.
 */
export async function canonicalLogPath(abs: string): Promise<string> {
  const missing: string[] = [path.basename(abs)];
  for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
    try {
      return path.join(await realpath(dir), ...missing);
    } catch {
      if (dir === path.dirname(dir)) return abs; // the root itself failed: nothing to resolve
      missing.unshift(path.basename(dir));
    }
  }
}
