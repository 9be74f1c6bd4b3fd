import { builder } from '../../builder.js';
import { UserRef } from '../users/user.schema.js';
import { ApiToken } from './api-token.entity.js';
import { createApiToken, listApiTokens, login, logout, revokeApiToken } from './auth.service.js';
import { endUserSessions, signOutEverywhere } from './session.service.js';

const LoginPayload = builder
  .objectRef<Awaited<ReturnType<typeof login>>>('LoginPayload')
  .implement({
    fields: (t) => ({
      user: t.field({ type: UserRef, resolve: (p) => p.user }),
      token: t.exposeString('token', {
        description:
          'A bearer token for scripts; browsers get the same session as an HttpOnly cookie.',
      }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    }),
  });

const ApiTokenRef = builder.objectType(ApiToken, {
  name: 'ApiToken',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreateApiTokenPayload = builder
  .objectRef<Awaited<ReturnType<typeof createApiToken>>>('CreateApiTokenPayload')
  .implement({
    fields: (t) => ({
      apiToken: t.field({ type: ApiTokenRef, resolve: (p) => p.apiToken }),
      secret: t.exposeString('secret', { description: 'Shown once; only its hash is stored.' }),
    }),
  });

builder.mutationField('login', (t) =>
  t.field({
    type: LoginPayload,
    description: 'Signs in and sets the session cookie.',
    args: {
      username: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
    },
    resolve: (_r, args, ctx) => login(ctx, args),
  }),
);

builder.mutationField('logout', (t) => t.boolean({ resolve: (_r, _a, ctx) => logout(ctx) }));

builder.queryField('apiTokens', (t) =>
  t.field({
    type: [ApiTokenRef],
    description: 'Your API tokens.',
    resolve: (_r, _a, ctx) => listApiTokens(ctx),
  }),
);

builder.mutationField('createApiToken', (t) =>
  t.field({
    type: CreateApiTokenPayload,
    args: { name: t.arg.string({ required: true }), expiresInDays: t.arg.int() },
    resolve: (_r, args, ctx) => createApiToken(ctx, args),
  }),
);

builder.mutationField('revokeApiToken', (t) =>
  t.boolean({
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => revokeApiToken(ctx, String(args.id)),
  }),
);

builder.mutationField('signOutEverywhere', (t) =>
  t.boolean({
    description:
      'Ends every session of yours except this one (other browsers, login tokens). Your API tokens stay.',
    resolve: (_r, _a, ctx) => signOutEverywhere(ctx),
  }),
);

builder.mutationField('endUserSessions', (t) =>
  t.boolean({
    description:
      'ADMIN: ends every session of the user and revokes every API token of theirs; their open subscriptions end.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => endUserSessions(ctx, String(args.id)),
  }),
);
