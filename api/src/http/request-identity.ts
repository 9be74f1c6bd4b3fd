import type { IncomingMessage } from 'node:http';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../modules/auth/session.cookie.js';

/** A malformed escape (`%E0`) is no credential, not a server error. */
function decodeCookie(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeCookie(part.slice(eq + 1).trim());
  }
  return undefined;
}

export interface Credentials {
  token: string | undefined;
  /** cookie credentials need the CSRF header and an allowed Origin; bearer tokens don't */
  viaCookie: boolean;
}

/** `Authorization: Bearer …` wins over the session cookie (its `__Host-` name first: set over HTTPS). */
export function credentialsOf(headers: IncomingMessage['headers']): Credentials {
  const auth = headers.authorization;
  if (auth && /^bearer /i.test(auth)) return { token: auth.slice(7).trim(), viaCookie: false };
  const cookie =
    readCookie(headers.cookie, SECURE_SESSION_COOKIE) || readCookie(headers.cookie, SESSION_COOKIE);
  return { token: cookie || undefined, viaCookie: !!cookie };
}

/** An address is at most 45 characters (IPv6 with IPv4 tail); a forwarded header may say anything. */
const IP_MAX = 64;

export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = req.headers['x-forwarded-for'];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',', 1)[0]?.trim();
    if (first) return first.slice(0, IP_MAX);
  }
  return req.socket.remoteAddress ?? 'unknown';
}

export function isSecure(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  return trustProxy && req.headers['x-forwarded-proto'] === 'https';
}

/** The origins a cookie-authenticated browser request may come from. */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: string[],
): boolean {
  if (!origin) return true; // not a browser cross-origin request (curl, scripts)
  if (allowed.includes(origin)) return true;
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}
