import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './cluster.js';

let c: Cluster;
beforeAll(async () => {
  c = await startCluster({
    agentYaml: 'commands:\n  - name: hello\n    title: Hello\n    argv: ["echo", "hi"]\nlogs: []\n',
    nginx: true,
  });
}, 120_000);
afterAll(() => c?.stop(), 60_000);

describe('the cluster kit', () => {
  it('runs three instances on one PostgreSQL and Redis behind nginx, each reachable', async () => {
    const admin = await c.login();
    const seen = new Set<number>();
    for (const inst of c.instances) {
      const r = await c.gql(inst.url, '{ me { username } }', {}, admin);
      expect(r.data.me.username).toBe('admin');
      seen.add(inst.port);
    }
    expect(seen.size).toBe(3);
    const r = await c.gql(c.url, '{ me { username } }', {}, admin);
    expect(r.data.me.username).toBe('admin');
  });
});
