// The authorization matrix's table: every root field of the schema, classified. A field the
// schema has and this table lacks fails the matrix, and so does a row for a field that is gone.
// Outcomes follow CONTRACT.md "Who may do what": signed out only `me` and `login`; USER their own
// runs, files and tokens (someone else's answer NOT_FOUND) and what agent.yaml gives role `user`;
// ADMIN everything. "USER" owns the fixtures (authz-matrix.world.ts); "another USER" does not.
// A new row: the field, a minimal operation, the outcome per caller (the shorthands below), and
// `vars` for the objects it needs; a call that uses its object up gets a fresh one per cell.
import { expect } from 'vitest';
import type { ErrorCode } from '../../api/src/errors.js';
import type { Read, Transport } from './authz-matrix.calls.js';
import type { Account, World } from './authz-matrix.world.js';

export type Caller = 'signed out' | 'USER' | 'another USER' | 'ADMIN';
export const CALLERS: readonly Caller[] = ['signed out', 'USER', 'another USER', 'ADMIN'];

/** OK: data and no errors; otherwise the first error's code (an answer with no body reads `HTTP <status>` and fails). */
export type Outcome = 'OK' | ErrorCode;
export type Expect = Record<Caller, Outcome>;
type Vars = Record<string, unknown>;

export interface Cell {
  caller: Caller;
  transport: Transport;
  /** who calls: null when signed out */
  auth: Account | null;
}

export interface Case {
  /** `Query.me`, `Mutation.login`, `Subscription.logTail` */
  field: string;
  /** tells two rows of one field apart */
  variant?: string;
  query: string;
  expect: Expect;
  /** where a transport answers otherwise */
  on?: Partial<Record<Transport, Partial<Expect>>>;
  /** default `once`; a subscription says how its stream is judged */
  read?: Read;
  /**
   * The same call on something that does not exist. Where the caller may not see the row's object
   * it must answer NOT_FOUND in the same words (the contract's "exactly as if it did not exist").
   */
  missing?: Vars;
  /** per cell: the variables, often pointing at a fresh object the call may use up */
  vars?: (w: World, cell: Cell) => Vars | Promise<Vars>;
  /** after the cell, whatever its outcome */
  after?: (w: World, vars: Vars) => Promise<void>;
  /** the call ends or changes its caller's credentials: a new session, or a new account, per cell */
  caller?: 'fresh session' | 'fresh account';
  upload?: { name: string; content: string };
  /** `live` streams: what makes an event the caller may see */
  live?: { topic: 'runUpdated'; trigger: (w: World, who: Account) => Promise<void> };
  /** more to check when the outcome is OK: what the caller may see */
  check?: (data: any, cell: Cell, w: World) => void;
}

