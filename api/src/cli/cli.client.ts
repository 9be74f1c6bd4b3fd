import type { ResultOf, TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Target } from './cli.config.js';
import { CliError, EXIT, ServerError, UnreachableError } from './cli.errors.js';

export const USER_AGENT = 'tiny-agent-cli';

interface GqlError {
  message: string;
  extensions?: { code?: string };
}

/** The first error of an answer as the CLI reports it. */
export function serverError(errors: readonly GqlError[]): ServerError {
  const e = errors[0]!;
  return new ServerError(e.message, e.extensions?.code);
}

/** Credentials as a header, only when there is a token (login asks without one). */
export function authHeader(target: Target): Record<string, string> {
  return target.token ? { authorization: `Bearer ${target.token}` } : {};
}

/** One HTTP request to the server; network failures become UnreachableError. */
export async function send(target: Target, pathname: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(target.url + pathname, init);
  } catch (err) {
    throw new UnreachableError(target.url, err);
  }
}

/** A GraphQL answer read from a response; errors thrown as ServerError. */
export async function readAnswer<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: { data?: T | null; errors?: GqlError[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new CliError(
      `the server answered ${res.status} with something that is not GraphQL: ${text.slice(0, 200)}`,
      EXIT.SERVER,
    );
  }
  if (body.errors?.length) throw serverError(body.errors);
  if (!body.data) throw new CliError(`the server answered ${res.status} without data`, EXIT.SERVER);
  return body.data;
}

/** A query or mutation over HTTP POST. */
export async function gql<D extends TypedDocumentNode<any, any>>(
  target: Target,
  doc: D,
  variables?: VariablesOf<D>,
): Promise<ResultOf<D>> {
  const res = await send(target, '/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      'user-agent': USER_AGENT,
      ...authHeader(target),
    },
    body: JSON.stringify({ query: print(doc), variables }),
  });
  return readAnswer<ResultOf<D>>(res);
}

/** How a subscription ended: completed, refused by the server, or the connection went away. */
export type StreamEnd =
  | { kind: 'complete' }
  | { kind: 'refused'; error: ServerError }
  | { kind: 'dropped'; reason: string; connected: boolean };

/** A graphql-ws client of its own (no retries: the caller resumes with its own position). */
export function wsClient(target: Target): Client {
  return createClient({
    url: target.url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: target.token ? { authorization: `Bearer ${target.token}` } : undefined,
  });
}

/**
 * One subscription until it ends; `onNext` is awaited before the next event is taken (stdout's
 * pace holds the stream back). A close for bad credentials counts as a refusal, not a drop.
 */
export async function subscribeOnce<D extends TypedDocumentNode<any, any>>(
  target: Target,
  doc: D,
  variables: VariablesOf<D>,
  onNext: (data: ResultOf<D>) => Promise<void> | void,
  onConnected?: () => void,
): Promise<StreamEnd> {
  const client = wsClient(target);
  let connected = false;
  client.on('connected', () => {
    connected = true;
    onConnected?.();
  });
  const events = client.iterate<ResultOf<D>>({ query: print(doc), variables });
  try {
    for await (const result of events) {
      if (result.errors?.length) return { kind: 'refused', error: serverError(result.errors) };
      if (result.data) await onNext(result.data);
    }
    return { kind: 'complete' };
  } catch (err) {
    const end = classify(err);
    return end.kind === 'dropped' ? { ...end, connected } : end;
  } finally {
    await client.dispose();
  }
}

function classify(
  err: unknown,
): Exclude<StreamEnd, { kind: 'dropped' }> | { kind: 'dropped'; reason: string } {
  if (Array.isArray(err)) return { kind: 'refused', error: serverError(err as GqlError[]) };
  const close = err as { code?: number; reason?: string };
  if (typeof close?.code === 'number') {
    if (close.code === 4403 || close.code === 4401)
      return {
        kind: 'refused',
        error: new ServerError(
          `the server refused the credentials (${close.reason || close.code}); log in again`,
          'UNAUTHENTICATED',
        ),
      };
    if (close.code === 4429)
      return {
        kind: 'refused',
        error: new ServerError(close.reason || 'too many', 'RATE_LIMITED'),
      };
    if (close.code >= 4400 && close.code < 4500)
      return {
        kind: 'refused',
        error: new ServerError(close.reason || String(close.code), undefined),
      };
    return {
      kind: 'dropped',
      reason: `connection closed (${close.code} ${close.reason ?? ''})`.trim(),
    };
  }
  return { kind: 'dropped', reason: (err as Error)?.message ?? String(err) };
}
