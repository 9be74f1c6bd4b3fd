// How the Triggers panel says what a trigger does, in words. Pure: tested in Node.

export interface TriggerAction {
  command: string | null;
  args: readonly { name: string; value: string }[];
  notify: readonly string[];
}

/** "runs restart-service service={{proc}}, notifies ops", or "does nothing". */
export function describeAction(t: TriggerAction): string {
  const parts: string[] = [];
  if (t.command) {
    const args = t.args.map((a) => `${a.name}=${a.value}`).join(' ');
    parts.push(args ? `runs ${t.command} ${args}` : `runs ${t.command}`);
  }
  if (t.notify.length > 0) parts.push(`notifies ${t.notify.join(', ')}`);
  return parts.join(', ') || 'does nothing';
}

/** "60 s", "5 min", "2 h", "none": how long matches are ignored after a firing. */
export function describeCooldown(seconds: number): string {
  if (seconds === 0) return 'none';
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The Logs page on the trigger's source, filtered by its pattern. */
export function logsHref(source: string, pattern: string): string {
  return `/logs?${new URLSearchParams({ source, filter: pattern }).toString()}`;
}