const o = (signedOut: Outcome, user: Outcome, another: Outcome, admin: Outcome): Expect => ({
  'signed out': signedOut,
  USER: user,
  'another USER': another,
  ADMIN: admin,
});
const OPEN = o('OK', 'OK', 'OK', 'OK');
const SIGNED_IN = o('UNAUTHENTICATED', 'OK', 'OK', 'OK');
/** the USER's own object: someone else's answers exactly like a missing one */
const OWNED = o('UNAUTHENTICATED', 'OK', 'NOT_FOUND', 'OK');
/** a run waiting for the admins' approval: its requester may not decide it, a stranger not see it */
const DECIDE = o('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'OK');
const ADMIN_ONLY = o('UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'OK');
/** a command or log source agent.yaml gives to admin only: for USER it does not exist */
const ADMIN_CONFIG = o('UNAUTHENTICATED', 'NOT_FOUND', 'NOT_FOUND', 'OK');
/** as ADMIN_CONFIG, where the admin is told the feature is off (no AI endpoint in the matrix) */
const ADMIN_CONFIG_OFF = o('UNAUTHENTICATED', 'NOT_FOUND', 'NOT_FOUND', 'CONFLICT');
/** a subscription's plain POST: refused for a stranger, and told to use SSE or WebSocket (406) for anyone else */
const STREAM_ONLY = {
  HTTP: { USER: 'BAD_USER_INPUT', 'another USER': 'BAD_USER_INPUT', ADMIN: 'BAD_USER_INPUT' },
} as const;

const NO_ID = { id: '00000000-0000-4000-8000-000000000000' };

const isOwner = (c: Cell) => c.caller === 'USER';
/** the owner and the admin see the owner's runs and files in lists */
const seesOwners = (c: Cell) => c.caller === 'USER' || c.caller === 'ADMIN';
const ids = (conn: { edges: { node: { id: string } }[] }) => conn.edges.map((e) => e.node.id);

export const CASES: Case[] = [
  // ---- Query
  {
    field: 'Query.me',
    query: '{ me { username } }',
    expect: OPEN,
    check: (d, c) => expect(d.me?.username ?? null).toBe(c.auth?.username ?? null),
  },
  { field: 'Query.users', query: '{ users { id username } }', expect: ADMIN_ONLY },
  {
    field: 'Query.hooks',
    query: '{ hooks { name command style url recent { receivedAt run { id } } } }',
    expect: ADMIN_ONLY,
  },
  {
    field: 'Query.storage',
    query: '{ storage { outputBytes outputQuotaBytes runs uploads lastSweepAt } }',
    expect: ADMIN_ONLY,
  },
  {
    field: 'Query.logTriggers',
    query: '{ logTriggers { name source lastFiredAt firings { id run { id } } } }',
    expect: ADMIN_ONLY,
  },
  {
    field: 'Query.auditEvents',
    query: '{ auditEvents(first: 5) { edges { node { id action } } } }',
    expect: ADMIN_ONLY,
  },
  {
    field: 'Query.notificationTargets',
    query: '{ notificationTargets { name type where lastError lastSentAt } }',
    expect: ADMIN_ONLY,
  },
  {
    field: 'Query.notifications',
    query: '{ notifications(first: 5) { id status lastError } }',
    expect: ADMIN_ONLY,
  },
  {
    field: 'Query.commands',
    query: '{ commands { name } }',
    expect: SIGNED_IN,
    check: (d, c) =>
      expect(d.commands.map((x: { name: string }) => x.name).includes('echo-admin')).toBe(
        c.caller === 'ADMIN',
      ),
  },
  {
    field: 'Query.schedules',
    query: '{ schedules { id command nextRuns(first: 1) } }',
    expect: SIGNED_IN,
    // the schedules of the commands the caller may run, as `commands` filters
    check: (d, c) =>
      expect(d.schedules.some((x: { command: string }) => x.command === 'echo-admin')).toBe(
        c.caller === 'ADMIN',
      ),
  },
  {
    field: 'Query.commandRuns',
    query: '{ commandRuns(first: 10, command: "report") { edges { node { id } } } }',
    expect: SIGNED_IN,
    check: (d, c, w) => expect(ids(d.commandRuns).includes(w.run)).toBe(seesOwners(c)),
  },
  {
    field: 'Query.pendingApprovals',
    query: '{ pendingApprovals { id commandName } }',
    // one of the owner's runs waits in every cell
    vars: async (w) => (await w.freshPending(), {}),
    expect: SIGNED_IN,
    // the owner's pending runs are the admin's to decide, never the owner's own
    check: (d, c) => {
      const names = d.pendingApprovals.map((r: { commandName: string }) => r.commandName);
      if (c.caller === 'ADMIN') expect(new Set(names)).toEqual(new Set(['guarded']));
      else expect(names).toEqual([]);
    },
  },
  {
    field: 'Query.commandRun',
    query: 'query($id: ID!) { commandRun(id: $id) { id argv } }',
    vars: (w) => ({ id: w.run }),
    missing: NO_ID,
    expect: OWNED,
  },
  {
    field: 'Query.features',
    query: '{ features { explain } }',
    expect: SIGNED_IN,
  },
  {
    field: 'Query.logSources',
    query: '{ logSources { name } }',
    expect: SIGNED_IN,
    check: (d, c) =>
      expect(d.logSources.map((x: { name: string }) => x.name).sort()).toEqual(
        c.caller === 'ADMIN' ? ['admin-log', 'user-log'] : ['user-log'],
      ),
  },
  {
    field: 'Query.logLines',
    query: '{ logLines(source: "user-log", last: 1) { text } }',
    expect: SIGNED_IN,
  },
  {
    field: 'Query.logLines',
    variant: 'an admin-only source',
    query: 'query($s: String!) { logLines(source: $s, last: 1) { text } }',
    vars: () => ({ s: 'admin-log' }),
    missing: { s: 'no-such-log' },
    expect: ADMIN_CONFIG,
  },
  {
    field: 'Query.files',
    query: '{ files(first: 100) { edges { node { id } } } }',
    expect: SIGNED_IN,
    check: (d, c, w) => expect(ids(d.files).includes(w.file)).toBe(seesOwners(c)),
  },
  {
    field: 'Query.file',
    query: 'query($id: ID!) { file(id: $id) { id name } }',
    vars: (w) => ({ id: w.file }),
    missing: NO_ID,
    expect: OWNED,
  },
  {
    field: 'Query.apiTokens',
    query: '{ apiTokens { id } }',
    expect: SIGNED_IN,
    // "your API tokens": the admin's list is the admin's own too
    check: (d, c, w) =>
      expect(d.apiTokens.map((t: { id: string }) => t.id).includes(w.token)).toBe(isOwner(c)),
  },

  // ---- Mutation
  {
    field: 'Mutation.login',
    query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
    vars: (w) => w.freshLogin(),
    expect: OPEN,
  },
  {
    field: 'Mutation.logout',
    query: 'mutation { logout }',
    caller: 'fresh session',
    expect: SIGNED_IN,
  },
  {
    field: 'Mutation.changePassword',
    query:
      'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }',
    caller: 'fresh account',
    vars: (_w, c) => ({ c: c.auth?.password ?? 'matrix-password-1', n: 'matrix-password-2' }),
    expect: SIGNED_IN,
  },
  {
    field: 'Mutation.createUser',
    query:
      'mutation($u: String!) { createUser(username: $u, password: "matrix-password-1", role: USER) { id } }',
    vars: (w) => ({ u: w.unique('created') }),
    expect: ADMIN_ONLY,
  },
  {
    field: 'Mutation.updateUser',
    query: 'mutation($id: ID!) { updateUser(id: $id, disabled: true) { id disabled } }',
    vars: async (w) => ({ id: await w.freshTarget() }),
    expect: ADMIN_ONLY,
  },
  {
    field: 'Mutation.endUserSessions',
    query: 'mutation($id: ID!) { endUserSessions(id: $id) }',
    vars: async (w) => ({ id: await w.freshTarget() }),
    expect: ADMIN_ONLY,
  },
  // a fresh account: it ends the caller's other sessions, which the other cells share
  {
    field: 'Mutation.signOutEverywhere',
    query: 'mutation { signOutEverywhere }',
    caller: 'fresh account',
    expect: SIGNED_IN,
  },
  {
    field: 'Mutation.deleteUser',
    query: 'mutation($id: ID!) { deleteUser(id: $id) }',
    vars: async (w) => ({ id: await w.freshTarget() }),
    expect: ADMIN_ONLY,
  },
  {
    field: 'Mutation.createApiToken',
    query: 'mutation($n: String!) { createApiToken(name: $n) { secret } }',
    vars: (w) => ({ n: w.unique('made') }),
    expect: SIGNED_IN,
  },
  {
    field: 'Mutation.revokeApiToken',
    query: 'mutation($id: ID!) { revokeApiToken(id: $id) }',
    vars: async (w) => ({ id: await w.freshToken() }),
    missing: NO_ID,
    expect: OWNED,
  },
  {
    field: 'Mutation.sendTestNotification',
    query: 'mutation($t: String!) { sendTestNotification(target: $t) { id status } }',
    vars: () => ({ t: 'ops' }),
    expect: ADMIN_ONLY,
  },
  {
    field: 'Mutation.runCommand',
    query: 'mutation { runCommand(name: "echo-user") { id } }',
    expect: SIGNED_IN,
  },
  {
    field: 'Mutation.runCommand',
    variant: 'an admin-only command',
    query: 'mutation($n: String!) { runCommand(name: $n) { id } }',
    vars: () => ({ n: 'echo-admin' }),
    missing: { n: 'no-such-command' },
    expect: ADMIN_CONFIG,
  },
  {
    // the matrix's server has no AI endpoint: whoever may see the run is told explaining is off
    field: 'Mutation.explainCommandRun',
    query: 'mutation($id: ID!) { explainCommandRun(id: $id) { id } }',
    vars: (w) => ({ id: w.run }),
    missing: NO_ID,
    expect: o('UNAUTHENTICATED', 'CONFLICT', 'NOT_FOUND', 'CONFLICT'),
  },
  {
    field: 'Mutation.explainLogLines',
    query: 'mutation { explainLogLines(source: "user-log", lines: ["x"]) { text } }',
    expect: o('UNAUTHENTICATED', 'CONFLICT', 'CONFLICT', 'CONFLICT'),
  },
  {
    field: 'Mutation.explainLogLines',
    variant: 'an admin-only source',
    query: 'mutation($s: String!) { explainLogLines(source: $s, lines: ["x"]) { text } }',
    vars: () => ({ s: 'admin-log' }),
    missing: { s: 'no-such-log' },
    expect: ADMIN_CONFIG_OFF,
  },
  {
    field: 'Mutation.approveCommandRun',
    query: 'mutation($id: ID!) { approveCommandRun(id: $id) { id status } }',
    vars: async (w) => ({ id: await w.freshPending() }),
    missing: NO_ID,
    // the owner asked for it: never theirs to approve; only an admin (the approvers) may
    expect: DECIDE,
  },
  {
    field: 'Mutation.rejectCommandRun',
    query: 'mutation($id: ID!) { rejectCommandRun(id: $id, reason: "no") { id status } }',
    vars: async (w) => ({ id: await w.freshPending() }),
    missing: NO_ID,
    expect: DECIDE,
  },
  {
    field: 'Mutation.cancelCommandRun',
    query: 'mutation($id: ID!) { cancelCommandRun(id: $id) { id } }',
    vars: async (w) => ({ id: await w.freshNap() }),
    after: (w, v) => w.cancelAsAdmin(String(v.id)),
    missing: NO_ID,
    expect: OWNED,
  },
  {
    field: 'Mutation.uploadFile',
    query: 'mutation($file: Upload!) { uploadFile(file: $file) { id } }',
    upload: { name: 'matrix.txt', content: 'uploaded by the matrix\n' },
    expect: SIGNED_IN,
    // a socket can't carry a file: the variable is refused as bad input
    on: {
      WS: { USER: 'BAD_USER_INPUT', 'another USER': 'BAD_USER_INPUT', ADMIN: 'BAD_USER_INPUT' },
    },
  },
  {
    field: 'Mutation.deleteFile',
    query: 'mutation($id: ID!) { deleteFile(id: $id) }',
    vars: async (w) => ({ id: await w.freshFile() }),
    missing: NO_ID,
    expect: OWNED,
  },

  // ---- Subscription
  {
    field: 'Subscription.commandOutput',
    query: 'subscription($id: ID!) { commandOutput(runId: $id) { seq data } }',
    vars: (w) => ({ id: w.run }),
    missing: NO_ID,
    read: 'replay',
    expect: OWNED,
    on: STREAM_ONLY,
  },
  {
    field: 'Subscription.commandRunUpdated',
    query: 'subscription { commandRunUpdated { id status startedBy { username } } }',
    read: 'live',
    live: { topic: 'runUpdated', trigger: (w, who) => w.trigger(who) },
    expect: SIGNED_IN,
    // other cells start runs meanwhile: a USER hears only their own
    check: (d, c) =>
      c.caller === 'ADMIN' || expect(d.commandRunUpdated.startedBy.username).toBe(c.auth!.username),
    on: STREAM_ONLY,
  },
  {
    field: 'Subscription.fileProcessed',
    query: 'subscription($id: ID) { fileProcessed(id: $id) { id processingStatus } }',
    vars: (w) => ({ id: w.file }),
    missing: NO_ID,
    read: 'replay',
    expect: OWNED,
    on: STREAM_ONLY,
  },
  {
    field: 'Subscription.logTail',
    query: 'subscription { logTail(source: "user-log", backfill: 1) { text } }',
    read: 'first',
    expect: SIGNED_IN,
    on: STREAM_ONLY,
  },
  {
    field: 'Subscription.logTail',
    variant: 'an admin-only source',
    query: 'subscription($s: String!) { logTail(source: $s, backfill: 1) { text } }',
    vars: () => ({ s: 'admin-log' }),
    missing: { s: 'no-such-log' },
    read: 'first',
    expect: ADMIN_CONFIG,
    // the source is checked before the stream exists, so a plain POST hears it too
    on: { HTTP: { ADMIN: 'BAD_USER_INPUT' } },
  },
  {
    field: 'Subscription.logTailMerged',
    query: 'subscription { logTailMerged(sources: ["user-log"], backfill: 1) { source text } }',
    read: 'first',
    expect: SIGNED_IN,
    on: STREAM_ONLY,
  },
  {
    field: 'Subscription.logTailMerged',
    variant: 'with an admin-only source',
    query:
      'subscription($s: String!) { logTailMerged(sources: ["user-log", $s], backfill: 1) { source text } }',
    vars: () => ({ s: 'admin-log' }),
    missing: { s: 'no-such-log' },
    read: 'first',
    expect: ADMIN_CONFIG,
    on: { HTTP: { ADMIN: 'BAD_USER_INPUT' } },
  },
];
