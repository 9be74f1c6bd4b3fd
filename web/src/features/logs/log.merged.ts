// The merged view's pure parts: which sources the URL names, where a resubscription resumes,
// and each source's tag colour.

/** The most sources the server merges in one tail (logTailMerged). */
export const MAX_MERGED = 10;

/** `?source=app&merge=web,db` → ['app', 'web', 'db']: the chosen source first, no repeats, bounded. */
export function mergedSources(source: string, merge: string | null): string[] {
  const names = [source, ...(merge ?? '').split(',')].map((n) => n.trim()).filter(Boolean);
  return [...new Set(names)].slice(0, MAX_MERGED);
}

/** The `merge` parameter for the chosen source plus `others` (null when none is left). */
export function mergeParam(source: string, others: readonly string[]): string | null {
  const rest = others.filter((n) => n && n !== source);
  return rest.length ? [...new Set(rest)].join(',') : null;
}

/**
 * A (re)subscription: every source that has sent something resumes after its own last cursor;
 * the others start with the backfill (they sent nothing, so nothing repeats).
 */
export function mergedVariables(
  sources: readonly string[],
  cursors: ReadonlyMap<string, string>,
  backfill: number,
  filter: string,
) {
  const after = sources.flatMap((source) => {
    const cursor = cursors.get(source);
    return cursor ? [{ source, cursor }] : [];
  });
  return {
    sources: [...sources],
    backfill,
    filter: filter.trim() || null,
    after: after.length ? after : null,
  };
}

const COLOURS = ['--ansi-4', '--ansi-3', '--ansi-5', '--ansi-6', '--ansi-2', '--ansi-1'];

/** A source's tag colour: by its place in the list, so the tags of one view never share one. */
export function sourceColour(sources: readonly string[], source: string): string {
  const i = Math.max(0, sources.indexOf(source));
  return `var(${COLOURS[i % COLOURS.length]})`;
}
