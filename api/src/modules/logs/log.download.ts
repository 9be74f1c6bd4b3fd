// `GET /logs/:source/lines.txt`: the lines of a range or a search as a text file, streamed from
// the log's files (rotated ones too) with backpressure (a 200 MB file is never held in memory). Same access as logLines.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices } from '../../context.js';
import { BadUserInputError, NotFoundError } from '../../errors.js';
import { drained, refuseSignedOut, startDownload } from '../../http/download.js';
import { sendError } from '../../http/respond.js';
import type { LogSourceSpec } from '../../config/agent-config.js';
import type { Viewer } from '../auth/viewer.js';
import { decodeCursor } from './log.cursor.js';
import { parseDateParam, timeRange } from './log.query.js';
import { streamRange } from './log.range.js';
import { lineFilter, readableSource } from './log.service.js';

export const LOG_LINES_PATH = /^\/logs\/([^/?]+)\/lines\.txt$/;
/** Text gathered before one write: big enough that the per-write cost vanishes, small in memory. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The matching lines of `?since=&until=&after=&before=&filter=&where=` (each optional, as in logLines, with
 * no line count limit), oldest first. Bad arguments answer 400 in logLines' words; a source the
 * role may not read 404, as an unknown one. Reading stops when the client goes away.
 */
export async function serveLogDownload(
  req: IncomingMessage,
  res: ServerResponse,
  app: AppServices,
  viewer: Viewer | null,
): Promise<void> {
  const [pathname, query = ''] = (req.url ?? '').split('?', 2) as [string, string?];
  if (!viewer) return refuseSignedOut(res);
  const spec = findSpec(viewer, app, pathname);
  // unknown and not readable alike; the router would answer 400 for it (GraphQL's NOT_FOUND is a 200)
  if (spec instanceof NotFoundError) return sendError(res, 404, spec.code, spec.message);
  const params = new URLSearchParams(query);
  const range = timeRange({
    since: parseDateParam(params.get('since'), 'since'),
    until: parseDateParam(params.get('until'), 'until'),
  });
  const after = params.get('after') ? decodeCursor(params.get('after')!) : null;
  const before = params.get('before') ? decodeCursor(params.get('before')!) : null;
  if (after && before) throw new BadUserInputError('Give either after or before, not both.');
  const filter = lineFilter(spec, { filter: params.get('filter'), where: params.get('where') });

  const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-');
  const span = await startDownload(req, res, {
    fileName: `${spec.name}-${stamp}.txt`,
    contentType: 'text/plain; charset=utf-8',
    size: null, // unknown until read: sent unsized, without ranges
  });
  if (!span) return;
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  const lines = streamRange(
    spec.path,
    range,
    { after, before },
    { filter, signal: gone.signal, onRefused: app.logHub.onRefused },
  );
  let chunk = '';
  for await (const line of lines) {
    chunk += `${line.text}\n`;
    if (chunk.length < CHUNK_CHARS) continue;
    if (!res.write(chunk)) await drained(res);
    chunk = '';
    if (gone.signal.aborted) return void (await lines.return(undefined));
  }
  res.end(chunk);
}

function findSpec(
  viewer: Viewer,
  app: AppServices,
  pathname: string,
): LogSourceSpec | NotFoundError {
  try {
    const name = decodeURIComponent(LOG_LINES_PATH.exec(pathname)?.[1] ?? '');
    return readableSource(viewer, app.agent.config.logs, name);
  } catch (err) {
    if (err instanceof URIError) return new NotFoundError('That log source');
    if (err instanceof NotFoundError) return err;
    throw err;
  }
}
