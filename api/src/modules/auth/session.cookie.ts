/** The session cookie over plain HTTP (loopback, or a proxy that says the request was http). */
export const SESSION_COOKIE = 'tiny_agent_session';
/** Over HTTPS: the browser takes it only with Secure, Path=/ and no Domain, so no sibling host can set it. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

const attributes = (maxAgeSeconds: number, secure: boolean) =>
  `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;

/** The Set-Cookie value for a new session (or, with an empty token and 0, its removal). */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE}=${token}; ${attributes(maxAgeSeconds, secure)}`;
}

/** Set-Cookie values that remove the session cookie under every name this request may carry. */
export function clearedSessionCookies(secure: boolean): string[] {
  const plain = `${SESSION_COOKIE}=; ${attributes(0, secure)}`;
  return secure ? [`${SECURE_SESSION_COOKIE}=; ${attributes(0, true)}`, plain] : [plain];
}
