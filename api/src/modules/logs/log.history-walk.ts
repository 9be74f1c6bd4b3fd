// A walk over a source's history by file identity: a rotation while we read renames files under us.
import { openLog, type OpenLog } from './log.file.js';
import { indexOfFile, listHistory, type HistoryFile } from './log.history.js';
import type { ReadOptions } from './log.reader.js';

// a rotation while we walk renames files under us: list again, at most this often per walk
const RELISTS = 3;

/** Opens a listed file by its path, if it is still the same file (by inode); null if it moved or went. */
export async function openListed(f: HistoryFile, o: ReadOptions): Promise<OpenLog | null> {
  const file = await openLog(f.path, o.onRefused);
  if (file && (file.ino !== f.ino || (f.born && file.born && file.born !== f.born))) {
    await file.fh.close();
    return null;
  }
  return file;
}

/** A walk over the history by identity: when a file moved since the listing, list again and find our place. */
export class HistoryWalk {
  private relists = 0;
  constructor(
    private readonly path: string,
    public files: HistoryFile[],
    private readonly o: ReadOptions,
  ) {}

  /** Opens files[i]; after a rotation renamed things, re-lists and returns the index `key` now has (+ shift). */
  async open(
    i: number,
    key: HistoryFile,
    shift: number,
  ): Promise<{ file: OpenLog; i: number } | null> {
    for (;;) {
      const f = this.files[i];
      const file = f ? await openListed(f, this.o) : null;
      if (file) return { file, i };
      if (this.relists++ >= RELISTS) return null;
      this.files = await listHistory(this.path, this.o.onRefused);
      const at = indexOfFile(this.files, key);
      if (at < 0) return null;
      i = at + shift;
    }
  }
}
