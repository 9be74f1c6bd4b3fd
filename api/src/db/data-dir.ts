import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

// the data folder holds password and token hashes, every run's output and every upload
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Creates `dir` if needed and makes it and everything under it private to the server's user:
 * folders 0700, files 0600. Also fixes an install made before this rule (app.db was 0644).
 * Symlinks are left alone (chmod would follow them out of the folder). Returns what could not be
 * changed (a file owned by someone else), for the caller to log.
 */
export async function secureDataDir(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const refused: string[] = [];
  const fix = async (p: string, mode: number, current: number) => {
    if ((current & 0o777) === mode) return;
    await chmod(p, mode).catch(() => refused.push(p));
  };
  const walk = async (folder: string): Promise<void> => {
    await fix(folder, DIR_MODE, (await lstat(folder)).mode);
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(p);
      else if (entry.isFile()) await fix(p, FILE_MODE, (await lstat(p)).mode);
    }
  };
  await walk(dir);
  return refused;
}
