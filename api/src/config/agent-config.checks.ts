// Checks across entries, run on the raw parsed YAML rather than inside zod: zod skips an
// object's refinements once any of its fields fails, and the operator should see every error at once.
import { checkHooks } from './agent-config.hooks.js';
import { notifyIssues } from './agent-config.notify.js';
import { placeholderNames } from './agent-config.rules.js';
import { triggerIssues } from './agent-config.triggers.js';
import { watchLogsIssues } from './agent-config.watch-logs.js';

export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** What an emptied file is told: how to mean "nothing here" on purpose. */
export const NOTHING_CONFIGURED =
  'lists no commands and no log sources. An emptied or cut-short file is not taken to mean "remove everything": ' +
  'to run with no commands on purpose, write `commands: []` in it';

/**
 * Duplicate names, argv placeholders that name no declared argument or sit in argv[0], and a file
 * that lists nothing without saying so (an editor truncating it must not remove every command).
 */
export function crossCheck(raw: unknown): ConfigIssue[] {
  if (!isRecord(raw)) return [];
  const issues: ConfigIssue[] = [];
  const explicitlyEmpty = Array.isArray(raw.commands) && raw.commands.length === 0;
  const keyLeftEmpty = raw.commands === null || raw.logs === null; // the schema says how to fill it
  if (
    list(raw.commands).length === 0 &&
    list(raw.logs).length === 0 &&
    !explicitlyEmpty &&
    !keyLeftEmpty
  ) {
    issues.push({ path: [], message: NOTHING_CONFIGURED });
  }
  duplicates(list(raw.commands), ['commands'], 'command', issues);
  issues.push(...notifyIssues(raw));
  duplicates(list(raw.logs), ['logs'], 'log source', issues);
  issues.push(...triggerIssues(raw));
  list(raw.commands).forEach((cmd, i) => {
    if (!isRecord(cmd)) return;
    const at = ['commands', i];
    duplicates(list(cmd.args), [...at, 'args'], 'argument', issues);
    const declared = new Set(list(cmd.args).map((a) => (isRecord(a) ? str(a.name) : undefined)));
    list(cmd.argv).forEach((element, j) => {
      const names = placeholderNames(str(element) ?? '');
      if (j === 0 && names.length > 0) {
        issues.push({
          path: [...at, 'argv', 0],
          message: 'the program (argv[0]) cannot contain a placeholder',
        });
        return;
      }
      for (const n of names) {
        if (!declared.has(n))
          issues.push({
            path: [...at, 'argv', j],
            message: `unknown placeholder {{${n}}}: no argument named "${n}"`,
          });
      }
    });
  });
  issues.push(...checkHooks(raw));
  issues.push(...watchLogsIssues(raw));
  return issues;
}

function duplicates(
  items: unknown[],
  at: (string | number)[],
  what: string,
  issues: ConfigIssue[],
) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const n = isRecord(item) ? str(item.name) : undefined;
    if (n === undefined) return;
    const first = seen.get(n);
    if (first === undefined) seen.set(n, i);
    else
      issues.push({
        path: [...at, i, 'name'],
        message: `duplicate ${what} name "${n}" (also at ${formatPath([...at, first])})`,
      });
  });
}

/** `commands[2].args[0].pattern`, the form every config error message uses. */
export function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p)
    out += typeof k === 'number' ? `[${k}]` : out === '' ? String(k) : `.${String(k)}`;
  return out || '(top level)';
}
