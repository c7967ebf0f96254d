// A loopback receiver for the benchmark, run in its own process so the forwarder's process
// measures only the forwarder. It answers each request as the store named by its argument does
// on success: NDJSON collectors 200, OpenSearch a bulk result with one item per document, Loki
// 204, Splunk HEC 200 Success, Datadog 202.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

const store = process.argv[2] ?? 'ndjson';
let requests = 0;
let bytes = 0;

function answer(body: Buffer, encoding: string | undefined, res: http.ServerResponse): void {
  if (store === 'opensearch') {
    // The bulk answer must list one item per action line, so count them.
    const text = (encoding === 'gzip' ? gunzipSync(body) : body).toString('utf8');
    let lines = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines += 1;
    const items = Array.from({ length: lines / 2 }, () => ({ create: { status: 201 } }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ took: 1, errors: false, items }));
  } else if (store === 'loki') {
    res.writeHead(204).end();
  } else if (store === 'splunk') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"Success","code":0}');
  } else if (store === 'datadog') {
    res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
  } else {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    chunks.push(chunk);
  });
  req.on('end', () => {
    requests += 1;
    answer(Buffer.concat(chunks), req.headers['content-encoding'], res);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => {
  process.stderr.write(`${JSON.stringify({ store, requests, bytes })}\n`);
  server.close();
  server.closeAllConnections();
});
