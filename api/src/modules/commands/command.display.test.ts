// The Command type carries agent.yaml's group, icon and confirm to clients, through the real server.
import { describe, expect, it } from 'vitest';
import { serverForFile } from '../../test/harness.js';

const file = serverForFile(`
commands:
  - { name: restart, title: Restart, argv: ["true"], group: Services, icon: restart, confirm: "Restart the service now?" }
  - { name: wipe, title: Wipe, argv: ["true"], group: Services, icon: "🧹", confirm: true }
  - { name: plain, title: Plain, argv: ["true"] }
logs: []
`);

describe('Command display fields', () => {
  it('exposes group, icon, confirm and confirmMessage; defaults are null and false', async () => {
    const r = await file.s.gql(
      `{ commands { name group icon confirm confirmMessage } }`,
      {},
      file.admin,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.commands).toEqual([
      {
        name: 'restart',
        group: 'Services',
        icon: 'restart',
        confirm: true,
        confirmMessage: 'Restart the service now?',
      },
      { name: 'wipe', group: 'Services', icon: '🧹', confirm: true, confirmMessage: null },
      { name: 'plain', group: null, icon: null, confirm: false, confirmMessage: null },
    ]);
  });
});
