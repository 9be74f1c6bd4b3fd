// HMAC-SHA256 request signatures: the tiny-agent style signs "<timestamp>.<body>", GitHub's signs
// the body alone. Pure functions of the headers, the raw body and the secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HookSpec } from '../../config/agent-config.types.js';

/** A timestamp further than this from our clock, either way, is refused. */
export const MAX_SKEW_SECONDS = 5 * 60;

const SIGNATURE_RE = /^sha256=([0-9a-fA-F]{64})$/;
const TIMESTAMP_RE = /^\d{1,12}$/;

type Headers = Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? undefined : v;
};

export type SignatureCheck =
  | { ok: true; signature: string }
  | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export function hmacHex(secret: string, ...parts: (string | Buffer)[]): string {
  const mac = createHmac('sha256', secret);
  for (const p of parts) mac.update(p);
  return mac.digest('hex');
}

/** Checks the request's signature against `hook`'s secret; the signature (lowercase hex) keys replays. */
export function checkSignature(
  hook: Pick<HookSpec, 'style' | 'secret'>,
  headers: Headers,
  body: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const given = header(
    headers,
    hook.style === 'github' ? 'x-hub-signature-256' : 'x-tiny-agent-signature',
  );
  if (given === undefined) return { ok: false, reason: 'missing' };
  const hex = SIGNATURE_RE.exec(given.trim())?.[1]?.toLowerCase();
  if (!hex) return { ok: false, reason: 'malformed' };
  let expected: string;
  if (hook.style === 'github') expected = hmacHex(hook.secret, body);
  else {
    const stamp = header(headers, 'x-tiny-agent-timestamp')?.trim();
    if (stamp === undefined) return { ok: false, reason: 'missing' };
    if (!TIMESTAMP_RE.test(stamp)) return { ok: false, reason: 'malformed' };
    if (Math.abs(nowSeconds - Number(stamp)) > MAX_SKEW_SECONDS)
      return { ok: false, reason: 'stale' };
    expected = hmacHex(hook.secret, stamp, '.', body);
  }
  // both are 32 bytes from 64 hex digits: equal lengths, compared in constant time
  const same = timingSafeEqual(Buffer.from(hex, 'hex'), Buffer.from(expected, 'hex'));
  return same ? { ok: true, signature: hex } : { ok: false, reason: 'mismatch' };
}
