// Collects stream events and hands them over once per animation frame, so a burst of
// thousands of chunks costs one state update and one render instead of thousands.

export interface FrameBatch<T> {
  push(item: T): void;
  /** applies whatever is waiting now (before reading state, e.g. for a resume point) */
  flush(): void;
  cancel(): void;
}

export function frameBatch<T>(
  apply: (items: T[]) => void,
  schedule: (cb: () => void) => unknown = requestAnimationFrame,
): FrameBatch<T> {
  let waiting: T[] = [];
  let scheduled = false;
  let cancelled = false;
  const flush = () => {
    scheduled = false;
    if (cancelled || waiting.length === 0) return;
    const items = waiting;
    waiting = [];
    apply(items);
  };
  return {
    push(item) {
      if (cancelled) return;
      waiting.push(item);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    flush,
    cancel() {
      cancelled = true;
      waiting = [];
    },
  };
}
