import type { Client } from '@urql/core';
import { runQuery } from '../../lib/graphql/answer';
import type { RunSummaryFragment } from '../../lib/graphql/generated/graphql';
import { openStream, type Stream, type StreamStatus } from '../../lib/graphql/stream';
import { frameBatch } from '../../lib/ui/batch';
import { type OutputChunk, type OutputState } from './output.reducer';
import { CommandOutputSubscription, CommandRunQuery } from './runs.documents';

export interface RunOutputOptions {
  runId: string;
  /** the reducer's current state: its lastSeq is where a resubscription starts */
  state(): OutputState;
  apply(chunks: OutputChunk[]): void;
  run(): RunSummaryFragment | null;
  setRun(run: RunSummaryFragment): void;
  onStatus(status: StreamStatus, message?: string): void;
}

/**
 * Follows one run's output. After any end of the stream it subscribes again from the last seq;
 * it stops once a subscription that began after the run had finished has completed, because
 * that one has delivered every stored chunk.
 */
export function followRunOutput(client: Client, o: RunOutputOptions): Stream {
  const batch = frameBatch<OutputChunk>(o.apply);
  let startedAfterFinish = false;
  const stream = openStream(client, CommandOutputSubscription, {
    variables() {
      batch.flush();
      startedAfterFinish = (o.run()?.status ?? 'RUNNING') !== 'RUNNING';
      return { runId: o.runId, afterSeq: o.state().lastSeq };
    },
    onData: (data) => batch.push(data.commandOutput),
    async onComplete() {
      batch.flush();
      if (startedAfterFinish) return false;
      const result = await runQuery(client, CommandRunQuery, { id: o.runId });
      if (result.data?.commandRun) o.setRun(result.data.commandRun);
      return true;
    },
    onStatus: (status, failure) => o.onStatus(status, failure?.message),
  });
  return {
    close() {
      stream.close();
      batch.cancel();
    },
  };
}
