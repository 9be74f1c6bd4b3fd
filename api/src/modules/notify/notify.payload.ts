// What a sender delivers: the outbox row's message with the facts of its run, read when it is sent.
import type { MikroORM } from '@mikro-orm/core';
import { CommandRun } from '../commands/command-run.entity.js';
import type { Notification, NotifyEvent } from './notification.entity.js';

/** The JSON a `webhook` target receives; the other senders use parts of it. */
export interface NotifyPayload {
  event: NotifyEvent;
  subject: string;
  body: string;
  runId: string | null;
  command: string | null;
  status: string | null;
  exitCode: number | null;
  /** why an output check (failOn/successOn) failed the run, when one did */
  checkReason: string | null;
  /** the run's page, when PUBLIC_ORIGIN names where the UI is */
  url: string | null;
  at: string;
}

export async function payloadOf(
  orm: MikroORM,
  n: Notification,
  publicOrigin: string | undefined,
): Promise<NotifyPayload> {
  const run = n.runId
    ? await orm.em.fork().findOne(CommandRun, n.runId, {
        fields: ['id', 'commandName', 'status', 'exitCode', 'checkReason'],
      })
    : null;
  return {
    event: n.event,
    subject: n.subject,
    body: n.body,
    runId: n.runId,
    command: run?.commandName ?? null,
    status: run?.status ?? null,
    exitCode: run?.exitCode ?? null,
    checkReason: run?.checkReason ?? null,
    url: n.runId && publicOrigin ? runUrl(publicOrigin, n.runId) : null,
    at: n.createdAt.toISOString(),
  };
}

export const runUrl = (origin: string, runId: string) => `${origin}/runs/${runId}`;
