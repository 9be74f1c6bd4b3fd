// The validated shape of agent.yaml, as the rest of the server sees it (defaults applied,
// paths absolute). Plain types, so GraphQL and services can import them without zod.

// Lowercase as written in agent.yaml (the users module's Role is ADMIN/USER).
export type ConfigRole = 'admin' | 'user';
export type CommandArgType = 'string' | 'int' | 'boolean' | 'enum' | 'path' | 'file';

interface ArgCommon {
  /** Used as `{{name}}` in argv and as the `name` of a CommandArgInput. */
  name: string;
  description?: string;
  /** True unless the file says otherwise or gives a default. */
  required: boolean;
  /** Used when the caller omits the argument; always a string, like caller input. */
  default?: string;
  /** Values starting with `-` are refused unless this is true. */
  allowDash: boolean;
}

export interface StringArgSpec extends ArgCommon {
  type: 'string';
  /** The pattern as written in the file (full match is implied). */
  pattern?: string;
  /** `pattern` compiled as `^(?:pattern)$` with the `u` flag. */
  regex?: RegExp;
  maxLength: number;
}
export interface IntArgSpec extends ArgCommon {
  type: 'int';
  min?: number;
  max?: number;
}
export interface BooleanArgSpec extends ArgCommon {
  type: 'boolean';
}
export interface EnumArgSpec extends ArgCommon {
  type: 'enum';
  choices: string[];
}
export interface PathArgSpec extends ArgCommon {
  type: 'path';
  /** Canonical (realpath) directories; a value must resolve inside one of them. */
  roots: string[];
}
export interface FileArgSpec extends ArgCommon {
  type: 'file';
}

export type CommandArgSpec =
  StringArgSpec | IntArgSpec | BooleanArgSpec | EnumArgSpec | PathArgSpec | FileArgSpec;

export interface CommandSpec {
  name: string;
  title: string;
  description?: string;
  /** Program and arguments; `{{arg}}` placeholders never in argv[0]. Never run through a shell. */
  argv: string[];
  args: CommandArgSpec[];
  /** Seconds before the whole process group is killed. */
  timeout: number;
  maxConcurrent: number;
  roles: ConfigRole[];
  /** Absolute, canonical working directory; the server's own when absent. */
  cwd?: string;
  /** Added to the child's clean environment (PATH, LANG, HOME). */
  env: Record<string, string>;
  maxOutputBytes: number;
  /** Heading the UI lists the command under; ungrouped commands come last. */
  group?: string;
  /** A built-in icon name (agent-config.display.ts) or one emoji. */
  icon?: string;
  /** The UI asks before running it; with `confirmMessage` when the file gave one. */
  confirm: boolean;
  confirmMessage?: string;
  /** times it runs by itself (agent-config.schedules.ts) */
  schedules: ScheduleSpec[];
  /** who hears of its runs' ends (agent-config.notify.ts) */
  notify: CommandNotifySpec[];
  /** a second person must approve each run before it starts (agent-config.approval.ts) */
  approval?: ApprovalSpec;
  /** log filter syntax: a match makes a run that exited 0 end FAILED (agent-config.checks-output.ts) */
  failOn: string[];
  /** log filter syntax: when given, a run that exited 0 with no match of any of them ends FAILED */
  successOn: string[];
  /** /regex/ patterns with named groups: the captures become the run's key/value result */
  extract: string[];
  /** `logs:` source names shown beside the run's output, limited to its time window */
  watchLogs: string[];
}

export interface ApprovalSpec {
  /** who may approve (never the requester): roles as in `roles` */
  approvers: ConfigRole[];
  /** a run not approved within this long ends EXPIRED */
  expiresAfterMs: number;
}

/** An argument as given by a schedule, hook or trigger: validated like a person's. */
export interface ArgValue {
  name: string;
  value: string;
}

export type ScheduleOverlap = 'skip' | 'queue' | 'allow';

