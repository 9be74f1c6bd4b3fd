// `type: smtp`: an email through the target's server (nodemailer): TLS from the start when
// `secure`, otherwise STARTTLS whenever the server offers it.
import nodemailer from 'nodemailer';
import type { NotifyTargetSpec } from '../../config/agent-config.types.js';
import type { NotifyPayload } from './notify.payload.js';

type SmtpTarget = Extract<NotifyTargetSpec, { type: 'smtp' }>;

export async function sendSmtp(
  t: SmtpTarget,
  p: NotifyPayload,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<void> {
  const transport = nodemailer.createTransport({
    host: t.host,
    port: t.port,
    secure: t.secure,
    auth: t.username ? { user: t.username, pass: t.password ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  const aborted = () => transport.close();
  signal.addEventListener('abort', aborted, { once: true });
  try {
    await transport.sendMail({
      from: t.from,
      to: t.to,
      subject: p.subject,
      text: p.url ? `${p.body}\n\n${p.url}\n` : p.body,
    });
  } catch (err) {
    if (signal.aborted) throw new Error(`no answer from ${t.host}:${t.port} in time`);
    // nodemailer's messages name the server's reply or the socket error, never the password
    const e = err as { code?: string; responseCode?: number; message?: string };
    const what = e.responseCode ? `SMTP ${e.responseCode}` : (e.code ?? 'error');
    throw new Error(`${what} from ${t.host}:${t.port}: ${String(e.message).slice(0, 200)}`);
  } finally {
    signal.removeEventListener('abort', aborted);
    transport.close();
  }
}
