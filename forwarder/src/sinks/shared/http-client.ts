// Sends one request body to an HTTP endpoint over a kept-alive connection.
import http from 'node:http';
import https from 'node:https';
import { compressed } from './compress.js';
import { bodyParts, partsBytes, type Body } from './body.js';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The first KiB of the body (or `maxBodyBytes`), for error messages. */
  body: string;
}

export interface HttpRequest {
  url: URL;
  method?: string;
  headers: Record<string, string>;
  body: Body;
  gzip: boolean;
  /** How much of the answer's body to keep; 1 KiB unless a store's answers list per-entry errors. */
  maxBodyBytes?: number;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
} as const;

/**
 * POSTs a body, gzip-compressed off the main thread when asked. Resolves with the answer for
 * any status; rejects on network faults and when `signal` aborts.
 */
export async function sendHttp(request: HttpRequest, signal: AbortSignal): Promise<HttpAnswer> {
  const payload = request.gzip ? [await compressed(request.body)] : bodyParts(request.body);
  signal.throwIfAborted();
  const headers: Record<string, string | number> = { ...request.headers, 'content-length': partsBytes(payload) };
  if (request.gzip) headers['content-encoding'] = 'gzip';
  const client = request.url.protocol === 'https:' ? https : http;
  const agent = agents[request.url.protocol as keyof typeof agents];
  const keep = request.maxBodyBytes ?? 1024;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = client.request(request.url, { method: request.method ?? 'POST', headers, agent, signal }, (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        if (kept < keep) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      res.on('end', () => {
        // A store may answer (a 413, a 401) before it has read the whole body. The rest of the body
        // is not sent: uncompressed, it is a view of the payload's output, whose buffers serve the
        // next payload once the invocation is done, so the connection is closed instead.
        if (!req.writableFinished) req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).subarray(0, keep).toString('utf8'),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    for (let index = 0; index < payload.length - 1; index += 1) req.write(payload[index]!);
    req.end(payload.at(-1));
  });
}
