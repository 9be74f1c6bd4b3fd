import { createHash, randomBytes } from 'node:crypto';

export type TokenKind = 'session' | 'apiToken';
const PREFIX: Record<TokenKind, string> = { session: 'tas_', apiToken: 'tat_' };

/** 256 random bits; the prefix tells which table to look in (and lets secret scanners spot it). */
export function newToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function tokenKind(token: string): TokenKind | null {
  if (token.length !== 47) return null;
  if (token.startsWith(PREFIX.session)) return 'session';
  if (token.startsWith(PREFIX.apiToken)) return 'apiToken';
  return null;
}

/** Only this digest is stored: a leaked database holds no usable credential. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
