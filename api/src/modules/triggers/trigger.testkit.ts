// Shared by the trigger tests: what a server says of its triggers, and waiting for it.
import type { Auth, TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';

export interface FiringView {
  id: string;
  at: string;
  line: string;
  cursor: string;
  error: string | null;
  run: {
    id: string;
    trigger: string;
    triggerName: string | null;
    argv: string[];
    startedBy: { username: string };
  } | null;
}

const QUERY = `{ logTriggers { name lastFiredAt firings(first: 100) {
  id at line cursor error run { id trigger triggerName argv startedBy { username } } } } }`;

/** The firings of trigger `name`, newest first, as the API gives them. */
export async function firingsOf(s: TestServer, auth: Auth, name: string): Promise<FiringView[]> {
  const r = await s.gql(QUERY, {}, auth);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  const t = (r.data.logTriggers as { name: string; firings: FiringView[] }[]).find(
    (x) => x.name === name,
  );
  return t?.firings ?? [];
}

/**
 * Waits until trigger `name` has `n` firings and, when it runs a command, each has its run or its
 * refusal (a firing is recorded before its command starts); returns them, newest first.
 */
export async function waitForFirings(
  s: TestServer,
  auth: Auth,
  name: string,
  n: number,
  opts: { runs?: boolean; timeoutMs?: number } = {},
): Promise<FiringView[]> {
  const { runs = true, timeoutMs = 10_000 } = opts;
  let seen: FiringView[] = [];
  const done = (f: FiringView) => !runs || f.run !== null || f.error !== null;
  const check = async () => (seen = await firingsOf(s, auth, name)).length >= n && seen.every(done);
  await waitUntil(check, {
    timeoutMs,
    everyMs: 100,
    what: () => `${n} firings of ${name} (have ${seen.length})`,
  });
  return seen;
}

const FOLLOWING = /"log trigger following".*?"trigger":"([a-z0-9-]+)"/g;

/** Waits until the server's log says trigger `name` follows its file live `times` times in all. */
export async function waitFollowing(s: TestServer, name: string, times = 1): Promise<void> {
  const count = () => [...s.logText().matchAll(FOLLOWING)].filter((m) => m[1] === name).length;
  await waitUntil(() => count() >= times, {
    timeoutMs: 10_000,
    what: `trigger ${name} following its file (${times})`,
  });
}
