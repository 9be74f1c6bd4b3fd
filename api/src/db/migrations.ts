import { Migration001Accounts } from './migrations/001-accounts.js';

// ordered; names are stored in the migrations table, so never rename one
export const migrations = [{ name: '001-accounts', class: Migration001Accounts }];
