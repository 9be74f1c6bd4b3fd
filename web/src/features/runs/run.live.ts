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
  setRun(run: RunSummaryFragment): void;
  onStatus(status: StreamStatus, message?: string): void;
}

/**
 * Follows one run's output. After a dropped stream it subscribes again from the last seq. The
 * server completes the stream only once the run has ended and every chunk was sent, so a
 * completion is the end: it used to resubscribe once more (after a backoff delay, "Live" all the
 * while) just to learn that. A chunk that does not continue from the last seq applied (the reducer
 * reports the gap and applies nothing past it) starts a new subscription from that seq, which the
 * server answers from its store: a hole is filled, never skipped.
 */
export function followRunOutput(client: Client, o: RunOutputOptions): Stream {
  let current = open();

  function open() {
    const batch = frameBatch<OutputChunk>((chunks) => {
      o.apply(chunks);
      if (o.state().gap) restart();
    });
    const stream = openStream(client, CommandOutputSubscription, {
      variables() {
        batch.flush();
        return { runId: o.runId, afterSeq: o.state().lastSeq };
      },
      onData: (data) => batch.push(data.commandOutput),
      onComplete() {
        batch.flush();
        if (o.state().gap) return false; // the new subscription reads the rest
        // the final status and exit code, in case the commandRunUpdated event was missed
        void runQuery(client, CommandRunQuery, { id: o.runId }).then((result) => {
          if (result.data?.commandRun) o.setRun(result.data.commandRun);
        });
        return false;
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

  function restart() {
    current.close();
    current = open();
  }

  return {
    close() {
      current.close();
    },
  };
}
