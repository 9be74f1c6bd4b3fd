import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ServerContext } from '../context.js';

/** Counts every operation and times queries and mutations, on every transport. */
export function useOperationMetrics(): Plugin {
  return {
    onExecute({ args }) {
      const { metrics } = (args.contextValue as unknown as ServerContext).app;
      const op = getOperationAST(args.document, args.operationName);
      const type = op?.operation ?? 'unknown';
      const name = op?.name?.value ?? 'anonymous';
      const start = performance.now();
      return {
        onExecuteDone({ result }) {
          metrics.operationSeconds.observe(type, (performance.now() - start) / 1000);
          const failed = 'errors' in result && !!result.errors?.length;
          metrics.operations.inc({
            type,
            name: name.slice(0, 64),
            outcome: failed ? 'error' : 'ok',
          });
        },
      };
    },
    onSubscribe({ args }) {
      const { metrics } = (args.contextValue as unknown as ServerContext).app;
      const name = getOperationAST(args.document, args.operationName)?.name?.value ?? 'anonymous';
      metrics.operations.inc({ type: 'subscription', name: name.slice(0, 64), outcome: 'ok' });
    },
  };
}
