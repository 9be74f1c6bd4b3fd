import { builder } from '../../builder.js';
import {
  changePassword,
  createUser,
  deleteUser,
  listUsers,
  me,
  updateUser,
} from './user.service.js';
import type { UserView } from '../auth/authenticator.js';

export const RoleEnum = builder.enumType('Role', { values: ['ADMIN', 'USER'] as const });

export const UserRef = builder.objectRef<UserView>('User').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    username: t.exposeString('username'),
    role: t.field({ type: RoleEnum, resolve: (u) => u.role }),
    disabled: t.exposeBoolean('disabled'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastLoginAt: t.expose('lastLoginAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: UserRef,
    nullable: true,
    description: 'The signed-in user; null when signed out.',
    resolve: (_r, _a, ctx) => me(ctx),
  }),
);

builder.queryField('users', (t) =>
  t.field({
    type: [UserRef],
    description: 'Every user (ADMIN).',
    resolve: (_r, _a, ctx) => listUsers(ctx),
  }),
);

builder.mutationField('createUser', (t) =>
  t.field({
    type: UserRef,
    description: 'ADMIN.',
    args: {
      username: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
      role: t.arg({ type: RoleEnum, required: true }),
    },
    resolve: (_r, args, ctx) => createUser(ctx, args),
  }),
);

builder.mutationField('updateUser', (t) =>
  t.field({
    type: UserRef,
    description:
      'ADMIN: change role, disable or enable, or reset the password. A reset or disable ends every session and revokes every API token of the user; a role change ends their open subscriptions.',
    args: {
      id: t.arg.id({ required: true }),
      role: t.arg({ type: RoleEnum }),
      disabled: t.arg.boolean(),
      password: t.arg.string(),
    },
    resolve: (_r, args, ctx) => updateUser(ctx, { ...args, id: String(args.id) }),
  }),
);

builder.mutationField('deleteUser', (t) =>
  t.boolean({
    description: 'ADMIN.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => deleteUser(ctx, String(args.id)),
  }),
);

builder.mutationField('changePassword', (t) =>
  t.boolean({
    description:
      'Needs the current password (wrong ones count against the sign-in limit). Ends your other sessions; API tokens stay.',
    args: {
      currentPassword: t.arg.string({ required: true }),
      newPassword: t.arg.string({ required: true }),
    },
    resolve: (_r, args, ctx) => changePassword(ctx, args),
  }),
);
