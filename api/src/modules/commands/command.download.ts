import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices } from '../../context.js';
import { drained, refuseSignedOut, startDownload } from '../../http/download.js';
import { sendError } from '../../http/respond.js';
import type { Viewer } from '../auth/viewer.js';
import { CommandRun } from './command-run.entity.js';
import { PlainText } from './command.plain.js';
import { runVisible } from './command.service.js';

export const RUN_OUTPUT_PATH = /^\/runs\/([^/?]+)\/output\.txt$/;
const RUN_ID = /^[0-9a-f-]{36}$/;

/**
 * `GET /runs/:id/output.txt`: the run's whole stored output, stdout and stderr interleaved as they
 * came. As written (colour codes kept, `Range` honoured once the run has ended), or with
 * `?plain=1` without terminal escapes. Same access as `commandRun(id)`.
 */
export async function serveRunOutput(
  req: IncomingMessage,
  res: ServerResponse,
  app: AppServices,
  viewer: Viewer | null,
): Promise<void> {
  const [pathname, query = ''] = (req.url ?? '').split('?', 2) as [string, string?];
  const id = RUN_OUTPUT_PATH.exec(pathname)?.[1] ?? '';
  if (!viewer) return refuseSignedOut(res);
  const em = app.orm.em.fork();
  const run = RUN_ID.test(id) ? await em.findOne(CommandRun, { id }) : null;
  // someone else's run answers exactly like a missing one
  if (!run || !runVisible(viewer, run))
    return sendError(res, 404, 'NOT_FOUND', 'That command run was not found.');

  const plain = new URLSearchParams(query).get('plain') === '1';
  // a finished run's stored size is final; a running one grows, so it is sent whole, unsized
  const size = !plain && run.status !== 'RUNNING' ? run.outputBytes : null;
  const stamp = run.startedAt.toISOString().slice(0, 19).replace(/[T:]/g, '-');
  const span = await startDownload(req, res, {
    fileName: `${run.commandName}-${stamp}.txt`,
    contentType: 'text/plain; charset=utf-8',
    size,
    etag: `"${run.id}-${run.lastSeq}-${size}"`,
  });
  if (!span) return;
  const { start, end } = span;

  const strip = plain ? { STDOUT: new PlainText(), STDERR: new PlainText() } : null;
  let left = end - start + 1; // Infinity-safe: an unsized download has end = Infinity
  for await (const { stream, data } of app.outputStore.bytes(run.id, strip ? 0 : start)) {
    let bytes = strip ? Buffer.from(strip[stream].push(data.toString('utf8'))) : data;
    if (bytes.length > left) bytes = bytes.subarray(0, left);
    left -= bytes.length;
    if (!res.write(bytes)) await drained(res);
    if (res.destroyed || left <= 0) return void res.end();
  }
  if (strip) res.write(strip.STDOUT.end() + strip.STDERR.end());
  res.end();
}
