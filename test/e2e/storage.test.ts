// The Storage panel on an admin's dashboard (output against its quota, uploads, database, disk,
// the retention rules and the last sweep), hidden from users; and a run whose output retention
// removed says so, with the date, instead of showing an empty output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRuns } from '../../api/src/modules/retention/retention.testkit.js';
import { waitUntil } from '../../api/src/test/wait.js';
import { screenshot, signIn, startE2E, type E2E } from './browser.js';

const AGENT = `
commands: []
logs: []
retention:
  runs: { days: 90, perCommand: 1000 }
  outputBytes: 1MiB
  uploads: { days: 30 }
`;

let e: E2E;
beforeAll(async () => {
  e = await startE2E(AGENT);
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

describe('storage and retention in the UI', () => {
  it('shows an admin what the data takes and the rules, and a run whose output was removed', async () => {
    const s = e.server;
    // the server's own first sweep (1 s after start) is done: the one below is the last one shown
    await waitUntil(() => s.app.services.retention.last !== null, {
      timeoutMs: 20_000,
      what: 'the first sweep',
    });
    const admin = await s.login();
    const [removed, kept] = await insertRuns(s, admin.userId, [
      { command: 'nightly-backup', endedDaysAgo: 3, outputBytes: 2 * 2 ** 20 },
      { command: 'nightly-backup', endedDaysAgo: 1, outputBytes: 512 * 1024 },
    ]);
    await s.upload({ name: 'notes.txt', content: 'kept for a month\n', type: 'text/plain' }, admin);
    const report = await s.app.services.retention.sweep();
    expect(report).toMatchObject({ outputs: 1, runs: 0 });

    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page);
    const panel = page.getByTestId('storage-panel');
    await panel.getByRole('heading', { name: 'Storage' }).waitFor();
    await expect
      .poll(() => panel.getByTestId('storage-output').textContent())
      .toMatch(/^512 KB of 10 GB$/);
    expect(await panel.getByTestId('storage-uploads').innerText()).toMatch(/17 B in 1 file/);
    expect(await panel.getByTestId('storage-database').innerText()).toMatch(/\d.*, 2 runs/);
    expect(await panel.getByTestId('storage-disk').innerText()).toMatch(/\d.* of \d/);
    const rules = await panel.getByTestId('storage-rules').innerText();
    expect(rules).toContain(
      'Finished 90 days ago or more are deleted; only the newest 1000 per command are kept',
    );
    expect(rules).toContain('Oldest removed past 1.0 MB in all (the runs stay)');
    expect(rules).toContain('Deleted 30 days after upload');
    expect(await panel.getByTestId('storage-last-sweep').innerText()).toMatch(
      /Last sweep .* removed 0 runs, the output of 1 run, 0 uploads, 0 audit events and freed 2\.0 MB\./,
    );
    await screenshot(page, 'storage-panel');

    await page.goto(`/runs/${removed}`);
    const notice = page.getByTestId('output-removed');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(
      /This run's output \(2\.0 MB\) was removed by the retention rules on .*\d{4}.*\. The run's record is kept\./,
    );
    expect(await page.getByTestId('output-view').count()).toBe(0);
    await screenshot(page, 'run-output-removed');

    // the newer run's output is kept: the usual view, no notice
    await page.goto(`/runs/${kept}`);
    await page.getByTestId('output-view').waitFor();
    expect(await page.getByTestId('output-removed').count()).toBe(0);
    expect(ctx.problems).toEqual([]);
  });

  it('shows a user no Storage panel', async () => {
    await e.server.createUser('dora', 'USER', 'dora-password-1');
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'dora', 'dora-password-1');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByRole('heading', { name: 'Recent runs' }).waitFor();
    expect(await page.getByTestId('storage-panel').count()).toBe(0);
    expect(ctx.problems).toEqual([]);
  });
});
