// Secret-looking values masked before any text leaves the server for the AI endpoint. RE2 keeps
// each pattern linear in the text; a false positive only hides a little context from the model.
import RE2 from 're2';

export const MASK = '[masked]';

/** Each pattern's whole match is masked, but for its `keep` (before) and `tail` (after) groups. */
const PATTERNS: string[] = [
  // PEM private keys, whole block (an unfinished one to the end of the text)
  String.raw`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\z)`,
  // Authorization / Proxy-Authorization header values (Bearer, Basic, anything), to a quote or the line's end
  String.raw`(?i)(?P<keep>\b(?:proxy-)?authorization\s*[:=]\s*)[^\r\n"\\]+`,
  // key=value and key: value where the key says it is a secret
  String.raw`(?i)(?P<keep>[\w.-]*(?:passw(?:or)?d|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|pwd)[\w.-]*["']?\s*[:=]\s*["']?)[^\s"',;&]+`,
  // URLs with user:password
  String.raw`(?P<keep>\b[a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s/@]+(?P<tail>@)`,
  // bearer tokens wherever they stand
  String.raw`(?i)(?P<keep>\bbearer\s+)[A-Za-z0-9._~+/=-]+`,
  // AWS access key ids
  String.raw`\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b`,
  // GitHub tokens
  String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})`,
  // Slack tokens
  String.raw`\bxox[abposr]-[A-Za-z0-9-]{8,}`,
  // OpenAI-style and other sk- keys
  String.raw`\bsk-[A-Za-z0-9_-]{16,}`,
  // JWTs
  String.raw`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
  // long hex runs (keys, hashes of secrets)
  String.raw`\b[0-9a-fA-F]{32,}\b`,
  // long base64 runs with at least one digit and one letter of each case
  String.raw`(?:[A-Za-z0-9+/_-]{40,}={0,2})`,
];

const COMPILED = PATTERNS.map((p) => new RE2(p, 'gu'));
const BASE64_LIKE = /[0-9]/;

/** `text` with every secret-looking value replaced by MASK. */
export function maskSecrets(text: string): string {
  let out = text;
  COMPILED.forEach((re, i) => {
    const last = i === COMPILED.length - 1;
    out = out.replace(re, (...m: unknown[]) => {
      const whole = m[0] as string;
      const groups = m.at(-1) as Record<string, string | undefined> | undefined;
      const { keep = '', tail = '' } = typeof groups === 'object' ? (groups ?? {}) : {};
      // a long run of letters only is a word or a path, not a key
      if (last && (!BASE64_LIKE.test(whole) || !/[a-z]/.test(whole) || !/[A-Z]/.test(whole)))
        return whole;
      if (whole.includes(MASK)) return whole;
      return `${keep}${MASK}${tail}`;
    });
  });
  return out;
}
