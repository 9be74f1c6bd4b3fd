// One POST to a receiver, with the words a failure is recorded in: the receiver's host and what
// went wrong, never its path, query or userinfo (those may hold a token).

/** The host (and port) of `url`: all of a target's address that is shown anywhere. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

/** Posts `body`; resolves on a 2xx answer, otherwise throws an Error whose message is safe to show. */
export async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<void> {
  const where = hostOf(url);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'error' });
  } catch (err) {
    if (signal.aborted) throw new Error(`no answer from ${where} in time`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `could not reach ${where}: ${cause?.code ?? cause?.message ?? 'network error'}`,
    );
  }
  // the body is read (bounded by the signal) so the connection is released
  const text = await res.text().catch(() => '');
  if (res.ok) return;
  const said = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  throw new Error(`HTTP ${res.status} from ${where}${said ? `: ${said}` : ''}`);
}
