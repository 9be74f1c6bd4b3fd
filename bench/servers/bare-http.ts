// Baseline: the cheapest possible JSON answer from node:http.
import { createServer } from 'node:http';

const body = JSON.stringify({ data: { me: { id: '1', username: 'admin', role: 'ADMIN' } } });
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () =>
  console.log(
    `listening {"url":"http://127.0.0.1:${(server.address() as { port: number }).port}"}`,
  ),
);
