// Where a run's whole output lives: one append-only file per run under DATA_DIR/output, framed so
// that a reader (on any instance sharing the folder) never takes a half-written record for output.
import { stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/** The output folder inside DATA_DIR; several instances share it as they share uploads. */
export const OUTPUT_FOLDER = 'output';

export class OutputStore {
  constructor(readonly dir: string) {}

  static inDataDir(dataDir: string): OutputStore {
    return new OutputStore(path.join(dataDir, OUTPUT_FOLDER));
  }

  /** `output/ab/abcdef…-….out`: the first two characters of the id fan the files out. */
  pathOf(runId: string): string {
    return path.join(this.dir, runId.slice(0, 2), `${runId}.out`);
  }

  /** The sparse seq index beside it (`.idx`), rebuilt from the output when missing. */
  indexPathOf(runId: string): string {
    return path.join(this.dir, runId.slice(0, 2), `${runId}.idx`);
  }

  /** Deletes a run's output and index; the bytes it freed (0 when there was none). */
  async remove(runId: string): Promise<number> {
    let freed = 0;
    for (const file of [this.pathOf(runId), this.indexPathOf(runId)]) {
      const size = await stat(file).then(
        (s) => s.size,
        () => 0,
      );
      await unlink(file).then(
        () => (freed += size),
        (err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        },
      );
    }
    return freed;
  }
}
