// The local REST API gateway: one stage of the auth service's API at
// http://127.0.0.1:<port>/<stage>, routing to Lambda proxy integrations through the local
// invoker, with `aws_iam` routes verified and authorized as API Gateway does it.
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiSpec, CredentialLookup, Invoker, InvokeResult, PolicyStatement, StackSettings } from '../model.js';
import { iamAuthorizer, type IamAuthorizer } from './authorize.js';
import { anonymousIdentity, buildProxyEvent, headerValue, isBinaryBody, type RawHeader } from './events.js';
import { newTraceId, traceHeader } from '../../shared/trace-id.js';
import { replyFromProxyResult } from './proxy-result.js';
import {
  badGateway,
  errorReply,
  integrationTimeout,
  internalServerError,
  MAX_BODY_BYTES,
  missingAuthenticationToken,
  preflightReply,
  requestTooLarge,
  type GatewayError,
  type GatewayReply,
} from './responses.js';
import { compileRoutes, matchRoute, type RouteTable } from './routes.js';

export interface GatewayOptions {
  api: ApiSpec;
  settings: StackSettings;
  invoker: Invoker;
  lookup: CredentialLookup;
  identityPoolId: string;
  /** The identity pool's authenticated role: its statements (`identityPool.authenticatedPolicy`)… */
  policy: readonly PolicyStatement[];
  /** …and its ARN (`identityPool.authenticatedRoleArn`), which names the callers. */
  authenticatedRoleArn: string;
  now?: () => Date;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The API's binary media types; by default every non-text type is passed base64-encoded. */
  binaryMediaTypes?: readonly string[];
  /** API Gateway gives up on an integration after 29 s. */
  integrationTimeoutMs?: number;
  /** Told why a request got a 5xx (API Gateway's execution log); never given payloads. */
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export interface Gateway {
  /** `http://127.0.0.1:<port>/<stage>`. */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Reads the whole body; undefined when it is over the 10 MB limit (the rest is drained). */
async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks);
}

const pairs = (raw: readonly string[]): RawHeader[] => {
  const out: RawHeader[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] ?? '', raw[i + 1] ?? '']);
  return out;
};

const lowerCased = (headers: readonly RawHeader[]): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const [name, value] of headers) (out[name.toLowerCase()] ??= []).push(value);
  return out;
};

// API Gateway adds these to what the function sees (X-Forwarded-For gets the client appended).
function forwardedHeaders(headers: readonly RawHeader[], sourceIp: string, port: number, now: Date): RawHeader[] {
  const forwardedFor = headerValue(headers, 'x-forwarded-for');
  const rest = headers.filter(([name]) => !/^x-forwarded-(for|port|proto)$/i.test(name));
  const traceId = traceHeader(newTraceId(now.getTime()));
  return [
    ...rest,
    ...(headerValue(headers, 'x-amzn-trace-id') === undefined ? [['X-Amzn-Trace-Id', traceId] as const] : []),
    ['X-Forwarded-For', forwardedFor === undefined ? sourceIp : `${forwardedFor}, ${sourceIp}`],
    ['X-Forwarded-Port', String(port)],
    ['X-Forwarded-Proto', 'http'],
  ];
}

