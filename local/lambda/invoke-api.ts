// The Lambda Invoke REST API on loopback, `POST /2015-03-31/functions/<name or ARN>/invocations`,
// answering like Lambda, so @aws-sdk/client-lambda and cognito-local (aws-sdk v2) can call it.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FunctionNotFoundError } from './errors.js';
import type { LambdaRuntime } from './runtime.js';

/** What the API calls: the runtime, or functions run in process by tests. `lookup` throws FunctionNotFoundError. */
export type InvokeTarget = Pick<LambdaRuntime, 'invoke'> & { lookup(functionName: string): unknown };

export interface InvokeApi {
  /** `http://127.0.0.1:<port>`: the `endpoint` of a Lambda client. */
  endpoint: string;
  close(): Promise<void>;
}

/** Lambda's payload limits: 6 MB synchronous, 1 MB asynchronous. */
const maxRequestBytes = 6 * 1024 * 1024;
const maxEventBytes = 1024 * 1024;
const invokePath = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

function sendError(res: http.ServerResponse, status: number, type: string, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() })
    .end(JSON.stringify({ Type: 'User', message, Message: message }));
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxRequestBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function handle(runtime: InvokeTarget, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = invokePath.exec(url.pathname);
  if (req.method !== 'POST' || !match?.[1]) {
    sendError(res, 404, 'UnknownOperationException', `Unknown operation ${req.method} ${url.pathname}`);
    return;
  }
  const qualifier = url.searchParams.get('Qualifier');
  const functionName = decodeURIComponent(match[1]) + (qualifier ? `:${qualifier}` : '');
  const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  const body = await readBody(req);
  if (!body) {
    sendError(res, 413, 'RequestTooLargeException', `Request must be smaller than ${maxRequestBytes} bytes for the InvokeFunction operation`);
    return;
  }
  let event: unknown = {};
  try {
    if (body.length > 0) event = JSON.parse(body.toString('utf8'));
  } catch {
    sendError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json: unexpected content');
    return;
  }
  if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
    sendError(res, 400, 'InvalidParameterValueException', `Invalid value for X-Amz-Invocation-Type: ${invocationType}`);
    return;
  }
  if (invocationType === 'Event' && body.length > maxEventBytes) {
    sendError(res, 413, 'RequestTooLargeException', `Request must be smaller than ${maxEventBytes} bytes for an asynchronous invocation`);
    return;
  }
  try {
    if (invocationType === 'DryRun') {
      runtime.lookup(functionName);
      res.writeHead(204, { 'x-amzn-requestid': randomUUID() }).end();
      return;
    }
    const result = await runtime.invoke(functionName, event, { invocationType: invocationType as 'RequestResponse' | 'Event' });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': result.requestId };
    if (invocationType === 'Event') {
      res.writeHead(202, headers).end();
      return;
    }
    headers['x-amz-executed-version'] = '$LATEST';
    if (result.error) headers['x-amz-function-error'] = 'Unhandled';
    res.writeHead(200, headers).end(JSON.stringify(result.error ?? result.payload ?? null));
  } catch (error) {
    if (error instanceof FunctionNotFoundError) sendError(res, 404, 'ResourceNotFoundException', error.message);
    else sendError(res, 500, 'ServiceException', `local Lambda runtime: ${(error as Error).message}`);
  }
}

export interface InvokeApiOptions {
  /** 0 or absent: a free port. */
  port?: number;
  host: string;
}

export async function startInvokeApi(runtime: InvokeTarget, options: InvokeApiOptions): Promise<InvokeApi> {
  const server = http.createServer((req, res) => {
    handle(runtime, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'ServiceException', `local Lambda runtime: ${String(error)}`);
      else res.destroy();
    });
  });
  server.listen(options.port ?? 0, options.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
