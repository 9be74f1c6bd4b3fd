import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { TAIL } from '../../test/log.api-testkit.js';
import { openFdCount } from '../../test/log.testkit.js';
import { waitUntil } from '../../test/wait.js';

// The server runs in this process, so /proc/self/fd is the server's (and the client's socket, kept open).
let s: TestServer;
beforeAll(async () => {
  s = await startServer(
    {},
    { agentYaml: `commands: []\nlogs:\n  - { name: app, path: app.log, roles: [admin] }\n` },
  );
  writeFileSync(path.join(s.dir, 'app.log'), 'one\ntwo\n');
});
afterAll(() => s.stop());

describe('subscribe / unsubscribe cycles', () => {
  it(
    '1000 cycles over graphql-ws leave the fds and the hub where they started',
    { timeout: 120_000 },
    async () => {
      const admin = await s.login();
      const client = s.wsClient({ token: admin.token });
      const hub = s.app.services.logHub;
      // one cycle: wait for the backfilled line (the follower is open), then complete from the client
      const cycle = () =>
        new Promise<void>((resolve, reject) => {
          let unsubscribe = (): void => {};
          unsubscribe = client.subscribe(
            { query: TAIL, variables: { s: 'app', b: 1 } },
            {
              next: (m) => {
                if (m.errors) reject(new Error(JSON.stringify(m.errors)));
                unsubscribe();
                resolve();
              },
              error: reject,
              complete: () => {},
            },
          );
        });
      const settled = async () => {
        await waitUntil(() => hub.stats().followers === 0 && hub.stats().closing === 0, {
          timeoutMs: 5000,
          what: 'followers closed',
        });
        await hub.settled();
      };
      await cycle(); // warm-up: the socket, and libuv's one inotify fd, exist from now on
      await settled();
      const fds = openFdCount();
      const start = hub.stats();
      for (let round = 0; round < 100; round++) {
        await Promise.all(Array.from({ length: 10 }, cycle)); // 10 at a time: some share a follower
      }
      await settled();
      await waitUntil(() => openFdCount() <= fds, {
        timeoutMs: 5000,
        what: `fds back to ${fds} (now ${openFdCount()})`,
      });
      // at most: login's keep-alive HTTP socket (both ends live in this process) may time out meanwhile
      expect(openFdCount()).toBeLessThanOrEqual(fds);
      expect(hub.stats()).toEqual(start);
      expect(start).toEqual({ followers: 0, subscribers: 0, closing: 0 });
      const open = (await s.app.services.metrics.openSubscriptions.get()).values.find(
        (v) => v.labels.kind === 'logTail',
      );
      expect(open?.value).toBe(0);
    },
  );
});
