import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, type ExecutionResult, type GraphQLError } from 'graphql';
import type { YogaServerInstance } from 'graphql-yoga';
import type { ServerContext } from '../context.js';

interface Params {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

const isObjectOrNull = (v: unknown) => v == null || (typeof v === 'object' && !Array.isArray(v));

function plainParams(body: unknown): body is Params {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const p = body as Record<string, unknown>;
  for (const k in p) if (k !== 'query' && k !== 'variables' && k !== 'operationName' && k !== 'extensions') return false;
  return (
    typeof p.query === 'string' &&
    isObjectOrNull(p.variables) &&
    (p.operationName == null || typeof p.operationName === 'string') &&
    isObjectOrNull(p.extensions)
  );
}

/**
 * The common case — a POSTed JSON query or mutation with valid parameters — executed through
 * `yoga.getEnveloped` (so every plugin applies exactly as on the other transports) without
 * building a Fetch Request and Response around it, which is most of Yoga's per-request cost.
 * Anything else (GET, SSE, multipart, GraphiQL, CORS, a parse or validation failure) returns
 * false before anything ran, and Yoga's full handler answers it.
 */
export function createFastPath(yoga: YogaServerInstance<ServerContext, object>, corsEnabled: boolean) {
  return async function tryFastPath(req: IncomingMessage, res: ServerResponse, serverContext: ServerContext): Promise<boolean> {
    const body = (req as { body?: unknown }).body;
    const accept = req.headers.accept ?? '';
    if (!plainParams(body) || /event-stream|multipart\/mixed/.test(accept) || (corsEnabled && req.headers.origin)) return false;
    const graphqlResponse = /application\/graphql-response\+json/.test(accept);
    if (accept && !graphqlResponse && !/application\/json|\*\/\*/.test(accept)) return false;
    const { parse, validate, contextFactory, execute, schema } = yoga.getEnveloped({ ...serverContext, params: body });
    let document;
    try {
      document = parse(body.query);
      const op = getOperationAST(document, body.operationName);
      if (!op || op.operation === 'subscription' || validate(schema, document).length) return false;
    } catch {
      return false; // limits throw from parse and validation: Yoga answers with the right shape
    }
    const contextValue = await contextFactory();
    const result = (await execute({
      schema,
      document,
      variableValues: body.variables ?? undefined,
      operationName: body.operationName ?? undefined,
      contextValue,
    })) as ExecutionResult;
    send(res, result, serverContext.setCookies, graphqlResponse);
    return true;
  };
}

function send(res: ServerResponse, result: ExecutionResult, cookies: string[], graphqlResponse: boolean): void {
  let status = 200;
  const errors = result.errors?.map((e: GraphQLError) => {
    const { extensions, ...json } = e.toJSON();
    const { http, ...rest } = (extensions ?? {}) as { http?: { status?: number } };
    // like Yoga: an error's HTTP status applies when the response type allows it
    if (http?.status && (graphqlResponse || result.data == null)) status = Math.max(status === 200 ? 0 : status, http.status);
    return Object.keys(rest).length ? { ...json, extensions: rest } : json;
  });
  const payload = JSON.stringify(errors ? { ...result, errors } : result);
  const headers: Record<string, string | string[]> = {
    'content-type': graphqlResponse ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload)),
  };
  if (cookies.length) headers['set-cookie'] = cookies;
  res.writeHead(status, headers).end(payload);
}
