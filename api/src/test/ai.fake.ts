// A local stand-in for an OpenAI-compatible endpoint: a real HTTP server on 127.0.0.1 that
// records every request and answers `POST …/chat/completions` in the wire format.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  /** the raw body as sent: what a secret must never appear in */
  raw: string;
}

export type FakeAiMode = 'ok' | 'error' | 'stall';

export async function fakeAi(answer = (prompt: string) => `Generated: ${prompt.length} chars.`) {
  const seen: SeenRequest[] = [];
  let mode: FakeAiMode = 'ok';
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const body = JSON.parse(raw);
      seen.push({ path: req.url ?? '', headers: req.headers, body, raw });
      if (mode === 'stall') return; // never answers
      if (mode === 'error') {
        res.writeHead(500, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: 'the model is overloaded' } }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: answer(body.messages.at(-1).content) },
              finish_reason: 'stop',
            },
          ],
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    setMode: (m: FakeAiMode) => (mode = m),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
