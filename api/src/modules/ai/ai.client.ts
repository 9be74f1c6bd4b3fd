// The one client of the optional OpenAI-compatible chat-completions endpoint (AI_BASE_URL):
// upload summaries and "explain this failure" both ask through it.
import type { Config } from '../../config/config.js';

export const AI_MAX_ANSWER_BYTES = 256 * 1024;

export type AiConfig = Pick<Config, 'AI_BASE_URL' | 'AI_MODEL' | 'AI_API_KEY'>;

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface ChatOptions {
  timeoutMs: number;
  maxTokens: number;
  /** the answer is cut to this many characters */
  maxChars: number;
}

export class AiError extends Error {}

export const aiEnabled = (config: Pick<Config, 'AI_BASE_URL'>): boolean => !!config.AI_BASE_URL;

/** The model's answer from `POST {AI_BASE_URL}/chat/completions`; AiError says, in words, why not. */
export async function chatCompletion(
  config: AiConfig,
  messages: ChatMessage[],
  opts: ChatOptions,
  signal: AbortSignal,
): Promise<string> {
  if (!config.AI_BASE_URL) throw new AiError('AI_BASE_URL is not set.');
  if (!config.AI_MODEL) throw new AiError('AI_MODEL is not set.');
  const url = `${config.AI_BASE_URL.replace(/\/+$/, '')}/chat/completions`;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const wait =
    opts.timeoutMs < 1000 ? `${opts.timeoutMs} ms` : `${Math.round(opts.timeoutMs / 1000)} s`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      // a redirect could carry the key elsewhere
      redirect: 'error',
      signal: AbortSignal.any([signal, timeout]),
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(config.AI_API_KEY ? { authorization: `Bearer ${config.AI_API_KEY}` } : {}),
      },
      body: JSON.stringify({
        model: config.AI_MODEL,
        messages,
        max_tokens: opts.maxTokens,
        temperature: 0.2,
        stream: false,
      }),
    });
  } catch (err) {
    if (signal.aborted) throw err;
    if (timeout.aborted) throw new AiError(`The AI endpoint did not answer within ${wait}.`);
    const reason = ((err as Error & { cause?: Error }).cause ?? (err as Error)).message;
    throw new AiError(
      redact(`The AI endpoint could not be reached (${reason}).`, config.AI_API_KEY),
    );
  }
  let body: string;
  try {
    body = await readCapped(res, AI_MAX_ANSWER_BYTES);
  } catch (err) {
    if (signal.aborted) throw err;
    if (timeout.aborted)
      throw new AiError(`The AI endpoint did not finish its answer within ${wait}.`);
    throw err;
  }
  const json = parse(body);
  if (!res.ok) {
    const said =
      typeof json?.error?.message === 'string' ? `: ${json.error.message.slice(0, 200)}` : '';
    throw new AiError(
      redact(`The AI endpoint answered HTTP ${res.status}${said}`, config.AI_API_KEY),
    );
  }
  const content = json?.choices?.[0]?.message?.content;
  if (typeof content !== 'string' || !content.trim())
    throw new AiError('The AI endpoint answered without a chat-completions message.');
  return [...content.trim()].slice(0, opts.maxChars).join('');
}

async function readCapped(res: Response, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.length;
    if (size > max) {
      await res.body?.cancel().catch(() => {});
      throw new AiError(`The AI endpoint's answer was larger than ${max} bytes.`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parse(body: string): any {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

const redact = (s: string, secret: string | undefined) =>
  secret ? s.split(secret).join('[redacted]') : s;
