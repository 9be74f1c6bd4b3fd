import {
  createSourceEventStream,
  execute,
  getOperationAST,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
} from 'graphql';
import type { CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import { memoOn } from './memo.js';

/**
 * Marks a subscription field whose events may be executed once and shared: every field below it
 * resolves from the event alone (never from the viewer), and its stream checks who may see an
 * event before yielding it. Set on the field as `extensions: SHARED_EVENTS`.
 */
export const SHARED_EVENTS = { sharedEvents: true } as const;

type Results = Map<string, ExecutionResult | Promise<ExecutionResult>>;

type Mask = (error: Error, message: string) => Error;

/**
 * Subscribers on the same stream (a log file, a run's output) are handed the same event objects.
 * For fields marked SHARED_EVENTS, each event is executed once per document and variables, and
 * every subscriber receives that same result object, so the transport can encode it once too.
 *
 * It must be the last of our plugins: it hands Envelop the finished stream, so the plugins after
 * it (Yoga's error masking) don't add their per-event layers; it masks errors itself, with
 * Yoga's own masking function, which costs nothing for the results that carry no error.
 */
export function useSharedEvents(maskError: Mask): Plugin {
  // the results ride on the event object (memoOn says why not in a WeakMap)
  const RESULTS = Symbol('results');
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 0;
  let mask = maskError;
  let maskMessage = 'Unexpected error.';

  const keyOf = (args: ExecutionArgs) => {
    let id = documentIds.get(args.document);
    if (id === undefined) documentIds.set(args.document, (id = nextDocumentId++));
    return `${id}:${args.operationName ?? ''}:${JSON.stringify(args.variableValues ?? {})}`;
  };

  const resultFor = (
    event: unknown,
    key: string,
    run: (event: unknown) => ExecutionResult | Promise<ExecutionResult>,
  ) => {
    if (typeof event !== 'object' || event === null) return run(event);
    const results = memoOn<Results>(event, RESULTS, () => new Map());
    let result = results.get(key);
    if (!result) results.set(key, (result = run(event)));
    return result;
  };

  const masked = (result: ExecutionResult): ExecutionResult =>
    result.errors
      ? { ...result, errors: result.errors.map((e) => mask(e, maskMessage) as GraphQLError) }
      : result;
  const maskThrown = (error: unknown): never => {
    // as Yoga does: an abort is not an error to mask
    if (!(error instanceof Error) || error.name === 'AbortError') throw error;
    throw mask(error, maskMessage);
  };

  const subscribe = async (args: ExecutionArgs) => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return masked(source);
    const key = keyOf(args);
    const run = await executorFor(args);
    return mapEvents(
      source[Symbol.asyncIterator](),
      (event) => resultFor(event, key, run),
      masked,
      maskThrown,
    );
  };

  return {
    onYogaInit({ yoga }) {
      // Yoga's configured masking wraps ours and logs what it hides: use it where it is exposed
      const opts = (
        yoga as unknown as { maskedErrorsOpts?: { maskError: Mask; errorMessage: string } | null }
      ).maskedErrorsOpts;
      if (opts) {
        mask = opts.maskError;
        maskMessage = opts.errorMessage;
      }
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      if (!isShared(args.schema, args.document, args.operationName)) return;
      setResultAndStopExecution(subscribe(args).catch(maskThrown) as never);
    },
  };
}

// loaded with the first shared subscription: an idle server doesn't carry graphql-jit and its deps (~8 MiB)
let jit: Promise<typeof import('graphql-jit')> | undefined;

const compiled = new WeakMap<
  GraphQLSchema,
  WeakMap<DocumentNode, Map<string, CompiledQuery | null>>
>();

/**
 * Executes an event against the operation: compiled once per document with graphql-jit (a log
 * line measured about 15 µs instead of graphql-js's 50), graphql-js where it can't compile.
 */
async function executorFor(
  args: ExecutionArgs,
): Promise<(event: unknown) => ExecutionResult | Promise<ExecutionResult>> {
  let bySchema = compiled.get(args.schema);
  if (!bySchema) compiled.set(args.schema, (bySchema = new WeakMap()));
  let byName = bySchema.get(args.document);
  if (!byName) bySchema.set(args.document, (byName = new Map()));
  const name = args.operationName ?? '';
  let query = byName.get(name);
  if (query === undefined) {
    const { compileQuery, isCompiledQuery } = await (jit ??= import('graphql-jit'));
    const c = compileQuery(args.schema, args.document, args.operationName ?? undefined);
    byName.set(name, (query = isCompiledQuery(c) ? c : null));
  }
  if (!query) return (event) => execute({ ...args, rootValue: event });
  const { contextValue, variableValues } = args;
  return (event) =>
    query.query(event, contextValue, variableValues) as ExecutionResult | Promise<ExecutionResult>;
}

/** One root field, marked SHARED_EVENTS (fragments or several fields at the root are not shared). */
function isShared(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
): boolean {
  const op = getOperationAST(document, operationName);
  const selections = op?.operation === 'subscription' ? op.selectionSet.selections : [];
  const only = selections.length === 1 ? selections[0] : undefined;
  if (only?.kind !== 'Field' || only.directives?.length) return false;
  return (
    schema.getSubscriptionType()?.getFields()[only.name.value]?.extensions?.sharedEvents === true
  );
}

/** The source's events mapped to results (then `after` each); `return` reaches the source. */
function mapEvents(
  source: AsyncIterator<unknown>,
  map: (event: unknown) => ExecutionResult | Promise<ExecutionResult>,
  after: (result: ExecutionResult) => ExecutionResult,
  failed: (error: unknown) => never,
): AsyncIterableIterator<ExecutionResult> {
  const step = (
    r: IteratorResult<unknown>,
  ): IteratorResult<ExecutionResult> | Promise<IteratorResult<ExecutionResult>> => {
    if (r.done) return { value: undefined, done: true };
    const result = map(r.value);
    return result instanceof Promise
      ? result.then((value) => ({ value: after(value), done: false }))
      : { value: after(result), done: false };
  };
  return {
    next: () => source.next().then(step, failed),
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(err) {
      if (source.throw) await source.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
