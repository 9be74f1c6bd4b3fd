// Starting a run from the UI, shared by the run form and the one-click button on a card:
// asks first when agent.yaml marks the command `confirm`, then opens the new run's page.
import type { Requests } from '../../lib/graphql/requests.svelte';
import { router } from '../../lib/router/router.svelte';
import { confirmAction } from '../../lib/ui/confirm';
import type { ArgInput } from './arg.validation';
import { RunCommandMutation } from './commands.documents';

export interface Startable {
  name: string;
  title: string;
  confirm: boolean;
  confirmMessage?: string | null;
}

/** What the dialog says the run will get, so the user confirms the values, not just the name. */
function describeArgs(args: readonly ArgInput[]): string {
  if (args.length === 0) return 'It runs with no arguments.';
  return `With ${args.map((a) => `${a.name} = ${a.value === '' ? '(empty)' : a.value}`).join(', ')}.`;
}

/** Resolves true once the run has started (and the page moved to it); false when declined or refused. */
export async function startRun(
  requests: Requests,
  command: Startable,
  args: ArgInput[],
): Promise<boolean> {
  if (
    command.confirm &&
    !(await confirmAction({
      title: command.confirmMessage ?? `Run ${command.title}?`,
      message: describeArgs(args),
      confirmLabel: 'Run now',
      danger: false,
    }))
  )
    return false;
  const data = await requests.mutate(RunCommandMutation, { name: command.name, args });
  if (!data) return false;
  router.navigate(`/runs/${encodeURIComponent(data.runCommand.id)}`);
  return true;
}
