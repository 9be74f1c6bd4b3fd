import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentDisposition } from '../modules/files/file.name.js';
import { sendError } from './respond.js';

// The answer every download route shares (`GET /files/:id`, `GET /runs/:id/output.txt`): the same
// refusal signed out, the same attachment headers, and Range / If-Range decided the same way.

/** What a download route knows before its first byte. */
export interface Download {
  fileName: string;
  contentType: string;
  /** the bytes to send, or null while they still grow (then sent whole, unsized, without ranges) */
  size: number | null;
  /** a strong validator for `If-Range`; only with a size */
  etag?: string;
}

/** The inclusive byte span about to be sent (`end` is Infinity when unsized). */
export interface Span {
  start: number;
  end: number;
  partial: boolean;
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` against `size`: the inclusive range, 'unsatisfiable', or null to send everything. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null; // several ranges or a malformed one: the whole file
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** 401 for a download without a session cookie or a token. */
export function refuseSignedOut(res: ServerResponse): void {
  sendError(
    res,
    401,
    'UNAUTHENTICATED',
    'Sign in first: downloads need a session cookie or a Bearer token.',
  );
}

/**
 * Answers Range (honoured only when `If-Range`, if sent, still matches) and writes the head: 200,
 * 206, or 416. `beforeHead` runs once the span is known and before anything is written. Resolves
 * with the span whose bytes the route now writes, or null when the answer is already complete
 * (416, HEAD, nothing to send).
 */
export async function startDownload(
  req: IncomingMessage,
  res: ServerResponse,
  d: Download,
  beforeHead?: (span: Span) => Promise<void>,
): Promise<Span | null> {
  const { size, etag } = d;
  const ifRange = req.headers['if-range'];
  const range =
    size === null || (ifRange && ifRange !== etag) ? null : parseRange(req.headers.range, size);
  const headers: Record<string, string | number> = {
    'content-type': d.contentType,
    'content-disposition': contentDisposition(d.fileName),
    'x-content-type-options': 'nosniff',
    // a download is never a page: nothing in it may run, even opened in place
    'content-security-policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'private, no-cache',
    ...(size === null ? {} : { 'accept-ranges': 'bytes' }),
    ...(size === null || !etag ? {} : { etag }),
  };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': 0 });
    res.end();
    return null;
  }
  const span: Span = {
    start: range?.start ?? 0,
    end: range?.end ?? (size === null ? Infinity : size - 1),
    partial: range !== null,
  };
  await beforeHead?.(span);
  res.writeHead(range ? 206 : 200, {
    ...headers,
    ...(size === null ? {} : { 'content-length': size ? span.end - span.start + 1 : 0 }),
    ...(range ? { 'content-range': `bytes ${span.start}-${span.end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return null;
  }
  return span;
}

/** Resolves once the client takes more, or has gone away. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve(); // gone already: 'close' will not come again
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
