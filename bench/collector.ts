// A loopback receiver for the benchmark, run in its own process so the forwarder's process
// measures only the forwarder. It answers each request as the store named by its argument does
// on success: NDJSON collectors 200, OpenSearch a bulk result with one item per document, Loki
// 204, Splunk HEC 200 Success, Datadog 202. `poison` is an NDJSON collector that refuses, with a
// 400 for the whole request, every request carrying one of the 1% of records whose event id is a
// multiple of 100; it also runs the local SQS the forwarder parks those records on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { startSqs } from '../local/sqs/index.js';

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
  } else if (store === 'poison') {
    const text = (encoding === 'gzip' ? gunzipSync(body) : body).toString('utf8');
    const poisoned = text
      .split('\n')
      .some((line) => line !== '' && BigInt((JSON.parse(line) as { event: { id: string } }).event.id) % 100n === 0n);
    if (poisoned) res.writeHead(400, { 'content-type': 'text/plain' }).end('a record of this request is refused');
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
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
const sqs = store === 'poison' ? await startSqs({ queues: [{ name: 'bench-dead-letters' }, { name: 'bench-parked' }] }) : undefined;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port, ...(sqs ? { sqs: sqs.endpoint } : {}) })}\n`);
});
process.on('SIGTERM', () => {
  const parked = sqs ? sqs.remaining('bench-dead-letters').length + sqs.remaining('bench-parked').length : undefined;
  process.stderr.write(`${JSON.stringify({ store, requests, bytes, ...(parked === undefined ? {} : { parkedMessages: parked }) })}\n`);
  server.close();
  server.closeAllConnections();
  void sqs?.close();
});
