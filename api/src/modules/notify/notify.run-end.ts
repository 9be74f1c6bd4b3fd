// A run of a command with `notify:` ended: queue RUN_FAILED or RUN_SUCCEEDED for the targets
// whose `on` matches. Called by the instance that recorded the end, once per run; it only
// writes outbox rows, so the run's end is never held up by a receiver.
import { hostname } from 'node:os';
import type { NotifyWhen } from '../../config/agent-config.types.js';
import type { AppServices } from '../../context.js';
import type { CommandRun, RunStatus } from '../commands/command-run.entity.js';
import { PlainText } from '../commands/command.plain.js';
import { User } from '../users/user.entity.js';
import { enqueueNotifications } from './notify.enqueue.js';
import { runUrl } from './notify.payload.js';

type Services = Pick<AppServices, 'orm' | 'log' | 'agent' | 'config' | 'outputStore'>;

const TAIL_LINES = 20;
const TAIL_LINE_MAX = 300;
// the last chunks read for the tail: 20 lines are nearly always in them
const TAIL_CHUNKS = 8;

// CANCELLED was someone's choice, not a failure to hear of: only `always` reports it.
// INTERRUPTED (the server stopped under it) did not finish its work: that is a failure.
const FAILURE: ReadonlySet<RunStatus> = new Set(['FAILED', 'TIMED_OUT', 'INTERRUPTED']);

export function wants(on: NotifyWhen, status: RunStatus): boolean {
  if (on === 'always') return true;
  return on === 'success' ? status === 'SUCCEEDED' : FAILURE.has(status);
}

export async function notifyRunEnd(app: Services, run: CommandRun): Promise<void> {
  // the file as it is now: an edit since the run started counts
  const spec = app.agent.config.commands.find((c) => c.name === run.commandName);
  const targets = (spec?.notify ?? []).filter((n) => wants(n.on, run.status)).map((n) => n.target);
  if (targets.length === 0) return;
  try {
    await enqueueNotifications(app, targets, {
      event: run.status === 'SUCCEEDED' ? 'RUN_SUCCEEDED' : 'RUN_FAILED',
      subject: `${run.commandName} ${outcome(run)} on ${hostname()}`,
      body: await bodyOf(app, run),
      runId: run.id,
    });
  } catch (err) {
    app.log.error('could not queue the notification of a run end', {
      runId: run.id,
      err: String(err),
    });
  }
}

function outcome(run: CommandRun): string {
  switch (run.status) {
    case 'SUCCEEDED':
      return 'succeeded';
    case 'FAILED':
      if (run.exitCode === 0 && run.checkReason) return 'failed an output check (exit 0)';
      if (run.exitCode !== null) return `failed (exit ${run.exitCode})`;
      return run.signal ? `failed (${run.signal})` : 'failed to start';
    case 'TIMED_OUT':
      return 'timed out';
    case 'CANCELLED':
      return 'was cancelled';
    case 'INTERRUPTED':
      return 'was interrupted (the server stopped)';
    default:
      return run.status.toLowerCase();
  }
}

async function bodyOf(app: Services, run: CommandRun): Promise<string> {
  const starter = await app.orm.em.fork().findOne(User, run.startedById, { fields: ['username'] });
  const by =
    run.trigger === 'MANUAL'
      ? `${starter?.username ?? 'a deleted user'} (manual)`
      : `${run.trigger.toLowerCase().replace('_', ' ')} ${run.triggerName ?? ''}`.trim();
  const seconds = ((run.finishedAt ?? new Date()).getTime() - run.startedAt.getTime()) / 1000;
  const lines = [
    `Command: ${run.commandName}`,
    `Arguments: ${run.argv.map(quote).join(' ')}`,
    `Started by: ${by}`,
    `Status: ${run.status}${run.exitCode !== null ? `, exit code ${run.exitCode}` : ''}${run.signal ? `, signal ${run.signal}` : ''}`,
    `Duration: ${seconds.toFixed(1)} s`,
  ];
  if (run.error) lines.push(`Error: ${run.error.slice(0, 500)}`);
  if (run.checkReason) lines.push(`Output check: ${run.checkReason.slice(0, 500)}`);
  const origin = app.config.PUBLIC_ORIGIN[0];
  if (origin) lines.push(`Run: ${runUrl(origin, run.id)}`);
  const tail = await outputTail(app, run);
  if (tail) lines.push('', `Last ${TAIL_LINES} lines of output:`, tail);
  return lines.join('\n');
}

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a));

/** The last TAIL_LINES lines of the run's stored output, escapes removed, each line bounded. */
async function outputTail(app: Services, run: CommandRun): Promise<string> {
  try {
    const { chunks } = await app.outputStore.read(run.id, Math.max(0, run.lastSeq - TAIL_CHUNKS), {
      maxChunks: TAIL_CHUNKS,
      maxBytes: 1024 * 1024,
    });
    const plain = new PlainText();
    const text = chunks.map((c) => plain.push(c.data)).join('') + plain.end();
    return text
      .replace(/\r\n?/g, '\n')
      .replace(/\n$/, '')
      .split('\n')
      .slice(-TAIL_LINES)
      .map((l) => (l.length > TAIL_LINE_MAX ? `${l.slice(0, TAIL_LINE_MAX)}…` : l))
      .join('\n');
  } catch {
    return '';
  }
}
