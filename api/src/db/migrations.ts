import { Migration001Accounts } from './migrations/001-accounts.js';
import { Migration002CommandRuns } from './migrations/002-command-runs.js';
import { Migration003Files } from './migrations/003-files.js';
import { Migration004Audit } from './migrations/004-audit.js';

// ordered; names are stored in the migrations table, so never rename one
export const migrations = [
  { name: '001-accounts', class: Migration001Accounts },
  { name: '002-command-runs', class: Migration002CommandRuns },
  { name: '003-files', class: Migration003Files },
  { name: '004-audit', class: Migration004Audit },
];
