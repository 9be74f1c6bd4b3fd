import { Migration001Accounts } from './migrations/001-accounts.js';
import { Migration002CommandRuns } from './migrations/002-command-runs.js';

// ordered; names are stored in the migrations table, so never rename one
export const migrations = [
  { name: '001-accounts', class: Migration001Accounts },
  { name: '002-command-runs', class: Migration002CommandRuns },
];
