import path from 'node:path';

/** `root` + a client-supplied relative path, or null when the result would leave `root`. */
export function safeJoin(root: string, relative: string): string | null {
  if (relative.includes('\0')) return null;
  const base = path.resolve(root);
  const full = path.resolve(base, '.' + path.sep + relative);
  return full === base || full.startsWith(base + path.sep) ? full : null;
}
