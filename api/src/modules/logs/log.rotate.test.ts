import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FollowEvent } from './log.event.js';
import { followInto } from './log.follower.js';
import {
  LOGROTATE,
  movedAside,
  runLogrotate,
  sleep,
  startWriter,
  tally,
  tempDir,
} from '../../test/log.testkit.js';
import { waitUntil } from '../../test/wait.js';

// Real logrotate (apt-get install logrotate) rotating while a separate process appends numbered lines.
const TOTAL = 4000;

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

async function followWhileRotating(
  mode: 'create' | 'copytruncate',
): Promise<{ events: FollowEvent[]; rotations: number }> {
  if (!LOGROTATE) throw new Error('logrotate is not installed: apt-get install -y logrotate');
  const path = join(dir, 'app.log');
  const config = join(dir, 'logrotate.conf');
  writeFileSync(config, `${path} {\n  ${mode}\n  rotate 10\n  missingok\n}\n`);
  writeFileSync(path, '');
  const events: FollowEvent[] = [];
  const follower = followInto(path, { startAt: 'start', pollMs: 100, rotateWaitMs: 100 }, (e) =>
    events.push(e),
  );
  const lineCount = (): number => events.filter((e) => e.kind === 'LINE').length;
  const switches = (): number =>
    events.filter((e) => e.kind === (mode === 'create' ? 'ROTATED' : 'TRUNCATED')).length;
  const writer = startWriter(path, TOTAL, 10, 3);
  try {
    let rotations = 0;
    for (const at of [TOTAL / 8, TOTAL / 4, TOTAL / 2]) {
      await waitUntil(() => lineCount() >= at, { timeoutMs: 15_000, what: `${at} lines` });
      await runLogrotate(config, join(dir, 'state'));
      rotations++;
      // the next rotation waits for this one to be followed: two rotations before the follower
      // switches would skip the middle file (logrotate runs hours apart, not milliseconds)
      await waitUntil(() => switches() === rotations, {
        timeoutMs: 15_000,
        what: `switch ${rotations}`,
      });
    }
    await writer.done;
    const last = `line ${TOTAL} `;
    await waitUntil(() => events.some((e) => e.kind === 'LINE' && e.text.startsWith(last)), {
      timeoutMs: 10_000,
      what: 'the last line',
    });
    await sleep(300); // anything late (a duplicate) would show up now
    return { events, rotations };
  } finally {
    writer.child.kill(); // done by now, unless the test failed: then it must not write on into cleanup
    await follower.close();
  }
}

describe('the follower under real logrotate', () => {
  it('create: every line exactly once, ROTATED at each switch', async () => {
    const { events, rotations } = await followWhileRotating('create');
    const seen = tally(events.flatMap((e) => (e.kind === 'LINE' ? [e.text] : [])));
    const missing = Array.from({ length: TOTAL }, (_, i) => i + 1).filter((n) => !seen.has(n));
    const twice = [...seen].filter(([, c]) => c > 1);
    // the only lines allowed missing are those logrotate itself moved away from the name
    const moved = movedAside(dir, 'app.log');
    expect(missing.filter((n) => !moved.has(n))).toEqual([]);
    expect(twice).toEqual([]);
    expect(events.filter((e) => e.kind === 'ROTATED')).toHaveLength(rotations);
    expect(events.some((e) => e.kind === 'TRUNCATED')).toBe(false);
  });

  it('copytruncate: TRUNCATED seen, no duplicates, only the copy-to-truncate window missing', async () => {
    const { events, rotations } = await followWhileRotating('copytruncate');
    const seen = tally(events.flatMap((e) => (e.kind === 'LINE' ? [e.text] : [])));
    const missing = Array.from({ length: TOTAL }, (_, i) => i + 1).filter((n) => !seen.has(n));
    const twice = [...seen].filter(([, c]) => c > 1);
    expect(twice).toEqual([]);
    expect(events.filter((e) => e.kind === 'TRUNCATED').length).toBe(rotations);
    expect(events.some((e) => e.kind === 'ROTATED')).toBe(false);
    // lines written after our last read and before logrotate's truncate are lost by design: at most
    // one run of consecutive lines per rotation (its length depends on how far behind we were)
    expect(ranges(missing).length, `missing ${ranges(missing).join(', ')}`).toBeLessThanOrEqual(
      rotations,
    );
    expect(missing.length).toBeLessThan(TOTAL / 4);
  });
});

function ranges(ns: number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ns.length;) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j] + 1) j++;
    out.push(i === j ? `${ns[i]}` : `${ns[i]}-${ns[j]}`);
    i = j + 1;
  }
  return out;
}
