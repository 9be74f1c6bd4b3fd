// Loads agent.yaml (the operator's list of commands and log sources) and follows its edits.
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { crossCheck, formatPath, type ConfigIssue } from './agent-config.checks.js';
import { agentConfigSchema } from './agent-config.schema.js';
import { triggerArgIssues } from './agent-config.triggers.js';
import type { AgentConfig, SecretEnv } from './agent-config.types.js';

export type {
  AgentConfig,
  CommandArgSpec,
  CommandArgType,
  CommandSpec,
  LogSourceSpec,
  ConfigRole,
} from './agent-config.types.js';

/** The file is unreadable or invalid; `problems` holds one line per error, each with its path. */
export class AgentConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid agent config ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AgentConfigError';
  }
}

/**
 * Validates YAML text; relative paths in it are resolved against the folder of `file`, and the
 * secrets it names (`secretEnv`) are read through `env`.
 */
export async function parseAgentConfig(
  text: string,
  file: string,
  env?: SecretEnv,
): Promise<AgentConfig> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const { line, col } = lines.linePos(e.pos[0]);
      return `line ${line}, column ${col}: ${e.message}`;
    });
    throw new AgentConfigError(file, problems);
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const result = await agentConfigSchema(path.dirname(path.resolve(file)), env).safeParseAsync(
    raw,
    {
      error: (iss) => {
        if (iss.code !== 'invalid_type') return undefined;
        if (iss.input === undefined) return 'is required';
        // `commands:` with nothing after it: YAML reads null, which is a slip, not "none"
        const key = iss.path?.length === 1 ? String(iss.path[0]) : undefined;
        if (iss.input === null && iss.expected === 'array' && key)
          return `is empty: list entries under it, or write \`${key}: []\` to have none`;
        return undefined;
      },
    },
  );
  const issues: ConfigIssue[] = [...(result.error?.issues ?? []).map(fromZod), ...crossCheck(raw)];
  // needs every entry parsed (a command's compiled rules): only once the rest is valid
  if (result.success && issues.length === 0) issues.push(...triggerArgIssues(result.data));
  if (issues.length > 0 || !result.success) {
    const located = issues.map((i) => ({ ...i, line: lineOf(doc, lines, i.path) }));
    located.sort((a, b) => a.line - b.line);
    throw new AgentConfigError(
      file,
      located.map((i) => `${formatPath(i.path)}: ${i.message} (line ${i.line})`),
    );
  }
  return result.data;
}

/** Reads and validates the file; throws AgentConfigError listing every problem. */
export async function loadAgentConfig(file: string, env?: SecretEnv): Promise<AgentConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new AgentConfigError(file, [
      `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    ]);
  }
  return parseAgentConfig(text, file, env);
}

export interface AgentConfigWatcher {
  close(): void;
}

/**
 * Calls `onChange` with the new config after each edit of `file`, or `onError` when the edit is
 * invalid (the caller keeps its last good config). Watches the folder, so editors that save by
 * writing a new file and renaming it over the old one are followed too.
 */
export function watchAgentConfig(
  file: string,
  onChange: (config: AgentConfig) => void,
  onError: (err: Error) => void,
  debounceMs = 100,
  env?: SecretEnv,
): AgentConfigWatcher {
  const abs = path.resolve(file);
  const base = path.basename(abs);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let reloading: Promise<void> = Promise.resolve();

  // Serialised, so a slow reload can never deliver an older config after a newer one.
  const reload = () => {
    reloading = reloading.then(async () => {
      if (closed) return;
      try {
        const config = await loadAgentConfig(abs, env);
        if (!closed) onChange(config);
      } catch (err) {
        if (!closed) onError(err as Error);
      }
    });
  };
  const watcher: FSWatcher = watch(path.dirname(abs), (_event, name) => {
    if (name !== null && name !== base) return;
    clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  });
  watcher.on('error', (err) => onError(err));
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
}

function fromZod(issue: {
  path: PropertyKey[];
  message: string;
  code: string;
  keys?: string[];
}): ConfigIssue {
  const p = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys' && issue.keys)
    return { path: p, message: `unknown field(s): ${issue.keys.join(', ')}` };
  return { path: p, message: issue.message };
}

/** The line of the deepest node of `p` present in the document (a missing key points at its parent). */
function lineOf(doc: Document, lines: LineCounter, p: (string | number)[]): number {
  for (let n = p.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(p.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lines.linePos(range[0]).line;
  }
  return 1;
}
