import type { MigrationObject } from '@mikro-orm/core';

// ordered; names are stored in the migrations table, so never rename one. The classes load only
// when one is pending: their base class brings umzug and its CLI (~260 modules an idle server never uses)
const list = [
  {
    name: '001-accounts',
    load: async () => (await import('./migrations/001-accounts.js')).Migration001Accounts,
  },
  {
    name: '002-command-runs',
    load: async () => (await import('./migrations/002-command-runs.js')).Migration002CommandRuns,
  },
  {
    name: '003-files',
    load: async () => (await import('./migrations/003-files.js')).Migration003Files,
  },
  {
    name: '004-audit',
    load: async () => (await import('./migrations/004-audit.js')).Migration004Audit,
  },
  {
    name: '005-run-args',
    load: async () => (await import('./migrations/005-run-args.js')).Migration005RunArgs,
  },
  {
    name: '006-instances',
    load: async () => (await import('./migrations/006-instances.js')).Migration006Instances,
  },
  {
    name: '007-login-guesses',
    load: async () => (await import('./migrations/007-login-guesses.js')).Migration007LoginGuesses,
  },
  {
    name: '008-run-output-files',
    load: async () =>
      (await import('./migrations/008-run-output-files.js')).Migration008RunOutputFiles,
  },
  {
    name: '009-run-json-columns',
    load: async () =>
      (await import('./migrations/009-run-json-columns.js')).Migration009RunJsonColumns,
  },
  {
    name: '010-automation',
    load: async () => (await import('./migrations/010-automation.js')).Migration010Automation,
  },
  {
    name: '011-safe-operations',
    load: async () =>
      (await import('./migrations/011-safe-operations.js')).Migration011SafeOperations,
  },
];

export const migrationNames = list.map((m) => m.name);

export const loadMigrations = (): Promise<MigrationObject[]> =>
  Promise.all(list.map(async (m) => ({ name: m.name, class: await m.load() })));
