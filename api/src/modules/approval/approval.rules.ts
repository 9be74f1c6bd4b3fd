// Who may decide a run waiting for approval; no imports of services, so command.service can use it.
import type { CommandSpec } from '../../config/agent-config.types.js';
import type { CommandRun } from '../commands/command-run.entity.js';
import type { Viewer } from '../auth/viewer.js';

/** The viewer's role is among the command's approvers (being the requester is checked apart). */
export function isApprover(viewer: Viewer, spec: CommandSpec | undefined): boolean {
  const role = viewer.role === 'ADMIN' ? 'admin' : 'user';
  return !!spec?.approval?.approvers.includes(role);
}

type Decidable = Pick<CommandRun, 'status' | 'commandName' | 'startedById'>;

/** A run this viewer could approve now: pending, of a command they approve, and not theirs. */
export function mayDecide(
  viewer: Viewer,
  run: Decidable,
  commands: readonly CommandSpec[],
): boolean {
  return (
    run.status === 'PENDING_APPROVAL' &&
    run.startedById !== viewer.userId &&
    isApprover(
      viewer,
      commands.find((c) => c.name === run.commandName),
    )
  );
}

/** Some command lets role `user` approve: only then does a USER see runs that are not theirs. */
export const usersApprove = (commands: readonly CommandSpec[]): boolean =>
  commands.some((c) => c.approval?.approvers.includes('user'));
