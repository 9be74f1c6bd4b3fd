// The field columns a user chose for a JSON source, remembered per source in localStorage.
const PREFIX = 'tiny-agent-log-columns:';
const MAX_COLUMNS = 12;

function stored(source: string): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(PREFIX + source) ?? '[]');
    return Array.isArray(v)
      ? v.filter((n): n is string => typeof n === 'string').slice(0, MAX_COLUMNS)
      : [];
  } catch {
    return [];
  }
}

export class LogColumns {
  source = $state('');
  chosen = $state<string[]>([]);

  /** Switches to a source's own choice. */
  load(source: string) {
    this.source = source;
    this.chosen = source ? stored(source) : [];
  }

  toggle(name: string) {
    const next = this.chosen.includes(name)
      ? this.chosen.filter((n) => n !== name)
      : [...this.chosen, name].slice(-MAX_COLUMNS);
    this.chosen = next;
    try {
      localStorage.setItem(PREFIX + this.source, JSON.stringify(next));
    } catch {
      // storage blocked: the choice lasts until the page is closed
    }
  }
}
