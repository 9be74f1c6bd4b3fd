// The one rule for joining output: consecutive pieces of one stream, up to a size.

export interface Piece {
  stream: string;
  data: string;
}

/**
 * `next` appended to `last` when both are of one stream and together measure at most `max`
 * (by `size`), else undefined. The joined piece carries `next`'s other fields (the last seq, so
 * a resume stays exact) and is a new object: live chunks are shared by every subscriber.
 */
export function joined<C extends Piece>(
  last: C,
  next: C,
  max: number,
  size: (piece: C) => number,
): C | undefined {
  if (last.stream !== next.stream || size(last) + size(next) > max) return undefined;
  return { ...next, data: last.data + next.data };
}

const length = (piece: Piece): number => piece.data.length;

/** `pieces` with every run of joinable neighbours made one. */
export function coalesce<C extends Piece>(pieces: readonly C[], max: number, size = length): C[] {
  const out: C[] = [];
  for (const c of pieces) {
    const j = out.length > 0 ? joined(out[out.length - 1]!, c, max, size) : undefined;
    if (j) out[out.length - 1] = j;
    else out.push(c);
  }
  return out;
}
