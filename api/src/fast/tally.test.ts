import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TallyHistogram, tallyCounter } from './tally.js';

describe('tallied metrics, as prom-client prints them', () => {
  it('a counter keeps counting across scrapes, one series per label set', async () => {
    const registry = new Registry();
    const c = tallyCounter({
      name: 't_ops_total',
      help: 'ops',
      labelNames: ['type', 'outcome'] as const,
      registry,
    });
    c.inc({ type: 'query', outcome: 'ok' });
    c.inc({ type: 'query', outcome: 'ok' });
    c.inc({ type: 'query', outcome: 'error' });
    expect(await registry.metrics()).toContain('t_ops_total{type="query",outcome="ok"} 2');
    c.inc({ type: 'query', outcome: 'ok' });
    c.inc({ type: 'mutation', outcome: 'ok' });
    const text = await registry.metrics();
    expect(text).toContain('t_ops_total{type="query",outcome="ok"} 3');
    expect(text).toContain('t_ops_total{type="query",outcome="error"} 1');
    expect(text).toContain('t_ops_total{type="mutation",outcome="ok"} 1');
  });

  it('a histogram prints cumulative buckets, +Inf, sum and count', async () => {
    const registry = new Registry();
    const h = new TallyHistogram('t_seconds', 'time', 'type', [0.01, 0.1, 1], registry);
    for (const v of [0.005, 0.05, 0.05, 0.5, 7]) h.observe('query', v);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE t_seconds histogram');
    expect(text).toContain('t_seconds_bucket{type="query",le="0.01"} 1');
    expect(text).toContain('t_seconds_bucket{type="query",le="0.1"} 3');
    expect(text).toContain('t_seconds_bucket{type="query",le="1"} 4');
    expect(text).toContain('t_seconds_bucket{type="query",le="+Inf"} 5');
    expect(text).toContain('t_seconds_sum{type="query"} 7.605');
    expect(text).toContain('t_seconds_count{type="query"} 5');
  });
});
