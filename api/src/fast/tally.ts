import { Counter, type Registry } from 'prom-client';

/**
 * Metrics counted on every operation: the hot path is a Map lookup and an add, and the
 * registry reads the tallies when it is scraped. prom-client's labelled `observe` and `inc`
 * validate and hash their labels on every call, which was 8 µs of every ~100 µs HTTP query.
 */
export class TallyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, { counts: Float64Array; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelName: string,
    private readonly buckets: number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  observe(label: string, value: number): void {
    let s = this.series.get(label);
    if (!s)
      this.series.set(
        label,
        (s = { counts: new Float64Array(this.buckets.length), sum: 0, count: 0 }),
      );
    const i = this.buckets.findIndex((b) => value <= b);
    if (i >= 0) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  /** What prom-client's registry reads (the shape its own Histogram returns). */
  get() {
    const bucket = `${this.name}_bucket`;
    const values = [...this.series].flatMap(([label, s]) => {
      const labels = { [this.labelName]: label };
      let cumulative = 0;
      return [
        ...this.buckets.map((le, i) => ({
          metricName: bucket,
          labels: { ...labels, le },
          value: (cumulative += s.counts[i]!),
        })),
        { metricName: bucket, labels: { ...labels, le: '+Inf' }, value: s.count },
        { metricName: `${this.name}_sum`, labels, value: s.sum },
        { metricName: `${this.name}_count`, labels, value: s.count },
      ];
    });
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: this.aggregator,
    };
  }
}

/**
 * A labelled counter whose increments are tallied and handed to prom-client at scrape. The
 * tallies sit in nested Maps, one level per label: label values are usually the same string
 * objects every time (constants, names from a cached document), so no key string is built.
 */
export function tallyCounter<L extends string>(opts: {
  name: string;
  help: string;
  labelNames: readonly L[];
  registry: Registry;
}) {
  type Tally = { labels: Record<L, string>; n: number };
  let pending = new Map<string, unknown>();
  const tallies: Tally[] = [];
  new Counter({
    name: opts.name,
    help: opts.help,
    labelNames: opts.labelNames,
    registers: [opts.registry],
    collect() {
      for (const t of tallies) this.inc(t.labels, t.n);
      tallies.length = 0;
      pending = new Map();
    },
  });
  const last = opts.labelNames.length - 1;
  return {
    inc(labels: Record<L, string>): void {
      let level = pending;
      for (let i = 0; i < last; i++) {
        const value = labels[opts.labelNames[i]!];
        let next = level.get(value) as Map<string, unknown> | undefined;
        if (!next) level.set(value, (next = new Map()));
        level = next;
      }
      const value = labels[opts.labelNames[last]!];
      const tally = level.get(value) as Tally | undefined;
      if (tally) tally.n++;
      else {
        const t = { labels, n: 1 };
        level.set(value, t);
        tallies.push(t);
      }
    },
  };
}
