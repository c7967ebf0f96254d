// The AWS JSON 1.1 protocol of Cognito Identity: `POST /` with `X-Amz-Target:
// AWSCognitoIdentityService.<Operation>` and a JSON body; errors as `{__type, message}` with the
// type in `x-amzn-ErrorType` too. The operations used here are unsigned in AWS (a browser calls
// them before it has credentials), so nothing checks a signature. CORS is open, as AWS's is.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { IdentityPoolError } from './errors.js';
import type { Operation } from './operations.js';

const targetPrefix = 'AWSCognitoIdentityService.';
const contentType = 'application/x-amz-json-1.1';
const maxBodyBytes = 1024 * 1024;

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date',
} as const;

/** An http.Server request listener serving `operations` by X-Amz-Target name. */
export function jsonProtocolListener(operations: Record<string, Operation>, onInternalError: (error: unknown) => void): RequestListener {
  return (req, res) => {
    const requestId = randomUUID();
    if (req.method === 'OPTIONS') {
      res
        .writeHead(200, {
          ...corsHeaders,
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
          'access-control-max-age': '172800',
          'x-amzn-requestid': requestId,
        })
        .end();
      return;
    }
    handle(req, operations).then(
      (output) => reply(res, requestId, 200, output),
      (error: unknown) => {
        if (error instanceof IdentityPoolError) {
          reply(res, requestId, error.status, { __type: error.type, message: error.message }, error.type);
          return;
        }
        onInternalError(error);
        reply(res, requestId, 500, { __type: 'InternalErrorException', message: 'An internal error occurred.' }, 'InternalErrorException');
      },
    );
  };
}

async function handle(req: IncomingMessage, operations: Record<string, Operation>): Promise<Record<string, unknown>> {
  if (req.method !== 'POST') throw new IdentityPoolError('UnknownOperationException', `${req.method ?? ''} is not supported; the service takes POST`, 404);
  const target = req.headers['x-amz-target'];
  const operation = typeof target === 'string' && target.startsWith(targetPrefix) ? operations[target.slice(targetPrefix.length)] : undefined;
  if (!operation) throw new IdentityPoolError('UnknownOperationException', `unknown operation ${JSON.stringify(target ?? null)}`);
  const body = await readBody(req);
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new IdentityPoolError('SerializationException', 'the request body is not JSON');
  }
  return operation(input);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new IdentityPoolError('SerializationException', `the request body is over ${maxBodyBytes} bytes`, 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function reply(res: ServerResponse, requestId: string, status: number, body: Record<string, unknown>, errorType?: string): void {
  const json = JSON.stringify(body);
  res
    .writeHead(status, {
      ...corsHeaders,
      'content-type': contentType,
      'content-length': Buffer.byteLength(json),
      'x-amzn-requestid': requestId,
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    })
    .end(json);
}
