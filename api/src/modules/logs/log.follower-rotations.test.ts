import { spawnSync } from 'node:child_process';
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

// Real logrotate run twice 20 ms apart, well inside the follower's reaction time (rotateWaitMs,
// 250 ms by default), while a separate process appends numbered lines without pause.
const TOTAL = 3000;

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** Runs logrotate twice, 20 ms apart; `blocking`: synchronously, so this process (the follower) cannot react in between. */
async function rotateTwice(config: string, blocking: boolean): Promise<void> {
  const state = join(dir, 'state');
  if (!blocking) {
    await runLogrotate(config, state);
    await sleep(20);
    await runLogrotate(config, state);
    return;
  }
  // a writer re-creating the file between logrotate's rename and create is tolerated (testkit)
  const run = (): void => void spawnSync(LOGROTATE!, ['-f', '-s', state, config]);
  run();
  const until = Date.now() + 20;
  while (Date.now() < until); // busy: the event loop must not turn
  run();
}

async function followTwoQuickRotations(
  options: string,
  blocking = false,
): Promise<{ numbers: number[]; moved: Set<number>; events: FollowEvent[] }> {
  if (!LOGROTATE) throw new Error('logrotate is not installed: apt-get install -y logrotate');
  const path = join(dir, 'app.log');
  const config = join(dir, 'logrotate.conf');
  writeFileSync(config, `${path} {\n  create\n  rotate 10\n  missingok\n  ${options}\n}\n`);
  writeFileSync(path, '');
  const events: FollowEvent[] = [];
  const follower = followInto(path, { startAt: 'start' }, (e) => events.push(e));
  const lines = (): string[] => events.flatMap((e) => (e.kind === 'LINE' ? [e.text] : []));
  const writer = startWriter(path, TOTAL, 10, 2);
  try {
    await waitUntil(() => lines().length >= TOTAL / 4, { timeoutMs: 15_000, what: 'some lines' });
    await rotateTwice(config, blocking); // the second rotation 20 ms after the first
    await writer.done;
    await waitUntil(() => lines().some((t) => t.startsWith(`line ${TOTAL} `)), {
      timeoutMs: 15_000,
      what: 'the last line',
    });
    await sleep(300); // anything late (a duplicate) would show up now
  } finally {
    writer.child.kill(); // done by now, unless the test failed: then it must not write on
    await follower.close();
  }
  const numbers = lines().map((t) => Number(/^line (\d+) /.exec(t)?.[1]));
  return { numbers, moved: movedAside(dir, 'app.log'), events };
}

function expectEveryLineOnceInOrder(numbers: number[], moved: Set<number>): void {
  const seen = tally(numbers.map((n) => `line ${n} `));
  const missing = Array.from({ length: TOTAL }, (_, i) => i + 1).filter(
    (n) => !seen.has(n) && !moved.has(n), // logrotate's own "…backup" files: see the testkit
  );
  expect(missing, `missing ${missing.length}`).toEqual([]);
  expect([...seen].filter(([, c]) => c > 1)).toEqual([]);
  const outOfOrder = numbers.filter((n, i) => i > 0 && n <= numbers[i - 1]);
  expect(outOfOrder).toEqual([]);
}

describe('two rotations 20 ms apart (real logrotate)', () => {
  it('create: every line exactly once, in order, the middle file included', async () => {
    const { numbers, moved, events } = await followTwoQuickRotations('nocompress');
    expectEveryLineOnceInOrder(numbers, moved);
    // the middle file's lines say where it is now (read after both rotations)
    const files = new Set(events.flatMap((e) => (e.kind === 'LINE' ? [e.file] : [])));
    expect(files).toContain('app.log.1');
    expect(files).toContain('app.log');
  });

  it('create, while the follower cannot react: the middle file is found in the history', async () => {
    const { numbers, moved } = await followTwoQuickRotations('nocompress', true);
    expectEveryLineOnceInOrder(numbers, moved);
  });

  it('compress + delaycompress: every line exactly once, in order', async () => {
    const { numbers, moved } = await followTwoQuickRotations('compress\n  delaycompress');
    expectEveryLineOnceInOrder(numbers, moved);
  });

  it('compress at once: the files we hold are drained through their fds, nothing lost', async () => {
    // gzip replaces each rotated file by a new one (a new inode) and deletes it; a file the
    // follower opened before that is read to its end through its descriptor regardless
    const { numbers, moved } = await followTwoQuickRotations('compress');
    expectEveryLineOnceInOrder(numbers, moved);
  });
});
