// Ceiling for the commands figure: a bare `ws` server that speaks just enough graphql-transport-ws
// (init → ack, subscribe → next… → complete) to stream a child's stdout to a graphql-ws client.
// No GraphQL, no storage, no auth: each chunk decoded, JSON.stringify'd into a `next` message
// shaped like commandOutput's, sent with the next read held until the socket took it.
// The producer's script comes in the subscribe message's `variables.script`.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { WebSocketServer } from 'ws';

const server = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, path: '/graphql' });
wss.on('connection', (ws) => {
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as {
      type: string;
      id?: string;
      payload?: { variables?: { script?: string } };
    };
    if (m.type === 'connection_init') ws.send('{"type":"connection_ack"}');
    else if (m.type === 'ping') ws.send('{"type":"pong"}');
    else if (m.type === 'subscribe') {
      const id = m.id!;
      const child = spawn(process.execPath, ['-e', m.payload!.variables!.script!], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const decoder = new StringDecoder('utf8');
      let seq = 0;
      child.stdout.on('data', (buf: Buffer) => {
        const data = decoder.write(buf);
        child.stdout.pause();
        ws.send(
          JSON.stringify({
            id,
            type: 'next',
            payload: { data: { commandOutput: { seq: ++seq, data } } },
          }),
          () => child.stdout.resume(),
        );
      });
      child.stdout.on('end', () => ws.send(JSON.stringify({ id, type: 'complete' })));
    }
  });
});

server.listen(0, '127.0.0.1', () =>
  console.log(
    `listening {"url":"http://127.0.0.1:${(server.address() as { port: number }).port}"}`,
  ),
);
