// The run events realtime carries: their own file, so pubsub's topic map and the supervisor don't import each other.
import type { StreamName } from './command-run.entity.js';

/** What a live subscriber receives; plain JSON so it can cross Redis too. */
export interface LiveChunk {
  seq: number;
  /** the first seq a joined chunk covers (absent: just `seq`) */
  from?: number;
  stream: StreamName;
  data: string;
  at: string;
}
export type OutputEvent = { chunk: LiveChunk } | { end: { lastSeq: number } };
