// A hook's argument mapping applied to a verified JSON body: each argument takes the value of one
// dotted body field. Only mapped fields are read; anything else in the body is ignored.
import type { ArgValue, HookSpec } from '../../config/agent-config.types.js';
import { BadUserInputError } from '../../errors.js';

/** The body field at `field` (`repository.full_name`), own properties only; undefined when absent. */
export function fieldAt(body: Record<string, unknown>, field: string): unknown {
  let at: unknown = body;
  for (const key of field.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, key))
      return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * The run's arguments: strings as given, numbers and booleans as text; an absent or null field
 * leaves the argument out (its default applies, or the run is refused as missing it).
 */
export function hookArgs(hook: Pick<HookSpec, 'args'>, body: Record<string, unknown>): ArgValue[] {
  const out: ArgValue[] = [];
  for (const { name, field } of hook.args) {
    const v = fieldAt(body, field);
    if (v === undefined || v === null) continue;
    if (typeof v === 'string') out.push({ name, value: v });
    else if (typeof v === 'number' || typeof v === 'boolean') out.push({ name, value: String(v) });
    else
      throw new BadUserInputError(
        `The body field "${field}" (argument "${name}") must be a string, number or boolean.`,
      );
  }
  return out;
}

/** The body as a JSON object, or BAD_USER_INPUT. */
export function parseHookBody(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadUserInputError('The body is not valid JSON: send a JSON object.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new BadUserInputError('The body must be a JSON object.');
  return parsed as Record<string, unknown>;
}
