// `npm run backup -- <dir>` (or `node api/dist/ops/backup.js <dir>` in the container image).
import { rmSync } from 'node:fs';
import { createBackup } from './backup.writer.js';
import { opsConfig, parseArgs, runMain, userPath } from './ops.cli.js';
import { EXIT, OpsError } from './ops.error.js';

const USAGE = 'Usage: npm run backup -- <new folder>';

runMain('backup', async () => {
  const { positional } = parseArgs(process.argv.slice(2), { flags: [], values: [] }, USAGE);
  if (positional.length !== 1) throw new OpsError(USAGE, EXIT.USAGE);
  const config = opsConfig();
  let temp: string | null = null;
  // stopped by a signal: the half-written folder goes, nothing that looks like a backup stays
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(signal, () => {
      if (temp) rmSync(temp, { recursive: true, force: true });
      console.error(`backup: stopped by ${signal}; nothing was written`);
      setImmediate(() => process.exit(EXIT.FAILED));
    });
  const say = (line: string) => console.log(line);
  const { dir, manifest, bytes } = await createBackup(
    config,
    userPath(positional[0]!),
    say,
    (t) => (temp = t),
  );
  const c = manifest.counts;
  say(
    `backup written to ${dir}: ${manifest.database.kind} database (${c.users} users, ${c.runs} runs, ${c.files} files, ${c.auditEvents} audit events), ` +
      `${c.outputFiles} output files, ${manifest.uploads.copied ? `${c.uploadFiles} uploads` : 'uploads NOT copied (S3 bucket)'}, ${(bytes / 1024 / 1024).toFixed(1)} MiB`,
  );
  return EXIT.OK;
});
