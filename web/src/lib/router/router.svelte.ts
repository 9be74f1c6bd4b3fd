import { internalPath, matchRoute } from './routes';

/** History-based routing: the server answers every UI path with index.html. */
export class Router {
  path = $state(location.pathname);
  search = $state(location.search);
  route = $derived(matchRoute(this.path));
  query = $derived(new URLSearchParams(this.search));

  constructor() {
    addEventListener('popstate', () => this.sync());
  }

  navigate(to: string, opts: { replace?: boolean } = {}) {
    const url = new URL(to, location.origin);
    if (url.pathname + url.search === location.pathname + location.search) return;
    if (opts.replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    this.sync();
  }

  /** Updates query parameters in place (filters, selected source) without a new history entry. */
  setQuery(params: Record<string, string | null>) {
    const q = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(params)) {
      if (v === null || v === '') q.delete(k);
      else q.set(k, v);
    }
    const s = q.toString();
    this.navigate(location.pathname + (s ? `?${s}` : ''), { replace: true });
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
  }
}

export const router = new Router();
