// Destructive actions ask first in one accessible dialog: the safe choice has the focus, Esc and
// Cancel change nothing (checked on the server), and only the named button acts. Covers cancel a
// run, revoke a token, sign out elsewhere, delete a file, disable, reset and end sessions of a user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { navTo, screenshot, signedInPage, startE2E, type E2E } from './browser.js';

const AGENT = `
commands:
  - { name: wait, title: Wait a long time, argv: ["sleep", "300"], timeout: 600 }
logs: []
`;

let e: E2E;
let page: Page;
let problems: string[];
let admin: Awaited<ReturnType<E2E['server']['login']>>;

beforeAll(async () => {
  e = await startE2E(AGENT);
  ({ page, problems } = await signedInPage(e));
  admin = await e.server.login();
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const r = await e.server.gql(query, variables, admin);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
};
const focused = () =>
  page.evaluate(() => (globalThis as any).document.activeElement?.textContent?.trim());

/**
 * Clicks `open`, then checks the dialog titled `title`: focus on the safe button, Esc closes it
 * and `unchanged` still holds; opens it again and presses `act`.
 */
async function declineThenConfirm(
  open: () => Promise<void>,
  title: string | RegExp,
  act: string,
  unchanged: () => Promise<void>,
  shot?: string,
) {
  const dialog = page.getByRole('dialog', { name: title });
  await open();
  await dialog.waitFor();
  expect(await dialog.getAttribute('open')).not.toBeNull();
  expect(await dialog.evaluate((d: any) => d.matches(':modal'))).toBe(true);
  expect(await focused()).not.toBe(act);
  if (shot) await screenshot(page, shot, { fullPage: false });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await unchanged();
  // Enter on the focused (safe) button also changes nothing
  await open();
  await dialog.waitFor();
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await unchanged();
  await open();
  await dialog.getByRole('button', { name: act, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

describe('confirmations', () => {
  it('cancelling a run asks first', async () => {
    const { runCommand } = await gql(`mutation { runCommand(name: "wait") { id } }`);
    const status = async () =>
      (await gql(`query($id: ID!) { commandRun(id: $id) { status } }`, { id: runCommand.id }))
        .commandRun.status;
    await page.goto(`/runs/${runCommand.id}`);
    await page.locator('[data-testid="run-status"][data-status="RUNNING"]').waitFor();
    await declineThenConfirm(
      () => page.getByRole('button', { name: 'Cancel run' }).click(),
      'Cancel wait?',
      'Cancel run',
      async () => expect(await status()).toBe('RUNNING'),
      'commands-confirm-cancel-run',
    );
    await page.locator('[data-testid="run-status"][data-status="CANCELLED"]').waitFor();
    expect(await status()).toBe('CANCELLED');
  }, 60_000);

  it('revoking a token and signing out elsewhere ask first', async () => {
    await gql(`mutation { createApiToken(name: "deploy script") { secret } }`);
    const tokens = async () => (await gql(`{ apiTokens { name } }`)).apiTokens.length;
    await page.goto('/account');
    await page.getByTestId('token-row').first().waitFor();
    await declineThenConfirm(
      () => page.getByRole('button', { name: 'Revoke deploy script' }).click(),
      'Revoke the token “deploy script”?',
      'Revoke token',
      async () => expect(await tokens()).toBe(1),
    );
    await expect.poll(() => page.getByTestId('token-row').count()).toBe(0);
    expect(await tokens()).toBe(0);

    // another session of admin's stays signed in until the confirmation
    const other = await e.server.login();
    const me = () => e.server.gql(`{ me { username } }`, {}, { cookie: other.cookie });
    await declineThenConfirm(
      () => page.getByRole('button', { name: 'Sign out everywhere else' }).click(),
      'Sign out everywhere else?',
      'Sign out others',
      async () => expect((await me()).data?.me?.username).toBe('admin'),
    );
    await page.getByText('Every other session of yours has ended.').waitFor();
    await expect.poll(async () => (await me()).data?.me ?? null).toBeNull();
    admin = await e.server.login();
  }, 60_000);

  it('deleting a file asks first', async () => {
    const up = await e.server.upload(
      { name: 'keep me.txt', content: 'x\n', type: 'text/plain' },
      admin,
    );
    const id = up.data.uploadFile.id;
    const exists = async () =>
      (await e.server.gql(`query($id: ID!) { file(id: $id) { id } }`, { id }, admin)).data?.file;
    await navTo(page, 'Files');
    await page.getByTestId('file-row').first().waitFor();
    await declineThenConfirm(
      () => page.getByRole('button', { name: 'Delete keep me.txt' }).click(),
      'Delete keep me.txt?',
      'Delete file',
      async () => expect(await exists()).toEqual({ id }),
    );
    await expect.poll(() => page.getByTestId('file-row').count()).toBe(0);
    expect(await exists()).toBeNull();
  }, 60_000);

  it('disabling, resetting and ending sessions of a user ask first', async () => {
    const erin = await e.server.createUser('erin');
    const erinMe = async () =>
      (await e.server.gql(`{ me { username } }`, {}, { token: erin.token })).data?.me ?? null;
    const disabled = async () =>
      (await gql(`{ users { username disabled } }`)).users.find((u: any) => u.username === 'erin')
        .disabled;
    await navTo(page, 'Users');
    const row = page.locator('[data-testid="user-row"][data-username="erin"]');
    const toggle = row.getByRole('switch', { name: 'erin may sign in' });

    await declineThenConfirm(
      () => row.getByRole('button', { name: 'End sessions of erin' }).click(),
      "End erin's sessions?",
      'End sessions',
      async () => expect(await erinMe()).toEqual({ username: 'erin' }),
    );
    await expect.poll(erinMe).toBeNull();

    // the switch springs back when the user declines
    await declineThenConfirm(
      () => toggle.click(),
      'Disable erin?',
      'Disable user',
      async () => {
        expect(await disabled()).toBe(false);
        expect(await toggle.isChecked()).toBe(true);
      },
      'commands-confirm-disable',
    );
    await expect.poll(disabled).toBe(true);
    expect(await toggle.isChecked()).toBe(false);

    // re-enabling takes nothing away: no question
    await toggle.click();
    await expect.poll(disabled).toBe(false);
    expect(await page.getByRole('dialog').count()).toBe(0);

    await row.getByRole('button', { name: 'Reset password' }).click();
    await row.getByLabel('New password for erin').fill('new-password-9');
    await row.getByRole('button', { name: 'Set' }).click();
    const dialog = page.getByRole('dialog', { name: "Reset erin's password?" });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const signIn = (password: string) =>
      e.server.gql(`mutation($p: String!) { login(username: "erin", password: $p) { token } }`, {
        p: password,
      });
    expect((await signIn('user-password-1')).data?.login.token).toBeTruthy();
    await row.getByRole('button', { name: 'Set' }).click();
    await dialog.getByRole('button', { name: 'Reset password' }).click();
    await expect.poll(async () => (await signIn('new-password-9')).data?.login.token).toBeTruthy();
    expect(problems).toEqual([]);
  }, 60_000);
});
