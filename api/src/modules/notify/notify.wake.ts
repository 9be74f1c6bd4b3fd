// Queueing a notification wakes this process's notifier at once (other instances find it on
// their next poll). Keyed by the database handle: tests run several apps in one process.
import type { MikroORM } from '@mikro-orm/core';

const wakers = new WeakMap<MikroORM, () => void>();

export const onNotifyWake = (orm: MikroORM, wake: (() => void) | null) =>
  wake ? wakers.set(orm, wake) : wakers.delete(orm);

export const wakeNotifier = (orm: MikroORM) => wakers.get(orm)?.();
