import { createHash, timingSafeEqual } from 'node:crypto';

export interface MetricsPolicy {
  /** required as `Authorization: Bearer …` when set */
  token?: string;
  /** set: metrics live on their own listener, and the main port has none */
  separateListener: boolean;
}

export interface MetricsRequest {
  /** the socket's peer, never X-Forwarded-For: a header is whatever the client says */
  remoteAddress: string | undefined;
  authorization: string | undefined;
  /** whether this request came in on the METRICS_LISTEN listener */
  onMetricsListener: boolean;
}

export interface Refusal {
  status: 401 | 403 | 404;
  code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';
  message: string;
  /** for the warn log line, not for the client */
  reason: string;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Same time whatever the guess: both sides hashed to a fixed length, then compared. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const m = header ? /^Bearer\s+(\S{1,1024})\s*$/i.exec(header) : null;
  return !!m && timingSafeEqual(digest(m[1]!), digest(token));
}

/** Who may read GET /metrics (the contract's rule); null lets the request through. */
export function metricsRefusal(req: MetricsRequest, policy: MetricsPolicy): Refusal | null {
  if (policy.separateListener && !req.onMetricsListener) {
    return {
      status: 404,
      code: 'NOT_FOUND',
      message: 'Nothing at GET /metrics on this port.',
      reason: 'metrics are served on METRICS_LISTEN',
    };
  }
  if (policy.token) {
    if (tokenMatches(req.authorization, policy.token)) return null;
    return {
      status: 401,
      code: 'UNAUTHENTICATED',
      message:
        'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>" to read /metrics.',
      reason: req.authorization ? 'wrong token' : 'no token',
    };
  }
  if (req.onMetricsListener || isLoopback(req.remoteAddress)) return null;
  return {
    status: 403,
    code: 'FORBIDDEN',
    message:
      '/metrics answers only on this machine. To scrape it from elsewhere, the operator sets METRICS_TOKEN or METRICS_LISTEN.',
    reason: 'not from loopback, and neither METRICS_TOKEN nor METRICS_LISTEN is set',
  };
}
