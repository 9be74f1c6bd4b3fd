/**
 * A value cached on an object under a symbol, made once. Not a WeakMap: V8's young-generation GC
 * keeps a WeakMap's values alive, so run-output chunks cached that way survived into the old space
 * and the heap grew with the volume streamed. Not enumerable: a spread copy (coalesced output) or
 * a comparison never sees it. An object that can't take a property gets a fresh value each time.
 */
export function memoOn<T>(target: object, key: symbol, make: () => T): T {
  const held = (target as Record<symbol, T | undefined>)[key];
  if (held !== undefined) return held;
  const value = make();
  if (Object.isExtensible(target)) Object.defineProperty(target, key, { value });
  return value;
}
