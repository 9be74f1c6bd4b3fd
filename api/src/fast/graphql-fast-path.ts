import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  getOperationAST,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
} from 'graphql';
import type { YogaServerInstance } from 'graphql-yoga';
import type { ServerContext } from '../context.js';
import { SECURITY_HEADERS } from '../http/security-headers.js';

interface Params {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

const isThenable = <T>(v: T | PromiseLike<T>): v is PromiseLike<T> =>
  typeof (v as { then?: unknown } | null)?.then === 'function';
const isObjectOrNull = (v: unknown) => v == null || (typeof v === 'object' && !Array.isArray(v));

function plainParams(body: unknown): body is Params {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const p = body as Record<string, unknown>;
  for (const k in p)
    if (k !== 'query' && k !== 'variables' && k !== 'operationName' && k !== 'extensions')
      return false;
  return (
    typeof p.query === 'string' &&
    isObjectOrNull(p.variables) &&
    (p.operationName == null || typeof p.operationName === 'string') &&
    isObjectOrNull(p.extensions)
  );
}

/** Documents that parsed and validated for a signed-in caller, by query text (oldest out first). */
class KnownDocuments {
  private readonly docs = new Map<string, DocumentNode>();
  constructor(private readonly max: number) {}
  get(query: string) {
    return this.docs.get(query);
  }
  add(query: string, doc: DocumentNode) {
    if (this.docs.size >= this.max) this.docs.delete(this.docs.keys().next().value!);
    this.docs.set(query, doc);
  }
}

/**
 * The common case — a POSTed JSON query or mutation with valid parameters — executed through
 * `yoga.getEnveloped` (so every plugin applies exactly as on the other transports) without
 * building a Fetch Request and Response around it, which is most of Yoga's per-request cost.
 * Anything else (GET, SSE, multipart, GraphiQL, CORS, a parse or validation failure) returns
 * false before anything ran, and Yoga's full handler answers it.
 *
 * A document that already parsed and validated for a signed-in caller skips both next time:
 * the rules for signed-in callers are fixed (graphql-js's and armor's, with our limits), so
 * the answer can't change, and running them again through every plugin's hooks cost more
 * than executing `me`. Signed-out callers always go through the full validation (the sign-in
 * gate adds a rule for them).
 */
export function createFastPath(
  yoga: YogaServerInstance<ServerContext, object>,
  corsEnabled: boolean,
) {
  const known = new KnownDocuments(1000);
  return async function tryFastPath(
    req: IncomingMessage,
    res: ServerResponse,
    serverContext: ServerContext,
  ): Promise<boolean> {
    const body = (req as { body?: unknown }).body;
    const accept = req.headers.accept ?? '';
    if (
      !plainParams(body) ||
      /event-stream|multipart\/mixed/.test(accept) ||
      (corsEnabled && req.headers.origin)
    )
      return false;
    const graphqlResponse = /application\/graphql-response\+json/.test(accept);
    if (accept && !graphqlResponse && !/application\/json|\*\/\*/.test(accept)) return false;
    const enveloped = yoga.getEnveloped({ ...serverContext, params: body });
    const { contextFactory, execute, schema } = enveloped;
    let document = serverContext.viewer ? known.get(body.query) : undefined;
    if (!document) {
      document = parseAndValidate(enveloped, body.query);
      if (!document) return false;
      if (serverContext.viewer) known.add(body.query, document);
    }
    const op = getOperationAST(document, body.operationName);
    if (!op || op.operation === 'subscription') return false;
    // plugins and resolvers may all answer synchronously (a cached `me` does): then no await
    const built = contextFactory();
    const contextValue = isThenable(built) ? await built : built;
    const executed = execute({
      schema,
      document,
      variableValues: body.variables ?? undefined,
      operationName: body.operationName ?? undefined,
      contextValue,
    });
    const result = (isThenable(executed) ? await executed : executed) as ExecutionResult;
    send(res, result, serverContext.setCookies, graphqlResponse);
    return true;
  };
}

/** undefined when parsing or validation fails: Yoga's full handler then answers in its shape */
function parseAndValidate(
  {
    parse,
    validate,
    schema,
  }: ReturnType<YogaServerInstance<ServerContext, object>['getEnveloped']>,
  query: string,
) {
  try {
    const document = parse(query);
    return validate(schema, document).length ? undefined : document;
  } catch {
    return undefined; // armor's limits throw
  }
}

function send(
  res: ServerResponse,
  result: ExecutionResult,
  cookies: string[],
  graphqlResponse: boolean,
): void {
  let status = 200;
  const errors = result.errors?.map((e: GraphQLError) => {
    const { extensions, ...json } = e.toJSON();
    const { http, ...rest } = (extensions ?? {}) as { http?: { status?: number } };
    // like Yoga: an error's HTTP status applies when the response type allows it
    if (http?.status && (graphqlResponse || result.data == null))
      status = Math.max(status === 200 ? 0 : status, http.status);
    return Object.keys(rest).length ? { ...json, extensions: rest } : json;
  });
  const payload = JSON.stringify(errors ? { ...result, errors } : result);
  const headers: Record<string, string | string[]> = {
    ...SECURITY_HEADERS,
    'content-type': graphqlResponse
      ? 'application/graphql-response+json; charset=utf-8'
      : 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload)),
  };
  if (cookies.length) headers['set-cookie'] = cookies;
  res.writeHead(status, headers).end(payload);
}
