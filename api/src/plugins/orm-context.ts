import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Plugin } from 'graphql-yoga';

/**
 * `ctx.em`: an EntityManager forked per operation (the identity map must not outlive it),
 * created on first use so operations that never touch the database don't pay for it.
 */
export function useOrmContext(orm: MikroORM): Plugin {
  return {
    onContextBuilding({ context }) {
      let em: EntityManager | undefined;
      Object.defineProperty(context, 'em', {
        configurable: true,
        enumerable: false,
        get: () => (em ??= orm.em.fork()),
      });
    },
  };
}
