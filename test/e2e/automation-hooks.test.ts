// The Hooks panel of the Automation page: each hook's URL, command, style, mapping and recent
// deliveries linking to their runs; its "how to sign" snippet, run as written by a real shell with
// curl and openssl, starts the run it describes. A USER sees no panel.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { navTo, screenshot, signIn, startE2E, type E2E } from './browser.js';

const SECRET = 'e2e-hook-secret-0123456789abcdef';
const AGENT = `
commands:
  - name: deploy
    title: Deploy
    argv: ["echo", "deploying", "{{ref}}", "{{repo}}"]
    args:
      - { name: ref, type: string, pattern: "[<>a-z0-9/._-]+" }
      - { name: repo, type: string, pattern: "[<>a-z0-9/._-]+" }
    roles: [admin, user]
hooks:
  - name: deploy
    command: deploy
    secretEnv: DEPLOY_HOOK_SECRET
    args: { ref: ref, repo: repository.full_name }
  - name: github-push
    command: deploy
    secretEnv: DEPLOY_HOOK_SECRET
    style: github
    args: { ref: ref, repo: repository.name }
    perMinute: 10
logs: []
`;

let e: E2E;
beforeAll(async () => {
  e = await startE2E(AGENT, { env: { DEPLOY_HOOK_SECRET: SECRET } });
}, 180_000);
afterAll(() => e?.close());

describe('automation: hooks panel', () => {
  it('lists each hook, and its signing snippet works as written', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page);
    await navTo(page, 'Automation');
    const deploy = page.locator('[data-testid="hook"][data-name="deploy"]');
    await deploy.waitFor();
    expect(await page.getByTestId('hook').count()).toBe(2);
    expect(await deploy.getByTestId('hook-url').textContent()).toBe(`POST ${e.url}/hooks/deploy`);
    expect((await deploy.getByTestId('hook-args').textContent())!.replace(/\s+/g, ' ')).toBe(
      'ref ← ref, repo ← repository.full_name',
    );
    const gh = page.locator('[data-testid="hook"][data-name="github-push"]');
    await expect.poll(() => gh.textContent()).toContain('GitHub (X-Hub-Signature-256)');
    expect(await gh.getByTestId('hook-snippet').count()).toBe(0);

    // the snippet, copied from the page, run by bash with the secret in its variable
    await deploy.getByText('How to sign a request').click();
    const snippet = (await deploy.getByTestId('hook-snippet').textContent())!;
    const { stdout } = await promisify(execFile)('bash', ['-c', snippet], {
      env: { PATH: process.env.PATH, DEPLOY_HOOK_SECRET: SECRET },
    });
    const answer = JSON.parse(stdout);
    expect(answer).toMatchObject({ status: 'RUNNING', url: `${e.url}/runs/${answer.runId}` });

    await page.reload();
    const link = deploy.getByTestId('hook-deliveries').getByRole('link');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/runs/${answer.runId}`);
    await screenshot(page, 'automation-hooks');
    await link.click();
    await page.getByText('deploying <ref> <repo>').first().waitFor();
    await ctx.close();
  });

  it('shows no hooks to a USER', async () => {
    await e.server.createUser('uma', 'USER', 'uma-password-1');
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'uma', 'uma-password-1');
    await page.goto('/automation');
    await page.getByRole('heading', { level: 1, name: 'Automation' }).waitFor();
    expect(await page.getByTestId('hooks-panel').count()).toBe(0);
    await ctx.close();
  });
});
