import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// the protocol suites, run a second time with the stock library paths (FAST_PATHS=off)
const PROTOCOL_SUITES = [
  'api/src/app.test.ts',
  'api/src/graphql-http.test.ts',
  'api/src/modules/commands/command.stream.test.ts',
  'test/security/plain-post-streams.test.ts',
  'test/security/sessions-end.test.ts',
  'test/security/signed-out-errors.test.ts',
  'test/security/slow-body.test.ts',
  'test/security/subscription-caps.test.ts',
  'test/security/ws-leaks.test.ts',
  'test/security/ws-limit-errors.test.ts',
];

// at least two files at a time: vitest's default (cores - 1) is one on CI's 2 cores, and a file
// spends most of its time waiting (servers, browsers, timers): one at a time used ~45 % of a core
const maxWorkers = Math.max(2, availableParallelism() - 1);

const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
};

export default defineConfig({
  resolve: {
    // one graphql-js for our code and the libraries (Node loads its CJS entry; Vite would pick .mjs)
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    maxWorkers,
    projects: [
      {
        extends: true,
        test: {
          name: 'fast-paths-on',
          include: ['api/src/**/*.test.ts', 'web/src/**/*.test.ts', 'test/**/*.test.ts'],
          ...shared,
        },
      },
      {
        extends: true,
        test: {
          name: 'fast-paths-off',
          include: PROTOCOL_SUITES,
          env: { FAST_PATHS: 'off' },
          ...shared,
        },
      },
    ],
  },
});
