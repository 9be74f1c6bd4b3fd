import type { Context } from '../../context.js';
import { ForbiddenError, UnauthenticatedError } from '../../errors.js';
import type { Viewer } from './viewer.js';

export function requireViewer(ctx: Pick<Context, 'viewer'>): Viewer {
  if (!ctx.viewer) throw new UnauthenticatedError();
  return ctx.viewer;
}

export function requireAdmin(ctx: Pick<Context, 'viewer'>): Viewer {
  const viewer = requireViewer(ctx);
  if (viewer.role !== 'ADMIN') throw new ForbiddenError('Only an administrator can do this.');
  return viewer;
}

export const isAdmin = (viewer: Viewer | null): boolean => viewer?.role === 'ADMIN';
