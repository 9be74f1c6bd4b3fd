// The app's routes, matched from a pathname. Pure, so it is tested without a browser.

export type RouteName =
  | 'dashboard'
  | 'commands'
  | 'command'
  | 'run'
  | 'run-diff'
  | 'history'
  | 'logs'
  | 'files'
  | 'users'
  | 'account'
  | 'audit'
  | 'automation'
  | 'not-found';

export interface Route {
  name: RouteName;
  params: Record<string, string>;
}

const TABLE: [RegExp, RouteName, string[]][] = [
  [/^\/$/, 'dashboard', []],
  [/^\/commands\/?$/, 'commands', []],
  [/^\/commands\/([^/]+)\/?$/, 'command', ['name']],
  [/^\/runs\/([^/]+)\/?$/, 'run', ['id']],
  [/^\/runs\/([^/]+)\/diff\/([^/]+)\/?$/, 'run-diff', ['id', 'otherId']],
  [/^\/history\/?$/, 'history', []],
  [/^\/logs\/?$/, 'logs', []],
  [/^\/files\/?$/, 'files', []],
  [/^\/users\/?$/, 'users', []],
  [/^\/account\/?$/, 'account', []],
  [/^\/audit\/?$/, 'audit', []],
  [/^\/automation\/?$/, 'automation', []],
];

export function matchRoute(pathname: string): Route {
  for (const [re, name, keys] of TABLE) {
    const m = re.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    keys.forEach((k, i) => {
      try {
        params[k] = decodeURIComponent(m[i + 1]);
      } catch {
        params[k] = m[i + 1];
      }
    });
    return { name, params };
  }
  return { name: 'not-found', params: {} };
}

/** Paths the server answers itself (GraphiQL, downloads): a real page load, never the router. */
const SERVER_PATHS = /^\/(graphql|files\/|health|ready|metrics)/;

export interface ClickLike {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}

export interface AnchorLike {
  href: string;
  target: string;
  hasAttribute(name: string): boolean;
}

/** The in-app path to route to for a click on this link, or null to let the browser handle it. */
export function internalPath(event: ClickLike, anchor: AnchorLike, origin: string): string | null {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return null;
  if (
    (anchor.target && anchor.target !== '_self') ||
    anchor.hasAttribute('download') ||
    anchor.hasAttribute('data-native')
  )
    return null;
  const url = new URL(anchor.href, origin);
  if (url.origin !== origin || SERVER_PATHS.test(url.pathname)) return null;
  return url.pathname + url.search + url.hash;
}
