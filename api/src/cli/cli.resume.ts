import type { StreamEnd } from './cli.client.js';
import { UnreachableError } from './cli.errors.js';

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

export interface ResumeOptions {
  url: string;
  /** how long to keep trying after a drop, in ms (default 60 s) */
  windowMs?: number;
  /** where the stream resumes, for the message on stderr */
  position: () => string;
  /** a first attempt that never connected is not retried: the server is simply not there */
  retryFirst?: boolean;
  warn?: (line: string) => void;
}

/**
 * Runs `attempt` (one subscription from the current position) until it completes; after a
 * dropped connection (a restart, a network cut) it tries again with backoff for up to `windowMs`
 * from the drop, saying so on stderr. A refusal from the server is thrown as it is.
 */
export async function resumeUntilComplete(
  attempt: (onConnected: () => void) => Promise<StreamEnd>,
  opts: ResumeOptions,
): Promise<void> {
  const warn = opts.warn ?? ((line: string) => process.stderr.write(`tiny-agent: ${line}\n`));
  const windowMs = opts.windowMs ?? 60_000;
  let droppedAt: number | null = null;
  let delay = FIRST_DELAY_MS;
  let everConnected = false;
  const onConnected = () => {
    everConnected = true;
    if (droppedAt === null) return;
    warn(`reconnected; resuming ${opts.position()}`);
    droppedAt = null;
    delay = FIRST_DELAY_MS;
  };
  for (;;) {
    const end = await attempt(onConnected);
    if (end.kind === 'complete') return;
    if (end.kind === 'refused') throw end.error;
    if (!everConnected && !opts.retryFirst) throw new UnreachableError(opts.url, end.reason);
    if (droppedAt === null) {
      droppedAt = Date.now();
      warn(`connection lost (${end.reason}); reconnecting for up to ${windowMs / 1000} s…`);
    }
    if (Date.now() - droppedAt > windowMs)
      throw new UnreachableError(
        opts.url,
        `no connection for ${windowMs / 1000} s (${end.reason})`,
      );
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}
