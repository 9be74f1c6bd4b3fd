import type { ObjectRef } from '@pothos/core';
import { builder } from '../builder.js';
import type { Page } from './keyset.js';

const PageInfoRef = builder.objectRef<Page<unknown>['pageInfo']>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

/** `<Name>Connection` and `<Name>Edge`, Relay style, for a node type. */
export function connectionOf<T>(name: string, node: ObjectRef<any, T>) {
  const Edge = builder.objectRef<Page<T>['edges'][number]>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.field({ type: node, resolve: (e) => e.node as never }),
    }),
  });
  return builder.objectRef<Page<T>>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [Edge], resolve: (p) => p.edges }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (p) => p.pageInfo }),
    }),
  });
}
