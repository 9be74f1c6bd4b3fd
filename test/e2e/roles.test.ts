// An admin adds a user in the Users page; that user, in their own browser profile, sees only
// what the USER role allows.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startE2E, navTo, type E2E } from './browser.js';

const AGENT = `
commands:
  - name: hello
    title: Say hello
    argv: ["echo", "hello"]
    roles: [admin, user]
  - name: admin-only
    title: Admin only
    argv: ["echo", "for admins"]
    roles: [admin]
logs:
  - name: app
    path: app.log
    roles: [admin, user]
  - name: secret
    path: secret.log
    roles: [admin]
`;

let e: E2E;
beforeAll(async () => {
  e = await startE2E(AGENT);
  writeFileSync(path.join(e.server.dir, 'app.log'), 'app line\n');
  writeFileSync(path.join(e.server.dir, 'secret.log'), 'secret line\n');
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

describe('roles', () => {
  it('an admin creates a user, who sees only what the USER role allows', async () => {
    const adminCtx = await e.context();
    const admin = await adminCtx.newPage();
    await signIn(admin);
    // the admin runs something the new user must not see in their history
    const adminRun = await e.server.gql(
      `mutation { runCommand(name: "admin-only") { id } }`,
      {},
      await e.server.login(),
    );
    expect(adminRun.errors).toBeUndefined();

    await navTo(admin, 'Users');
    await admin.locator('[data-testid="user-row"][data-username="admin"]').waitFor();
    const form = admin.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Username').fill('carol');
    await form.getByLabel('Password').fill('carol-password-1');
    await form.getByLabel('Role').selectOption('USER');
    await form.getByRole('button', { name: 'Add user' }).click();
    const row = admin.locator('[data-testid="user-row"][data-username="carol"]');
    await row.waitFor();
    await admin.getByText('Created carol.').waitFor();
    expect(await row.getByRole('combobox', { name: 'Role of carol' }).inputValue()).toBe('USER');
    expect(await row.getByRole('switch', { name: 'carol may sign in' }).isChecked()).toBe(true);
    // the admin sees every command and source
    await navTo(admin, 'Commands');
    await expect
      .poll(() =>
        admin
          .getByTestId('command-card')
          .evaluateAll((els) => els.map((el: any) => el.dataset.command)),
      )
      .toEqual(['hello', 'admin-only']);
    expect(adminCtx.problems).toEqual([]);

    // carol, in a profile of her own
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'carol', 'carol-password-1');
    expect(await page.getByTestId('current-user').textContent()).toBe('carol');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Dashboard',
      'Commands',
      'History',
      'Logs',
      'Files',
      'Account',
      'GraphiQL',
    ]);

    await navTo(page, 'Commands');
    await page.getByTestId('command-card').first().waitFor();
    expect(
      await page
        .getByTestId('command-card')
        .evaluateAll((els) => els.map((el: any) => el.dataset.command)),
    ).toEqual(['hello']);
    await page.goto('/commands/admin-only');
    await page.getByRole('heading', { level: 1, name: 'Command not found' }).waitFor();
    expect(await page.getByRole('button', { name: 'Run' }).count()).toBe(0);

    await page.goto('/users');
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByText('Only administrators can manage users.').waitFor();
    expect(await page.getByTestId('user-row').count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Add a user' }).count()).toBe(0);

    await page.goto('/logs');
    await page
      .locator('[data-testid="log-status"][data-state="live"]')
      .waitFor({ timeout: 10_000 });
    expect(
      await page.getByRole('combobox', { name: 'Source' }).locator('option').allTextContents(),
    ).toEqual(['app']);
    await page.getByTestId('log-line').filter({ hasText: 'app line' }).waitFor();
    // naming the admin-only source in the URL shows nothing of it
    await page.goto('/logs?source=secret');
    await page.getByRole('heading', { level: 1, name: 'Logs' }).waitFor();
    await expect
      .poll(() => page.getByTestId('log-status').getAttribute('data-state'))
      .toBe('failed');
    expect(await page.getByTestId('log-view').getAttribute('data-line-count')).toBe('0');
    expect(await page.getByText('secret line').count()).toBe(0);

    // the admin's run is not carol's to see, in the history or by its address
    await navTo(page, 'History');
    await page.getByText('No runs.').waitFor();
    expect(await page.getByTestId('run-row').count()).toBe(0);
    await page.goto(`/runs/${adminRun.data.runCommand.id}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByTestId('run-argv').count()).toBe(0);
    expect(await page.getByText('for admins').count()).toBe(0);

    // refusals are shown in words on the page; nothing failed in the console
    expect(ctx.problems).toEqual([]);
  }, 60_000);
});
