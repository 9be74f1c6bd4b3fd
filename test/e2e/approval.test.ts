// Two-person approval in the browser: the requester's run page waits; the approver, in another
// browser profile, sees the top bar's badge, opens the run and approves it; the requester's page
// goes from waiting to the running output without a reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COUNT_SCRIPT,
  runAsAdmin,
  screenshot,
  signIn,
  startE2E,
  viewLines,
  type E2E,
} from './browser.js';

const AGENT = `
commands:
  - name: restart-web
    title: Restart the web service
    argv: ["node", "-e", "${COUNT_SCRIPT}", "tick", "3", "300"]
    approval: { required: true, approvers: [admin], expiresAfter: 30m }
logs: []
`;

let e: E2E;
beforeAll(async () => {
  e = await startE2E(AGENT);
  await e.server.createUser('ada', 'ADMIN', 'ada-password-1');
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

describe('approval', () => {
  it('the approver sees the badge and approves; the requester goes from waiting to output', async () => {
    const requesterCtx = await e.context();
    const requester = await requesterCtx.newPage();
    await signIn(requester);
    const runId = await runAsAdmin(e, 'restart-web');
    await requester.goto(`/runs/${runId}`);
    const waiting = requester.getByTestId('approval-waiting');
    await waiting.waitFor();
    expect(await waiting.textContent()).toMatch(/Waiting for approval by admin until/);
    expect(await requester.getByTestId('run-status').getAttribute('data-status')).toBe(
      'PENDING_APPROVAL',
    );
    // their own run: no Approve button, no badge
    expect(await requester.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await requester.getByTestId('approvals-badge').count()).toBe(0);
    await screenshot(requester, 'approval-requester-waiting');

    const approverCtx = await e.context();
    const approver = await approverCtx.newPage();
    await signIn(approver, 'ada', 'ada-password-1');
    const badge = approver.getByTestId('approvals-badge');
    await badge.waitFor();
    expect((await badge.textContent())?.replace(/\s+/g, ' ').trim()).toBe('Approvals 1');
    await screenshot(approver, 'approval-approver-badge');
    await badge.click();
    await approver.getByTestId('approval-waiting').waitFor();
    await approver.getByRole('button', { name: 'Approve' }).click();
    await approver
      .getByTestId('approval-approved')
      .filter({ hasText: 'Approved by ada' })
      .waitFor();
    // decided: the badge goes
    await badge.waitFor({ state: 'detached' });
    await screenshot(approver, 'approval-approver-approved');

    // the requester's page, as it was: the output streams in, then the run succeeds
    await requester
      .getByTestId('approval-approved')
      .filter({ hasText: 'Approved by ada' })
      .waitFor();
    await expect
      .poll(() => requester.getByTestId('run-status').getAttribute('data-status'), {
        timeout: 15_000,
      })
      .toBe('SUCCEEDED');
    await expect
      .poll(() => viewLines(requester, 'output-view'))
      .toEqual(['tick 1', 'tick 2', 'tick 3']);
    await screenshot(requester, 'approval-requester-output');
    expect(requesterCtx.problems).toEqual([]);
    expect(approverCtx.problems).toEqual([]);
  });

  it('an approver rejects with a reason; the requester sees who and why', async () => {
    const requesterCtx = await e.context();
    const requester = await requesterCtx.newPage();
    await signIn(requester);
    const runId = await runAsAdmin(e, 'restart-web');
    await requester.goto(`/runs/${runId}`);
    await requester.getByTestId('approval-waiting').waitFor();

    const approverCtx = await e.context();
    const approver = await approverCtx.newPage();
    await signIn(approver, 'ada', 'ada-password-1');
    await approver.goto(`/runs/${runId}`);
    await approver.getByRole('button', { name: 'Reject…' }).click();
    await approver.getByLabel('Reason (optional)').fill('not during business hours');
    await approver.getByRole('button', { name: 'Reject run' }).click();
    const rejected = requester.getByTestId('approval-rejected');
    await rejected.waitFor();
    expect(await rejected.textContent()).toMatch(
      /Rejected by ada on .*: not during business hours/,
    );
    await screenshot(requester, 'approval-requester-rejected');
    expect(await requester.getByTestId('run-status').getAttribute('data-status')).toBe('REJECTED');
    expect(requesterCtx.problems).toEqual([]);
    expect(approverCtx.problems).toEqual([]);
  });

  it("the requester withdraws the request: the approver's badge goes, the run never starts", async () => {
    const approverCtx = await e.context();
    const approver = await approverCtx.newPage();
    await signIn(approver, 'ada', 'ada-password-1');
    const badge = approver.getByTestId('approvals-badge');

    const requesterCtx = await e.context();
    const requester = await requesterCtx.newPage();
    await signIn(requester);
    const runId = await runAsAdmin(e, 'restart-web');
    await requester.goto(`/runs/${runId}`);
    await requester.getByTestId('approval-waiting').waitFor();
    await badge.waitFor();
    await requester.getByRole('button', { name: 'Withdraw request' }).click();
    await requester.getByRole('dialog').getByRole('button', { name: 'Withdraw request' }).click();
    await requester.getByTestId('approval-withdrawn').waitFor();
    expect(await requester.getByTestId('run-status').getAttribute('data-status')).toBe('CANCELLED');
    expect(await requester.getByRole('button', { name: 'Withdraw request' }).count()).toBe(0);
    await screenshot(requester, 'approval-requester-withdrawn');
    await badge.waitFor({ state: 'detached' });

    const admin = await e.server.login();
    const run = (
      await e.server.gql(
        `query($id: ID!) { commandRun(id: $id) { status outputBytes approval { approvedAt } } }`,
        { id: runId },
        admin,
      )
    ).data.commandRun;
    expect(run).toEqual({ status: 'CANCELLED', outputBytes: 0, approval: { approvedAt: null } });
    expect(requesterCtx.problems).toEqual([]);
    expect(approverCtx.problems).toEqual([]);
  });
});
