// The commands page's search and grouping: pure, so it is tested without a browser.

export interface Listed {
  name: string;
  title: string;
  description?: string | null;
  group?: string | null;
}

export interface Section<C> {
  /** null: the ungrouped commands, listed last */
  group: string | null;
  commands: C[];
}

/** Every word of the query must appear in the name, title or description (any case). */
export function matches(command: Listed, query: string): boolean {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text =
    `${command.name}\n${command.title}\n${command.description ?? ''}`.toLocaleLowerCase();
  return words.every((w) => text.includes(w));
}

/** Matching commands in sections: groups in the order the file first names them, ungrouped last. */
export function sections<C extends Listed>(commands: readonly C[], query: string): Section<C>[] {
  const byGroup = new Map<string | null, C[]>();
  for (const c of commands) {
    if (!matches(c, query)) continue;
    const key = c.group ?? null;
    byGroup.set(key, [...(byGroup.get(key) ?? []), c]);
  }
  const ungrouped = byGroup.get(null);
  byGroup.delete(null);
  const out = [...byGroup].map(([group, list]) => ({ group, commands: list }));
  return ungrouped ? [...out, { group: null, commands: ungrouped }] : out;
}

/** The newest run's status per command name, from runs listed newest first. */
export function lastStatus<S>(runs: readonly { commandName: string; status: S }[]): Map<string, S> {
  const last = new Map<string, S>();
  for (const r of runs) if (!last.has(r.commandName)) last.set(r.commandName, r.status);
  return last;
}