async function invokeWithin(invoker: Invoker, name: string, event: unknown, ms: number, traceHeader: string | undefined): Promise<InvokeResult | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    timer.unref();
  });
  try {
    return await Promise.race([invoker.invoke(name, event, { invocationType: 'RequestResponse', ...(traceHeader ? { traceHeader } : {}) }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface Context {
  options: GatewayOptions;
  table: RouteTable;
  authorize: IamAuthorizer;
  now: () => Date;
  port: () => number;
}

async function answer(ctx: Context, req: http.IncomingMessage, requestId: string, apigwId: string): Promise<GatewayReply> {
  const { api, settings, invoker, log } = ctx.options;
  const fail = (error: GatewayError) => errorReply(error, api.gatewayResponses);
  const body = await readBody(req);
  if (body === undefined) return requestTooLarge();

  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const rawQuery = q === -1 ? '' : target.slice(q + 1);
  const stagePrefix = `/${api.stage}`;
  if (rawPath !== stagePrefix && !rawPath.startsWith(`${stagePrefix}/`)) return fail(missingAuthenticationToken());
  const stagePath = rawPath.slice(stagePrefix.length) || '/';
  const method = req.method ?? 'GET';
  const match = matchRoute(ctx.table, method, stagePath);
  if (match.kind === 'none') return fail(missingAuthenticationToken());
  if (match.kind === 'preflight') return preflightReply(match.cors);

  const now = ctx.now();
  const received = pairs(req.rawHeaders);
  const sourceIp = (req.socket.remoteAddress ?? HOST).replace(/^::ffff:/, '');
  const userAgent = headerValue(received, 'user-agent') ?? null;
  let identity = anonymousIdentity(sourceIp, userAgent);
  if (match.route.authorization === 'AWS_IAM') {
    const signed = { method, path: rawPath, query: rawQuery, headers: lowerCased(received), body };
    const decision = await ctx.authorize({ signed, stagePath, sourceIp, userAgent, now });
    if (!decision.ok) return fail(decision.error);
    identity = decision.identity;
  }

  const forwarded = forwardedHeaders(received, sourceIp, ctx.port(), now);
  const event = buildProxyEvent({
    method,
    rawPath,
    rawQuery,
    headers: forwarded,
    body,
    binary: isBinaryBody(headerValue(received, 'content-type'), ctx.options.binaryMediaTypes),
    stage: api.stage,
    resourcePath: match.resourcePath,
    resourceId: match.resourceId,
    pathParameters: match.pathParameters,
    apiId: api.apiId,
    accountId: settings.accountId,
    requestId,
    extendedRequestId: apigwId,
    requestTime: now,
    protocol: `HTTP/${req.httpVersion}`,
    identity,
  });
  const functionName = match.route.functionName;
  let result: InvokeResult | 'timeout';
  try {
    // The function's invocation continues the request's trace, as Lambda does with the header
    // API Gateway passes on: its logs then carry the trace id the caller sent or was given.
    const traceHeader = headerValue(forwarded, 'x-amzn-trace-id');
    result = await invokeWithin(invoker, functionName, event, ctx.options.integrationTimeoutMs ?? 29_000, traceHeader);
  } catch (error) {
    log?.('Execution failed: the function could not be invoked', { requestId, functionName, error: String(error) });
    return fail(internalServerError());
  }
  if (result === 'timeout') {
    log?.('Execution failed due to a timeout error', { requestId, functionName });
    return fail(integrationTimeout());
  }
  if (result.error) {
    log?.('Lambda execution failed due to customer function error', { requestId, functionName, errorType: result.error.errorType });
    return fail(badGateway());
  }
  const reply = replyFromProxyResult(result.payload);
  if (!reply) {
    log?.('Execution failed due to configuration error: Malformed Lambda proxy response', { requestId, functionName });
    return fail(badGateway());
  }
  return reply;
}

function write(res: http.ServerResponse, reply: GatewayReply, requestId: string, apigwId: string): void {
  res.statusCode = reply.statusCode;
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  res.setHeader('x-amzn-RequestId', requestId);
  res.setHeader('x-amz-apigw-id', apigwId);
  res.end(reply.body);
}

/** Starts the gateway on 127.0.0.1; `close()` stops it and drops open connections. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { api, settings } = options;
  const ctx: Context = {
    options,
    table: compileRoutes(api),
    authorize: iamAuthorizer({
      region: settings.region,
      accountId: settings.accountId,
      apiId: api.apiId,
      stage: api.stage,
      lookup: options.lookup,
      identityPoolId: options.identityPoolId,
      policy: options.policy,
      authenticatedRoleArn: options.authenticatedRoleArn,
    }),
    now: options.now ?? (() => new Date()),
    port: () => (server.address() as AddressInfo).port,
  };
  const server = http.createServer((req, res) => {
    const requestId = randomUUID();
    // API Gateway's extended request id: 16 characters of base64.
    const apigwId = randomBytes(11).toString('base64');
    answer(ctx, req, requestId, apigwId)
      .catch((error: unknown) => {
        options.log?.('Execution failed: the gateway failed', { requestId, error: String(error) });
        return errorReply(internalServerError(), api.gatewayResponses);
      })
      .then((reply) => write(res, reply, requestId, apigwId), () => res.destroy());
  });
  server.listen(options.port ?? 0, HOST);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${HOST}:${port}/${api.stage}`,
    port,
    close: async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
