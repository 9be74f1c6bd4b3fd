// After a restore: is the data whole? The database's own check, every upload row's file with its
// size and sha256, every run's stored output file. Each problem is one line naming what is wrong.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { OutputStore } from '../modules/commands/output.store.js';
import { hashFile } from './backup.manifest.js';
import { connect, ifNoTable, rows, type Database } from './ops.database.js';

// a thousand lines help nobody: the first ones show the pattern
const MAX_PROBLEMS = 50;

export async function checkIntegrity(
  db: Database,
  dataDir: string,
  opts: { uploadsInFolder: boolean },
): Promise<string[]> {
  const problems: string[] = [];
  const k = connect(db);
  try {
    if (db.kind === 'sqlite') {
      const check = await rows<Record<string, string>>(k, 'pragma integrity_check');
      const lines = check.map((r) => Object.values(r)[0]).filter((v) => v !== 'ok');
      problems.push(...lines.map((l) => `database: ${l}`));
      const fks = await rows<{ table: string; parent: string }>(k, 'pragma foreign_key_check');
      if (fks.length)
        problems.push(
          `database: ${fks.length} row(s) point at missing rows (first: ${fks[0]!.table} → ${fks[0]!.parent})`,
        );
    }
    if (opts.uploadsInFolder) {
      const files = await rows<{ id: string; size: number | string; sha256: string }>(
        k,
        'select id, size, sha256 from files',
      );
      for (const f of files) {
        if (problems.length >= MAX_PROBLEMS) break;
        const file = path.join(dataDir, 'uploads', f.id);
        const st = await stat(file).catch(() => null);
        if (!st?.isFile()) problems.push(`upload ${f.id}: its file is missing (${file})`);
        else if (st.size !== Number(f.size))
          problems.push(`upload ${f.id}: ${st.size} bytes, the database says ${f.size}`);
        else if ((await hashFile(file)).sha256 !== f.sha256)
          problems.push(`upload ${f.id}: its sha256 differs from the database's`);
      }
    }
    const output = OutputStore.inDataDir(dataDir);
    for (const run of await runsWithOutputFiles(k)) {
      if (problems.length >= MAX_PROBLEMS) break;
      if (!(await stat(output.pathOf(run.id)).catch(() => null))?.isFile())
        problems.push(`run ${run.id}: its output file is missing (${output.pathOf(run.id)})`);
    }
  } finally {
    await k.destroy();
  }
  return problems;
}

/** Runs whose output should be in a file: some stored, not removed by retention, not in the old table. */
async function runsWithOutputFiles(k: ReturnType<typeof connect>): Promise<{ id: string }[]> {
  const base =
    'select r.id from command_runs r where r.output_bytes > 0 and r.output_removed_at is null';
  // output kept in output_chunks rows (before the output files) has no file to look for
  return rows<{ id: string }>(
    k,
    `${base} and not exists (select 1 from output_chunks c where c.run_id = r.id)`,
  ).catch((err: unknown) => ifNoTable(null)(err) ?? rows<{ id: string }>(k, base));
}
