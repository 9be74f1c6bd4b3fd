import type { Component } from 'svelte';
import type { RouteName } from './lib/router/routes';

export interface PageProps {
  params: Record<string, string>;
}

type Loader = () => Promise<{ default: Component<PageProps> }>;

/** One lazily loaded chunk per page keeps the first download small. */
export const pages: Record<RouteName, Loader> = {
  dashboard: () => import('./features/dashboard/DashboardPage.svelte'),
  commands: () => import('./features/commands/CommandsPage.svelte'),
  command: () => import('./features/commands/CommandPage.svelte'),
  run: () => import('./features/runs/RunPage.svelte'),
  'run-diff': () => import('./features/runs/RunDiff.svelte'),
  history: () => import('./features/runs/HistoryPage.svelte'),
  logs: () => import('./features/logs/LogsPage.svelte'),
  files: () => import('./features/files/FilesPage.svelte'),
  users: () => import('./features/users/UsersPage.svelte'),
  account: () => import('./features/tokens/AccountPage.svelte'),
  audit: () => import('./features/audit/AuditPage.svelte'),
  automation: () => import('./features/automation/AutomationPage.svelte'),
  'not-found': () => import('./NotFoundPage.svelte'),
};