export interface ScheduleSpec {
  /** `<command>:<cron>@<timezone>`: names the schedule in runs (`triggerName`) and slots */
  id: string;
  /** as written: five fields, or six with seconds first */
  cron: string;
  /** IANA zone the fields are read in; `UTC` unless the file says otherwise */
  timezone: string;
  /** checked against the command's args when the file loads (defaults not repeated) */
  args: ArgValue[];
  /** when the previous run of this command still runs: skip this time, queue it, or run beside it */
  overlap: ScheduleOverlap;
  /** after downtime, run the last missed time once (default: missed times are not made up) */
  catchUp: boolean;
}

export type NotifyWhen = 'failure' | 'success' | 'always';

export interface CommandNotifySpec {
  /** a `notify:` target's name */
  target: string;
  on: NotifyWhen;
}

/** Reads an environment variable agent.yaml names for a secret (`secretEnv`); from loadConfig only. */
export type SecretEnv = (name: string) => string | undefined;

/** A signed webhook, `POST /hooks/<name>` (agent-config.hooks.ts). */
export interface HookSpec {
  name: string;
  command: string;
  /** the environment variable the secret was read from (shown; the secret never is) */
  secretEnv: string;
  /** read from `secretEnv` when the file loads; never in the file, a log, argv or a child */
  secret: string;
  /** tiny-agent: X-Tiny-Agent-Timestamp + X-Tiny-Agent-Signature; github: X-Hub-Signature-256 */
  style: 'tiny-agent' | 'github';
  /** argument name → dotted path of a JSON body field (`repository.full_name`) */
  args: { name: string; field: string }[];
  /** requests accepted per minute (signed or not, before the body is read) */
  perMinute: number;
}

/** A log line matching `pattern` in `source` runs a command and/or notifies (agent-config.triggers.ts). */
export interface TriggerSpec {
  name: string;
  /** a `logs:` source name */
  source: string;
  /** the log filter syntax (log.filter.ts): a substring, or /regex/ with named captures */
  pattern: string;
  /** after a firing, matches are ignored this long */
  cooldownSeconds: number;
  /** argument values may hold `{{capture}}` of the pattern's named groups */
  run?: { command: string; args: ArgValue[] };
  /** `notify:` target names told of each firing */
  notify: string[];
}

/** Where notifications go (agent-config.notify.ts); secrets come from environment variables. */
export type NotifyTargetSpec =
  | { name: string; type: 'webhook'; url: string; headers: Record<string, string> }
  | { name: string; type: 'ntfy'; url: string; token?: string; priority?: number }
  | { name: string; type: 'slack'; url: string }
  | {
      name: string;
      type: 'smtp';
      host: string;
      port: number;
      /** TLS from the start (465); otherwise STARTTLS when the server offers it */
      secure: boolean;
      username?: string;
      password?: string;
      from: string;
      to: string[];
    };

export interface LogSourceSpec {
  name: string;
  /** Absolute, its folders' symlinks resolved at load (agent-config.paths.ts); the file may not exist yet. */
  path: string;
  roles: ConfigRole[];
  /** How lines are shown: `auto` is detected from the file's last lines. */
  format: 'text' | 'json' | 'auto';
}

/** What the retention sweeper removes; an absent key keeps that data forever. */
export interface RetentionSpec {
  /** finished runs older than `days`, and beyond the newest `perCommand` of each command: deleted with their output */
  runs: { days?: number; perCommand?: number };
  /** past this total of kept output, the oldest finished runs' output is removed (the runs stay) */
  outputBytes?: number;
  /** uploaded files older than this many days are deleted */
  uploads: { days?: number };
  /** audit events older than this many days are deleted; overrides AUDIT_RETENTION_DAYS */
  audit: { days?: number };
}

export interface AgentConfig {
  commands: CommandSpec[];
  logs: LogSourceSpec[];
  limits: {
    /** Runs allowed at once across all commands. */
    maxRunning: number;
    /** Operations one WebSocket may run at once (subscriptions, and queries still running). */
    subscriptionsPerSocket: number;
    /** Subscriptions one user may hold open, over WebSocket and SSE together. */
    subscriptionsPerUser: number;
    /** WebSockets one user may hold open (signed out: one client address). */
    socketsPerUser: number;
  };
  retention: RetentionSpec;
  hooks: HookSpec[];
  triggers: TriggerSpec[];
  notify: NotifyTargetSpec[];
}
