// A loopback HTTP receiver for the benchmark, run in its own process: it reads each body and
// answers 200, so the forwarder's process measures only the forwarder.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

let requests = 0;
let bytes = 0;
const server = http.createServer((req, res) => {
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  req.on('end', () => {
    requests += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => {
  process.stderr.write(`${JSON.stringify({ requests, bytes })}\n`);
  server.close();
  server.closeAllConnections();
});
