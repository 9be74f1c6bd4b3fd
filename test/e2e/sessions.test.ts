// Ending sessions from the web UI: "Sign out everywhere else" on the Account page, and an
// administrator's "End sessions" on the Users page, each behind a confirm step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { navTo, signIn, startE2E, type E2E } from './browser.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E('commands: []\nlogs: []\n');
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const signedOut = (page: Page) =>
  page.getByRole('heading', { level: 1, name: 'Sign in to Tiny Agent' }).waitFor();

describe('ending sessions in the UI', () => {
  it('"Sign out everywhere else" ends the other browser and keeps this one', async () => {
    const hereCtx = await e.context();
    const here = await hereCtx.newPage();
    await signIn(here);
    const elsewhereCtx = await e.context();
    const elsewhere = await elsewhereCtx.newPage();
    await signIn(elsewhere);

    await navTo(here, 'Account');
    await here.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await here.getByRole('dialog').getByRole('button', { name: 'Sign out others' }).click();
    await here.getByText('Every other session of yours has ended.').waitFor();

    await elsewhere.reload();
    await signedOut(elsewhere);
    await here.reload();
    await here.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
    expect(hereCtx.problems).toEqual([]);
  }, 60_000);

  it('an administrator ends the sessions of a user from the Users page', async () => {
    await e.server.createUser('dora', 'USER', 'dora-password-1');
    const doraCtx = await e.context();
    const dora = await doraCtx.newPage();
    await signIn(dora, 'dora', 'dora-password-1');

    const adminCtx = await e.context();
    const admin = await adminCtx.newPage();
    await signIn(admin);
    await navTo(admin, 'Users');
    const row = admin.locator('[data-testid="user-row"][data-username="dora"]');
    await row.getByRole('button', { name: 'End sessions of dora' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'End sessions' }).click();
    await admin.getByText('Ended every session of dora and revoked their API tokens.').waitFor();

    await dora.reload();
    await signedOut(dora);
    expect(adminCtx.problems).toEqual([]);
  }, 60_000);
});
