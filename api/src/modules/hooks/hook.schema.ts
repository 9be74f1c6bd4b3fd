import { builder } from '../../builder.js';
import type { HookSpec } from '../../config/agent-config.types.js';
import { CommandRunRef } from '../commands/command.schema.js';
import { hookDeliveries, listHooks, type HookDeliveryView } from './hook.service.js';

const HookStyleEnum = builder.enumType('HookStyle', {
  description: 'How a hook request is signed.',
  values: {
    TINY_AGENT: {
      value: 'tiny-agent',
      description: 'X-Tiny-Agent-Timestamp and X-Tiny-Agent-Signature (HMAC of "timestamp.body").',
    },
    GITHUB: { value: 'github', description: "GitHub's X-Hub-Signature-256 (HMAC of the body)." },
  } as const,
});

const HookArgRef = builder.objectRef<HookSpec['args'][number]>('HookArg').implement({
  description: 'One argument of the command and the JSON body field it takes its value from.',
  fields: (t) => ({
    name: t.exposeString('name'),
    field: t.exposeString('field', { description: 'A dotted path, like repository.full_name.' }),
  }),
});

const HookDeliveryRef = builder.objectRef<HookDeliveryView>('HookDelivery').implement({
  description: 'One signed request the hook accepted.',
  fields: (t) => ({
    receivedAt: t.field({ type: 'DateTime', resolve: (d) => d.receivedAt }),
    run: t.field({
      type: CommandRunRef,
      nullable: true,
      description:
        'The run it started; null when the run was refused (arguments, a limit) or has been removed.',
      resolve: (d) => d.run,
    }),
  }),
});

const HookRef = builder.objectRef<HookSpec>('Hook').implement({
  description: 'A signed webhook of agent.yaml `hooks:` (its secret is never shown).',
  fields: (t) => ({
    name: t.exposeString('name'),
    command: t.exposeString('command'),
    style: t.field({ type: HookStyleEnum, resolve: (h) => h.style }),
    secretEnv: t.exposeString('secretEnv', {
      description: 'The environment variable the secret is read from.',
    }),
    perMinute: t.exposeInt('perMinute'),
    args: t.field({ type: [HookArgRef], resolve: (h) => h.args }),
    url: t.string({ description: 'The path to POST to.', resolve: (h) => `/hooks/${h.name}` }),
    recent: t.field({
      type: [HookDeliveryRef],
      description: 'The newest accepted deliveries first (at most 100).',
      args: { first: t.arg.int({ defaultValue: 10 }) },
      resolve: (h, a, ctx) => hookDeliveries(ctx, h.name, a.first ?? 10),
    }),
  }),
});

builder.queryField('hooks', (t) =>
  t.field({
    type: [HookRef],
    description: 'The signed webhooks of agent.yaml (ADMIN).',
    resolve: (_r, _a, ctx) => listHooks(ctx),
  }),
);
