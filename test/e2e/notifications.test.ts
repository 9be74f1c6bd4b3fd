// The Automation page's notifications panel: targets with their last status, a "Send test" that
// reaches a local receiver, and a failing target's error and next attempt in plain view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpReceiver } from '../../api/src/modules/notify/notify.testkit.js';
import { navTo, screenshot, signedInPage, startE2E, type E2E } from './browser.js';

let e: E2E;
let http: Awaited<ReturnType<typeof httpReceiver>>;
beforeAll(async () => {
  http = await httpReceiver((path) => (path === '/down' ? 502 : 200));
  e = await startE2E(
    `commands: []
notify:
  - { name: ops-hook, type: webhook, url: "${http.url}/ok" }
  - { name: broken, type: slack, url: "${http.url}/down" }
`,
    // retries a minute apart: the failure stays on screen, waiting for its next attempt
    { env: { NOTIFY_RETRY_BASE_SECONDS: '60' } },
  );
}, 180_000); // the first file to start may build web/dist
afterAll(async () => {
  await e?.close();
  await http?.close();
});

describe('notifications panel', () => {
  it('lists targets, sends a test, and shows a failure with its error and next attempt', async () => {
    const { page, problems } = await signedInPage(e);
    await navTo(page, 'Automation');
    const targets = page.getByRole('table', { name: 'Notification targets' });
    const recent = page.getByRole('table', { name: 'Recent notifications' });
    const row = (name: string) => targets.getByRole('row').filter({ hasText: name });
    await row('ops-hook').waitFor();
    expect(await row('ops-hook').textContent()).toContain(new URL(http.url).host);
    expect(await row('ops-hook').textContent()).toContain('never');

    await row('ops-hook').getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => http.at('/ok').length).toBe(1);
    expect(JSON.parse(http.at('/ok')[0]!.body)).toMatchObject({ event: 'TEST' });
    // the panel looks again by itself: the test shows as sent, and the target's last sent time
    await expect
      .poll(() => recent.getByRole('row').filter({ hasText: 'ops-hook' }).textContent(), {
        timeout: 10_000,
      })
      .toContain('sent');
    await expect.poll(() => row('ops-hook').textContent()).not.toContain('never');

    await row('broken').getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => http.at('/down').length).toBe(1);
    const failed = recent.getByRole('row').filter({ hasText: 'broken' });
    await expect.poll(() => failed.textContent(), { timeout: 10_000 }).toContain('HTTP 502');
    const text = (await failed.textContent()) ?? '';
    expect(text).toContain('pending');
    expect(text).toContain('next attempt');
    expect(text).toMatch(/HTTP 502 from 127\.0\.0\.1:\d+/);
    await expect.poll(() => row('broken').textContent()).toContain('HTTP 502');
    await screenshot(page, 'automation-notifications');
    expect(problems).toEqual([]);
  });
});
