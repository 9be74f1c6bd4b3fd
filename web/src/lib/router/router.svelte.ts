import { internalPath, matchRoute } from './routes';

/** History-based routing: the server answers every UI path with index.html. */
export class Router {
  path = $state(location.pathname);
  search = $state(location.search);
  route = $derived(matchRoute(this.path));
  query = $derived(new URLSearchParams(this.search));
  /** The history entry's own state (survives reload and back/forward), e.g. the pages before this one. */
  state = $state.raw<unknown>(history.state);

  constructor() {
    addEventListener('popstate', () => this.sync());
  }

  navigate(to: string, opts: { replace?: boolean; state?: unknown } = {}) {
    const url = new URL(to, location.origin);
    if (url.pathname + url.search === location.pathname + location.search) return;
    if (opts.replace) history.replaceState(opts.state ?? null, '', url);
    else history.pushState(opts.state ?? null, '', url);
    this.sync();
  }

  /**
   * Updates query parameters (filters, selected source, page); in place unless `push`, which
   * makes a history entry that Back returns from.
   */
  setQuery(params: Record<string, string | null>, opts: { push?: boolean; state?: unknown } = {}) {
    const q = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(params)) {
      if (v === null || v === '') q.delete(k);
      else q.set(k, v);
    }
    const s = q.toString();
    this.navigate(location.pathname + (s ? `?${s}` : ''), {
      replace: !opts.push,
      state: opts.state,
    });
  }

  /** Document-level click handler: same-origin links become in-app navigation. */
  handleClick = (event: MouseEvent) => {
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor) return;
    const to = internalPath(event, anchor, location.origin);
    if (to === null) return;
    event.preventDefault();
    this.navigate(to);
  };

  private sync() {
    this.path = location.pathname;
    this.search = location.search;
    this.state = history.state;
  }
}

export const router = new Router();
