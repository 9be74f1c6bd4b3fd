// "How to sign": a shell snippet that signs and sends one request to a tiny-agent style hook,
// with an example body shaped by the hook's argument mapping.

export interface HookShape {
  url: string;
  secretEnv: string;
  args: readonly { name: string; field: string }[];
}

/** `{ ref: 'ref', repository: { full_name: 'repo' } }` from the mapping ref←ref, repo←repository.full_name. */
export function exampleBody(args: HookShape['args']): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const { name, field } of args) {
    const keys = field.split('.');
    let at = body;
    for (const key of keys.slice(0, -1)) {
      const next = at[key];
      at = (at[key] = typeof next === 'object' && next !== null ? next : {}) as Record<
        string,
        unknown
      >;
    }
    at[keys[keys.length - 1]!] = `<${name}>`;
  }
  return body;
}

/** Quoted for a POSIX shell: single quotes, an embedded one closed and reopened. */
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** curl + openssl: HMAC-SHA256 of "<timestamp>.<body>" with the secret from `$secretEnv`. */
export function signingSnippet(hook: HookShape, origin: string, body = exampleBody(hook.args)) {
  return [
    `BODY=${shellQuote(JSON.stringify(body))}`,
    `TS=$(date +%s)`,
    `SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$${hook.secretEnv}" -r | cut -d' ' -f1)`,
    `curl -sS -X POST ${shellQuote(origin + hook.url)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "X-Tiny-Agent-Timestamp: $TS" \\`,
    `  -H "X-Tiny-Agent-Signature: sha256=$SIG" \\`,
    `  --data "$BODY"`,
  ].join('\n');
}
