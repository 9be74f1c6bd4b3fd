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
}

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
}
