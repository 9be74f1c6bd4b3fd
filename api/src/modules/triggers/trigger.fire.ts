// One firing of a log-pattern trigger: recorded first (once across instances), then its command
// started through runCommand's checks, then its notify targets told.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { TriggerSpec } from '../../config/agent-config.types.js';
import type { AppServices } from '../../context.js';
import { AppError } from '../../errors.js';
import { startAutomaticRun } from '../automation/automation.run.js';
import { encodeCursor } from '../logs/log.cursor.js';
import type { LineEvent } from '../logs/log.event.js';
import { enqueueNotifications } from '../notify/notify.enqueue.js';
import { TriggerFiring } from './trigger.firing.entity.js';
import { substitute, type Captures } from './trigger.match.js';

/** A stored line is at most this many UTF-8 bytes. */
export const MAX_LINE_BYTES = 4096;
const ERROR_MAX = 1000;

/** `text` cut to at most `bytes` UTF-8 bytes, never inside a character. */
export function cutUtf8(text: string, bytes: number): string {
  if (text.length * 3 <= bytes) return text;
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(bytes));
  return text.slice(0, read);
}

/**
 * Records the firing of `spec` on `line`, then acts. Null when another instance following the same
 * file recorded this line first (the unique trigger + cursor): it acts, not this one.
 */
export async function fire(
  app: AppServices,
  spec: TriggerSpec,
  line: LineEvent,
  captures: Captures,
): Promise<TriggerFiring | null> {
  const em = app.orm.em.fork();
  const firing = em.create(TriggerFiring, {
    triggerName: spec.name,
    source: spec.source,
    line: cutUtf8(line.text, MAX_LINE_BYTES),
    cursor: encodeCursor(line.cursor),
    firedAt: new Date(),
  } as TriggerFiring);
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return null;
    throw err;
  }
  if (spec.run) {
    const args = substitute(spec.run.args, captures);
    try {
      const run = await startAutomaticRun(app, spec.run.command, args, {
        trigger: 'LOG_PATTERN',
        name: spec.name,
      });
      firing.runId = run.id;
    } catch (err) {
      firing.error = refusal(app, spec, err);
    }
    await em.flush();
  }
  app.log.info('log trigger fired', {
    trigger: spec.name,
    source: spec.source,
    runId: firing.runId ?? undefined,
    refused: firing.error ?? undefined,
  });
  if (spec.notify.length > 0)
    await enqueueNotifications(app, spec.notify, {
      event: 'TRIGGER_FIRED',
      subject: `Trigger ${spec.name} fired on ${spec.source}`,
      body: describe(spec, firing),
      firingId: firing.id,
      runId: firing.runId,
    });
  return firing;
}

/** Why the command did not start, in the words runCommand gave a person. */
function refusal(app: AppServices, spec: TriggerSpec, err: unknown): string {
  if (err instanceof AppError) return `${err.code}: ${err.message}`.slice(0, ERROR_MAX);
  app.log.error('log trigger could not start its command', { trigger: spec.name, err });
  return 'The command could not be started because of an internal error; see the server log.';
}

function describe(spec: TriggerSpec, firing: TriggerFiring): string {
  const action = !spec.run
    ? 'No command to run.'
    : firing.runId
      ? `Started ${spec.run.command}: run ${firing.runId} (/runs/${firing.runId}).`
      : `Did not start ${spec.run.command}: ${firing.error}`;
  return [`Source: ${spec.source}`, `Line: ${firing.line}`, action].join('\n');
}
