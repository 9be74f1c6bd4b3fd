import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE } from '../modules/auth/auth.service.js';

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export interface Credentials {
  token: string | undefined;
  /** cookie credentials need the CSRF header and an allowed Origin; bearer tokens don't */
  viaCookie: boolean;
}

/** `Authorization: Bearer …` wins over the session cookie. */
export function credentialsOf(headers: IncomingMessage['headers']): Credentials {
  const auth = headers.authorization;
  if (auth && /^bearer /i.test(auth)) return { token: auth.slice(7).trim(), viaCookie: false };
  const cookie = readCookie(headers.cookie, SESSION_COOKIE);
  return { token: cookie || undefined, viaCookie: !!cookie };
}

export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = req.headers['x-forwarded-for'];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

export function isSecure(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  return trustProxy && req.headers['x-forwarded-proto'] === 'https';
}

/** The origins a cookie-authenticated browser request may come from. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: string[]): boolean {
  if (!origin) return true; // not a browser cross-origin request (curl, scripts)
  if (allowed.includes(origin)) return true;
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}
