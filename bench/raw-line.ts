// The raw-line baseline: what the public raw-line forwarders do, written here and timed in the same
// run as the forwarder. It decodes the event and ships each message as it is, one JSON string per
// NDJSON line, in 1 MiB batches gzipped the same way (level 1, on the thread pool) to the same
// loopback receiver over a kept-alive connection. No parsing, no record, no retries.
import http from 'node:http';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const target = new URL(process.env.LOG_SINK ?? 'http://127.0.0.1:9/');
const maxBatchBytes = 1024 * 1024;

function post(body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function handler(event: { awslogs: { data: string } }): Promise<{ shipped: number; parked: number }> {
  const payload = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as { logEvents: Array<{ message: string }> };
  const sends: Array<Promise<void>> = [];
  let lines: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (lines.length === 0) return;
    const text = `${lines.join('\n')}\n`;
    sends.push(gzipAsync(text, { level: 1 }).then(post));
    lines = [];
    bytes = 0;
  };
  for (const { message } of payload.logEvents) {
    const line = JSON.stringify(message);
    if (bytes + line.length > maxBatchBytes) flush();
    lines.push(line);
    bytes += line.length + 1;
  }
  flush();
  await Promise.all(sends);
  return { shipped: payload.logEvents.length, parked: 0 };
}
