// `npm run restore -- <dir> [--data-dir <path>] [--force]` (or `node api/dist/ops/restore.js …`).
import { opsConfig, parseArgs, runMain, userPath } from './ops.cli.js';
import { EXIT, OpsError } from './ops.error.js';
import { restoreBackup } from './restore.writer.js';

const USAGE = 'Usage: npm run restore -- <backup folder> [--data-dir <path>] [--force]';

runMain('restore', async () => {
  const { positional, flags, values } = parseArgs(
    process.argv.slice(2),
    { flags: ['--force'], values: ['--data-dir'] },
    USAGE,
  );
  if (positional.length !== 1) throw new OpsError(USAGE, EXIT.USAGE);
  const config = opsConfig();
  const dataDir = values.get('--data-dir');
  const say = (line: string) => console.log(line);
  const r = await restoreBackup(
    config,
    userPath(positional[0]!),
    { force: flags.has('--force'), dataDir: dataDir ? userPath(dataDir) : undefined },
    say,
  );
  if (r.aside) say(`the data that was there is kept in ${r.aside}`);
  if (r.manifest.uploads.storage === 's3')
    say(
      `note: uploads were not in this backup; they stay in s3://${r.manifest.uploads.bucket}/${r.manifest.uploads.prefix}`,
    );
  const c = r.manifest.counts;
  if (r.problems.length) {
    for (const p of r.problems) console.error(`  - ${p}`);
    throw new OpsError(
      `restored into ${r.dataDir}, but the integrity check found ${r.problems.length} problem(s) (listed above)`,
      EXIT.DATA,
    );
  }
  say(
    `restored ${r.manifest.createdAt} backup into ${r.dataDir}: ${c.users} users, ${c.runs} runs, ${c.files} files; integrity check passed`,
  );
  return EXIT.OK;
});
