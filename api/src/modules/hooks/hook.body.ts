// A webhook body, read whole up to a small limit: refused from its Content-Length before a byte
// is read, or at the first chunk past the limit, with the connection closed rather than drained.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { guardBodyPace, type BodyPace } from '../../http/body-pace.js';

export const MAX_HOOK_BODY = 64 * 1024;

export type BodyRead = { body: Buffer } | { tooLarge: true } | { ended: true };

export async function readHookBody(
  req: IncomingMessage,
  res: ServerResponse,
  pace: BodyPace,
  limit = MAX_HOOK_BODY,
): Promise<BodyRead> {
  if (Number(req.headers['content-length']) > limit) return { tooLarge: true };
  const stop = guardBodyPace(req, res, pace);
  try {
    return await new Promise<BodyRead>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size <= limit) return void chunks.push(chunk);
        req.off('data', onData);
        req.pause();
        resolve({ tooLarge: true });
      };
      req.on('data', onData);
      req.once('end', () => resolve({ body: Buffer.concat(chunks) }));
      req.once('error', reject);
      // cut off before the end (a stalled body answered by guardBodyPace, a client gone)
      req.once('close', () => !req.complete && resolve({ ended: true }));
    });
  } finally {
    stop();
  }
}

/** After answering a body we will not read: close the connection instead of draining it. */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  const cut = () => {
    req.destroy();
    req.socket.destroy();
  };
  if (res.writableFinished) cut();
  else res.once('finish', cut).once('close', cut);
}
