import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The part of the Lambda context the local functions get. */
export interface LocalLambdaContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}

export type LocalFunction = (event: unknown, context: LocalLambdaContext) => Promise<unknown>;

export interface LocalLambda {
  /** The `endpoint` to give LambdaClient. */
  endpoint: string;
  /** Every invocation that reached a function, in order. */
  invocations: Array<{ functionName: string; payload: unknown }>;
  close(): Promise<void>;
}

const maxPayloadBytes = 6 * 1024 * 1024;
const invokePath = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * A loopback Lambda Invoke API (RequestResponse only) running the given functions in process.
 * Like Lambda, a function that throws still gets status 200: the error shows in the
 * `X-Amz-Function-Error` header and an `{errorType, errorMessage}` body.
 */
export async function startLocalLambda(functions: Record<string, LocalFunction>, timeoutMs = 60_000): Promise<LocalLambda> {
  const invocations: LocalLambda['invocations'] = [];

  const errorReply = (res: http.ServerResponse, status: number, type: string, message: string) =>
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() })
      .end(JSON.stringify({ Type: 'User', Message: message }));

  async function invoke(name: string, body: Buffer, res: http.ServerResponse): Promise<void> {
    const run = functions[name];
    if (!run) {
      errorReply(res, 404, 'ResourceNotFoundException', `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${name}`);
      return;
    }
    let payload: unknown;
    try {
      payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      errorReply(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
      return;
    }
    invocations.push({ functionName: name, payload });
    const awsRequestId = randomUUID();
    const deadline = Date.now() + timeoutMs;
    const context = { awsRequestId, functionName: name, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
    const headers = { 'content-type': 'application/json', 'x-amzn-requestid': awsRequestId, 'x-amz-executed-version': '$LATEST' };
    try {
      const result = await run(payload, context);
      res.writeHead(200, headers).end(JSON.stringify(result ?? null));
    } catch (error) {
      const { name: errorType = 'Error', message: errorMessage = String(error) } = error instanceof Error ? error : {};
      res.writeHead(200, { ...headers, 'x-amz-function-error': 'Unhandled' }).end(JSON.stringify({ errorType, errorMessage }));
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxPayloadBytes) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const match = invokePath.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
      const invocationType = req.headers['x-amz-invocation-type'] ?? 'RequestResponse';
      if (req.method !== 'POST' || !match) {
        errorReply(res, 404, 'UnknownOperationException', `not supported here: ${req.method} ${req.url}`);
      } else if (invocationType !== 'RequestResponse') {
        errorReply(res, 400, 'InvalidParameterValueException', `only RequestResponse is supported here, got ${invocationType}`);
      } else {
        void invoke(decodeURIComponent(match[1]!), Buffer.concat(chunks), res);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invocations,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
