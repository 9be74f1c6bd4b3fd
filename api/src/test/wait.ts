export interface WaitOptions {
  /** give up after this long; default 5 s */
  timeoutMs?: number;
  /** what is awaited, for the timeout's message; a function is asked only then (say, for what was seen) */
  what?: string | (() => string);
  /** how often to check; default 20 ms */
  everyMs?: number;
}

/** Resolves once `pred` holds (it may be async), checking every `everyMs`; rejects naming `what` after `timeoutMs`. */
export async function waitUntil(
  pred: () => boolean | Promise<boolean>,
  opts: WaitOptions = {},
): Promise<void> {
  const { timeoutMs = 5000, what = 'a condition', everyMs = 20 } = opts;
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
