import { randomUUID } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import aws4 from 'aws4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callerOf } from '../../auth-service/src/domain/caller.js';
import {
  anonymousIdentity,
  buildProxyEvent,
  formatRequestTime,
  headerParameters,
  isBinaryBody,
  queryParameters,
} from '../../local/gateway/events.js';
import { replyFromProxyResult } from '../../local/gateway/proxy-result.js';
import { compileRoutes, matchRoute } from '../../local/gateway/routes.js';
import { startGateway, type Gateway, type GatewayOptions } from '../../local/gateway/server.js';
import type { ApiSpec, Invoker, InvokeResult, IssuedCredentials, PolicyStatement, StackSettings } from '../../local/model.js';
import { loadFixture } from '../helpers/fixtures.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const region = 'us-east-1';
const settings: StackSettings = { region, accountId: '123456789012', stage: 'dev', stateDir: '.local' };
const identityPoolId = 'us-east-1:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const userPoolId = 'us-east-1_Ab12Cd34E';
const providerName = `cognito-idp.us-east-1.amazonaws.com/${userPoolId}`;
const authenticatedRoleArn = 'arn:aws:iam::123456789012:role/auth-service-dev-authenticated';
const userArn = 'arn:aws:sts::123456789012:assumed-role/auth-service-dev-authenticated/CognitoIdentityCredentials';
const methodArn = (method: string, path: string) => `arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/${method}/${path}`;
const userAgent = 'aws-sdk-js/3.0.0 local-gateway-test';
const allowHeaders =
  'Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amz-Content-Sha256,X-Amzn-Trace-Id';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

function issue(expiration: Date): { credentials: Credentials; issued: IssuedCredentials } {
  const accessKeyId = `ASIA${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`;
  const credentials = { accessKeyId, secretAccessKey: `secret/${randomUUID()}+key`, sessionToken: `token/${randomUUID()}==` };
  const issued: IssuedCredentials = {
    ...credentials,
    expiration,
    identityId: `us-east-1:${randomUUID()}`,
    identityPoolId,
    providerName,
    sub: randomUUID(),
  };
  return { credentials, issued };
}

const user = issue(new Date('2026-11-23T11:00:00Z'));
const expired = issue(new Date('2026-11-23T09:59:59Z'));
const issuedByKey = new Map([user, expired].map(({ issued }) => [issued.accessKeyId, issued]));
const lookup = (accessKeyId: string) => issuedByKey.get(accessKeyId);

const api = loadFixture<ApiSpec>('local-gateway', 'auth-api');
const fullPolicy = loadFixture<PolicyStatement[]>('local-gateway', 'authenticated-policy');
// The auth service's API, and routes that exercise what its functions do not.
const testApi: ApiSpec = {
  ...api,
  routes: [
    ...api.routes,
    { method: 'GET', path: '/items/{id}', authorization: 'NONE', functionName: 'test-items' },
    { method: 'GET', path: '/items/special', authorization: 'NONE', functionName: 'test-items' },
    { method: 'ANY', path: '/files/{proxy+}', authorization: 'NONE', functionName: 'test-files' },
    { method: 'GET', path: '/boom', authorization: 'NONE', functionName: 'test-boom' },
    { method: 'GET', path: '/malformed', authorization: 'NONE', functionName: 'test-malformed' },
    { method: 'GET', path: '/cookies', authorization: 'NONE', functionName: 'test-cookies' },
    { method: 'GET', path: '/slow', authorization: 'NONE', functionName: 'test-slow' },
  ],
};

type TestFunction = (event: APIGatewayProxyEvent) => unknown;

/** Runs in-process functions as the local Lambda would, and keeps every event they received. */
class RecordingInvoker implements Invoker {
  readonly calls: Array<{ functionName: string; event: APIGatewayProxyEvent }> = [];

  constructor(private readonly functions: Record<string, TestFunction>) {}

  async invoke(functionName: string, event: unknown): Promise<InvokeResult> {
    // Invoke carries the event as JSON: the function gets its JSON round trip.
    const received = JSON.parse(JSON.stringify(event)) as APIGatewayProxyEvent;
    this.calls.push({ functionName, event: received });
    const run = this.functions[functionName];
    if (!run) throw new Error(`Function not found: ${functionName}`);
    const requestId = randomUUID();
    try {
      return { requestId, payload: await run(received) };
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      return { requestId, error: { errorType: name, errorMessage: message } };
    }
  }

  last(): { functionName: string; event: APIGatewayProxyEvent } {
    const call = this.calls.at(-1);
    if (!call) throw new Error('no function was invoked');
    return call;
  }
}

const ok = () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' });
const invoker = new RecordingInvoker({
  'auth-service-dev-health': ok,
  'auth-service-dev-hello': ok,
  'auth-service-dev-getProfile': ok,
  'auth-service-dev-putProfile': (event) => ({ statusCode: 200, body: event.body }),
  'test-items': ok,
  'test-files': ok,
  'test-boom': () => {
    throw new TypeError('Cannot read properties of undefined');
  },
  'test-malformed': () => ({ statusCode: 200, body: { ok: true } }),
  'test-slow': () => new Promise((resolve) => setTimeout(() => resolve(ok()), 1_000)),
  'test-cookies': () => ({
    statusCode: 201,
    headers: { 'X-One': 'one', 'Set-Cookie': 'ignored=1' },
    multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
    body: Buffer.from('binary\u0000bytes').toString('base64'),
    isBase64Encoded: true,
  }),
});

const gatewayOptions = (policy: PolicyStatement[]): GatewayOptions => ({
  api: testApi,
  settings,
  invoker,
  lookup,
  identityPoolId,
  policy,
  authenticatedRoleArn,
  now: () => NOW,
});

type SmithyRequest = Parameters<SignatureV4['sign']>[0];
type Query = Record<string, string | string[]>;

// The query on the wire, escaped as the SDK escapes it for signing.
const escape = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const wireQuery = (query: Query): string =>
  Object.entries(query)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${escape(key)}=${escape(v)}`))
    .join('&');

interface SignOptions {
  query?: Query;
  body?: string;
  credentials?: Credentials;
  signedAt?: Date;
}

/** Signs with @smithy/signature-v4 as the web client does, then sends with fetch. */
async function smithyFetch(gateway: Gateway, method: string, path: string, options: SignOptions = {}): Promise<Response> {
  const host = `127.0.0.1:${gateway.port}`;
  const signer = new SignatureV4({ service: 'execute-api', region, credentials: options.credentials ?? user.credentials, sha256: Sha256 });
  const request: SmithyRequest = {
    method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: gateway.port,
    path,
    query: options.query ?? {},
    headers: { host, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(options.body === undefined ? {} : { body: options.body }),
  };
  const signed = (await signer.sign(request, { signingDate: options.signedAt ?? NOW })) as SmithyRequest;
  // The browser sets Host itself; the SDK adds its user agent after signing.
  const { host: _host, ...headers } = signed.headers;
  const query = wireQuery(options.query ?? {});
  return fetch(`http://${host}${path}${query ? `?${query}` : ''}`, {
    method,
    headers: { ...headers, 'User-Agent': userAgent },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

const amzDate = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

/** Signs with aws4, a signer independent of smithy, then sends with fetch. */
async function aws4Fetch(gateway: Gateway, method: string, pathAndQuery: string, options: SignOptions = {}): Promise<Response> {
  const host = `127.0.0.1:${gateway.port}`;
  const signed = aws4.sign(
    {
      host,
      method,
      path: pathAndQuery,
      service: 'execute-api',
      region,
      headers: {
        'X-Amz-Date': amzDate(options.signedAt ?? NOW),
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: options.body }),
    },
    options.credentials ?? user.credentials,
  );
  // fetch sets Host and Content-Length itself, to the values that were signed.
  const { Host: _host, 'Content-Length': _length, ...headers } = signed.headers as Record<string, string>;
  return fetch(`http://${host}${signed.path}`, {
    method,
    headers: { ...headers, 'User-Agent': userAgent },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

const expectGatewayError = async (response: Response, status: number, errorType: string, body: unknown) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('x-amzn-errortype')).toBe(errorType);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(await response.json()).toEqual(body);
};

const expectGatewayResponseHeaders = (response: Response) => {
  expect(response.headers.get('access-control-allow-origin')).toBe('*');
  expect(response.headers.get('access-control-allow-headers')).toBe(allowHeaders);
};

describe('local REST API gateway', () => {
  let gateway: Gateway;
  let narrow: Gateway;
  let callsBefore: number;
  const url = (path: string, target: Gateway = gateway) => `${target.endpoint}${path}`;
  const invokedSince = () => invoker.calls.length - callsBefore;

  beforeAll(async () => {
    gateway = await startGateway(gatewayOptions(fullPolicy));
    // The role may call GET /hello only, and is explicitly denied GET /profile.
    narrow = await startGateway(
      gatewayOptions([
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: methodArn('GET', 'hello') },
        { Effect: 'Deny', Action: 'execute-api:*', Resource: methodArn('GET', 'profile') },
      ]),
    );
  });

  afterAll(async () => {
    await Promise.all([gateway?.close(), narrow?.close()]);
  });

  beforeEach(() => {
    callsBefore = invoker.calls.length;
  });

  it('serves the stage at http://127.0.0.1:<port>/<stage>', () => {
    expect(gateway.endpoint).toBe(`http://127.0.0.1:${gateway.port}/dev`);
  });

  describe('public routes', () => {
    it('invokes the function with a REST proxy event shaped as API Gateway sends it', async () => {
      const response = await fetch(url('/health'), { headers: { 'X-Custom-Header': 'first', 'User-Agent': userAgent } });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      const { functionName, event } = invoker.last();
      expect(functionName).toBe('auth-service-dev-health');
      const fixture = loadFixture<APIGatewayProxyEvent>('apigateway', 'get-health');
      expect(Object.keys(event).sort()).toEqual(Object.keys(fixture).sort());
      expect(Object.keys(event.requestContext).sort()).toEqual(Object.keys(fixture.requestContext).sort());
      expect(Object.keys(event.requestContext.identity).sort()).toEqual(Object.keys(fixture.requestContext.identity).sort());
      expect(event).toMatchObject({
        resource: '/health',
        path: '/health',
        httpMethod: 'GET',
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: null,
        stageVariables: null,
        body: null,
        isBase64Encoded: false,
      });
      expect(event.headers).toMatchObject({
        'X-Custom-Header': 'first',
        'User-Agent': userAgent,
        'X-Forwarded-For': '127.0.0.1',
        'X-Forwarded-Port': String(gateway.port),
        'X-Forwarded-Proto': 'http',
      });
      expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(event.multiValueHeaders['X-Custom-Header']).toEqual(['first']);
      expect(event.requestContext).toMatchObject({
        accountId: '123456789012',
        apiId: 'a1b2c3d4e5',
        resourcePath: '/health',
        httpMethod: 'GET',
        path: '/dev/health',
        stage: 'dev',
        requestTime: '23/Nov/2026:10:00:00 +0000',
        requestTimeEpoch: NOW.getTime(),
        protocol: 'HTTP/1.1',
        domainName: `127.0.0.1:${gateway.port}`,
        requestId: response.headers.get('x-amzn-requestid'),
        extendedRequestId: response.headers.get('x-amz-apigw-id'),
      });
      expect(event.requestContext.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(event.requestContext.resourceId).toMatch(/^[0-9a-z]{6}$/);
      expect(event.requestContext.extendedRequestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
      expect(event.requestContext.identity).toEqual(anonymousIdentity('127.0.0.1', userAgent));
    });

    it('passes repeated query keys: the last value in queryStringParameters, all in multiValueQueryStringParameters', async () => {
      await fetch(url('/health?tag=a&tag=b&q=x%20y&empty'));

      const { event } = invoker.last();
      expect(event.queryStringParameters).toEqual({ tag: 'b', q: 'x y', empty: '' });
      expect(event.multiValueQueryStringParameters).toEqual({ tag: ['a', 'b'], q: ['x y'], empty: [''] });
    });

    it('fills path parameters, preferring a literal resource to a {param} and taking the rest with {proxy+}', async () => {
      await fetch(url('/items/abc%20def'));
      expect(invoker.last().event).toMatchObject({ resource: '/items/{id}', path: '/items/abc%20def', pathParameters: { id: 'abc def' } });

      await fetch(url('/items/special'));
      expect(invoker.last().event).toMatchObject({ resource: '/items/special', pathParameters: null });

      await fetch(url('/files/a/b/c.txt'), { method: 'DELETE' });
      expect(invoker.last().event).toMatchObject({
        resource: '/files/{proxy+}',
        httpMethod: 'DELETE',
        pathParameters: { proxy: 'a/b/c.txt' },
        requestContext: { resourcePath: '/files/{proxy+}', path: '/dev/files/a/b/c.txt' },
      });
    });

    it('passes a binary body base64-encoded and a text body as it is', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
      await fetch(url('/files/upload.png'), { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: png });
      expect(invoker.last().event).toMatchObject({ body: png.toString('base64'), isBase64Encoded: true });

      await fetch(url('/files/notes.txt'), { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'héllo' });
      expect(invoker.last().event).toMatchObject({ body: 'héllo', isBase64Encoded: false });
    });

    it('merges headers and multiValueHeaders of the result and decodes a base64 body', async () => {
      const response = await fetch(url('/cookies'));

      expect(response.status).toBe(201);
      expect(response.headers.get('x-one')).toBe('one');
      expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('binary\u0000bytes');
    });
  });

  describe('aws_iam routes', () => {
    it('accepts a GET signed by @smithy/signature-v4 and fills requestContext.identity like API Gateway', async () => {
      const response = await smithyFetch(gateway, 'GET', '/dev/profile');

      expect(response.status).toBe(200);
      const { functionName, event } = invoker.last();
      expect(functionName).toBe('auth-service-dev-getProfile');
      const caller = event.requestContext.identity.caller;
      expect(caller).toMatch(/^AROA[0-9A-Z]{17}:CognitoIdentityCredentials$/);
      expect(event.requestContext.identity).toEqual({
        cognitoIdentityPoolId: identityPoolId,
        accountId: '123456789012',
        cognitoIdentityId: user.issued.identityId,
        caller,
        sourceIp: '127.0.0.1',
        principalOrgId: null,
        accessKey: user.credentials.accessKeyId,
        cognitoAuthenticationType: 'authenticated',
        cognitoAuthenticationProvider: `${providerName},${providerName}:CognitoSignIn:${user.issued.sub}`,
        userArn,
        userAgent,
        user: caller,
        apiKey: null,
        apiKeyId: null,
        clientCert: null,
      });
      // The auth service reads its caller from exactly these fields.
      expect(callerOf(event, userPoolId)).toEqual({ sub: user.issued.sub, identityId: user.issued.identityId });
      expect(event.headers).toMatchObject({ 'x-amz-security-token': user.credentials.sessionToken });
    });

    it('accepts a PUT with a JSON body and hands the body over unchanged', async () => {
      const body = JSON.stringify({ name: 'Ada King' });

      const response = await smithyFetch(gateway, 'PUT', '/dev/profile', { body });

      expect(response.status).toBe(200);
      expect(await response.text()).toBe(body);
      const { functionName, event } = invoker.last();
      expect(functionName).toBe('auth-service-dev-putProfile');
      expect(event).toMatchObject({ httpMethod: 'PUT', body, isBase64Encoded: false, headers: { 'content-type': 'application/json' } });
      expect(event.requestContext.identity.cognitoIdentityId).toBe(user.issued.identityId);
    });

    it('accepts requests signed by aws4, with repeated query keys and a body', async () => {
      const get = await aws4Fetch(gateway, 'GET', '/dev/hello?tag=b&tag=a&q=x%20y');
      expect(get.status).toBe(200);
      expect(invoker.last().event).toMatchObject({
        resource: '/hello',
        multiValueQueryStringParameters: { tag: ['b', 'a'], q: ['x y'] },
        requestContext: { identity: { cognitoIdentityId: user.issued.identityId, userArn } },
      });

      const put = await aws4Fetch(gateway, 'PUT', '/dev/profile', { body: '{"name":"Grace"}' });
      expect(put.status).toBe(200);
      expect(invoker.last().event.body).toBe('{"name":"Grace"}');
    });

    it('answers an unsigned request with 403 Missing Authentication Token and never invokes the function', async () => {
      const response = await fetch(url('/profile'));

      await expectGatewayError(response, 403, 'MissingAuthenticationTokenException', { message: 'Missing Authentication Token' });
      expectGatewayResponseHeaders(response);
      expect(invokedSince()).toBe(0);
    });

    it('refuses a tampered signature with the verifier 403', async () => {
      const host = `127.0.0.1:${gateway.port}`;
      const signed = aws4.sign(
        { host, method: 'GET', path: '/dev/profile', service: 'execute-api', region, headers: { 'X-Amz-Date': amzDate(NOW) } },
        user.credentials,
      );
      const { Host: _host, ...headers } = signed.headers as Record<string, string>;
      headers['Authorization'] = (headers['Authorization'] ?? '').replace(/Signature=([0-9a-f])/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`);

      const response = await fetch(url('/profile'), { headers });

      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
      const { message } = (await response.json()) as { message: string };
      expect(message).toMatch(/^The request signature we calculated does not match the signature you provided\./);
      expectGatewayResponseHeaders(response);
      expect(invokedSince()).toBe(0);
    });

    it('refuses a request signed with the wrong secret', async () => {
      const response = await smithyFetch(gateway, 'GET', '/dev/profile', {
        credentials: { ...user.credentials, secretAccessKey: 'not-the-secret' },
      });

      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
      expect(((await response.json()) as { message: string }).message).toMatch(/^The request signature we calculated does not match/);
    });

    it('refuses expired credentials', async () => {
      const response = await smithyFetch(gateway, 'GET', '/dev/profile', { credentials: expired.credentials });

      await expectGatewayError(response, 403, 'ExpiredTokenException', { message: 'The security token included in the request is expired' });
    });

    it('refuses credentials it never issued', async () => {
      const response = await smithyFetch(gateway, 'GET', '/dev/profile', {
        credentials: { ...user.credentials, accessKeyId: 'ASIANEVERISSUED00001' },
      });

      await expectGatewayError(response, 403, 'AccessDeniedException', { message: 'The security token included in the request is invalid.' });
    });

    it('refuses an X-Amz-Date more than 5 minutes old', async () => {
      const response = await smithyFetch(gateway, 'GET', '/dev/profile', { signedAt: new Date(NOW.getTime() - 6 * 60_000) });

      await expectGatewayError(response, 403, 'InvalidSignatureException', {
        message: 'Signature expired: 20261123T095400Z is now earlier than 20261123T095500Z (20261123T100000Z - 5 min.)',
      });
    });

    it("refuses a method outside the role's policy with API Gateway's AccessDeniedException", async () => {
      const response = await smithyFetch(narrow, 'PUT', '/dev/profile', { body: '{"name":"Ada"}' });

      await expectGatewayError(response, 403, 'AccessDeniedException', {
        Message: `User: ${userArn} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:a1b2c3d4e5/dev/PUT/profile`,
      });
      expectGatewayResponseHeaders(response);
      expect(invokedSince()).toBe(0);
    });

    it('says "with an explicit deny" when a Deny statement matched, and allows what the policy allows', async () => {
      const denied = await smithyFetch(narrow, 'GET', '/dev/profile');
      expect(await denied.json()).toEqual({
        Message: `User: ${userArn} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:a1b2c3d4e5/dev/GET/profile with an explicit deny`,
      });

      const allowed = await smithyFetch(narrow, 'GET', '/dev/hello');
      expect(allowed.status).toBe(200);
    });
  });

  describe('what the gateway answers itself', () => {
    it('answers a CORS preflight as the MOCK OPTIONS method does, without invoking anything', async () => {
      const response = await fetch(url('/profile'), {
        method: 'OPTIONS',
        headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'PUT' },
      });

      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-headers')).toBe(allowHeaders);
      expect(response.headers.get('access-control-allow-methods')).toBe('OPTIONS,GET,PUT');
      expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await response.text()).toBe('');
      expect(invokedSince()).toBe(0);
    });

    it.each([
      ['an unknown path', 'GET', '/dev/nowhere'],
      ['an unknown method', 'DELETE', '/dev/profile'],
      ['another stage', 'GET', '/prod/health'],
      ['no stage', 'GET', '/'],
      ['OPTIONS without CORS', 'OPTIONS', '/dev/boom'],
    ])('answers %s with 403 Missing Authentication Token and the DEFAULT_4XX headers', async (_name, method, path) => {
      const response = await fetch(`http://127.0.0.1:${gateway.port}${path}`, { method });

      await expectGatewayError(response, 403, 'MissingAuthenticationTokenException', { message: 'Missing Authentication Token' });
      expectGatewayResponseHeaders(response);
      expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('x-amz-apigw-id')).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    });

    it('answers 502 Internal server error with the DEFAULT_5XX headers when the function throws', async () => {
      const response = await fetch(url('/boom'));

      expect(response.status).toBe(502);
      expect(response.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
      expect(await response.text()).toBe('{"message": "Internal server error"}');
      expectGatewayResponseHeaders(response);
      expect(invoker.last().functionName).toBe('test-boom');
    });

    it('answers 502 when the function returns a malformed proxy result', async () => {
      const response = await fetch(url('/malformed'));

      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({ message: 'Internal server error' });
    });

    it('answers 504 when the function outlives the integration timeout, and says why in its log', async () => {
      const lines: string[] = [];
      const impatient = await startGateway({
        ...gatewayOptions(fullPolicy),
        integrationTimeoutMs: 50,
        log: (message) => lines.push(message),
      });
      try {
        const response = await fetch(url('/slow', impatient));

        expect(response.status).toBe(504);
        expect(await response.text()).toBe('{"message": "Endpoint request timed out"}');
        expectGatewayResponseHeaders(response);
        expect(lines).toEqual(['Execution failed due to a timeout error']);
      } finally {
        await impatient.close();
      }
    });

    it('refuses a body over 10 MB with 413 before routing or authorization', async () => {
      const response = await fetch(url('/profile'), { method: 'PUT', body: Buffer.alloc(10 * 1024 * 1024 + 1, 'a') });

      expect(response.status).toBe(413);
      expect(await response.text()).toBe('HTTP content length exceeded 10485760 bytes.');
      expect(invokedSince()).toBe(0);
    });
  });
});

describe('the pieces of the local gateway', () => {
  it('writes requestTime as API Gateway does', () => {
    expect(formatRequestTime(new Date('2026-02-03T04:05:06.789Z'))).toBe('03/Feb/2026:04:05:06 +0000');
  });

  it('keeps the casing of the first line of a repeated header and every value', () => {
    expect(headerParameters([['Accept', 'a'], ['accept', 'b'], ['Host', 'h']])).toEqual({
      headers: { Accept: 'b', Host: 'h' },
      multiValueHeaders: { Accept: ['a', 'b'], Host: ['h'] },
    });
  });

  it('decodes query names and values but keeps a +', () => {
    expect(queryParameters('a%5B0%5D=1+2&b=%E2%9C%93')).toEqual({
      queryStringParameters: { 'a[0]': '1+2', b: '✓' },
      multiValueQueryStringParameters: { 'a[0]': ['1+2'], b: ['✓'] },
    });
    expect(queryParameters('')).toEqual({ queryStringParameters: null, multiValueQueryStringParameters: null });
  });

  it('treats non-text bodies as binary, or exactly the configured binary media types', () => {
    expect(isBinaryBody('application/json; charset=utf-8')).toBe(false);
    expect(isBinaryBody('application/vnd.api+json')).toBe(false);
    expect(isBinaryBody('application/octet-stream')).toBe(true);
    expect(isBinaryBody(undefined)).toBe(false);
    expect(isBinaryBody('image/png', ['application/pdf'])).toBe(false);
    expect(isBinaryBody('image/png', ['image/*'])).toBe(true);
  });

  it('builds the root resource event with path / for the stage itself', () => {
    const event = buildProxyEvent({
      method: 'GET',
      rawPath: '/dev',
      rawQuery: '',
      headers: [['Host', 'abc.execute-api.us-east-1.amazonaws.com']],
      body: new Uint8Array(),
      binary: false,
      stage: 'dev',
      resourcePath: '/',
      resourceId: 'root01',
      pathParameters: null,
      apiId: 'abc',
      accountId: '123456789012',
      requestId: 'r',
      extendedRequestId: 'e',
      requestTime: NOW,
      protocol: 'HTTP/1.1',
      identity: anonymousIdentity('203.0.113.10', null),
    });
    expect(event).toMatchObject({ path: '/', resource: '/', requestContext: { path: '/dev', domainPrefix: 'abc' } });
  });

  it('matches a method before ANY and a preflight only where CORS is set', () => {
    const table = compileRoutes({
      apiId: 'abc',
      routes: [
        { method: 'ANY', path: '/things', authorization: 'NONE', functionName: 'any' },
        { method: 'GET', path: '/things', authorization: 'NONE', functionName: 'get' },
      ],
      cors: { '/things': { allowOrigin: '*', allowHeaders: 'Content-Type', allowMethods: 'OPTIONS,GET' } },
    });
    expect(matchRoute(table, 'GET', '/things')).toMatchObject({ kind: 'route', route: { functionName: 'get' } });
    expect(matchRoute(table, 'POST', '/things')).toMatchObject({ kind: 'route', route: { functionName: 'any' } });
    expect(matchRoute(table, 'OPTIONS', '/things')).toMatchObject({ kind: 'preflight' });
    expect(matchRoute(table, 'GET', '/things/1')).toEqual({ kind: 'none' });
  });

  it.each([
    ['a body that is not a string', { statusCode: 200, body: {} }],
    ['a field API Gateway does not know', { statusCode: 200, body: '', cookies: ['a=1'] }],
    ['no status code', { body: 'x' }],
    ['a status outside 100-599', { statusCode: 700 }],
    ['a string', 'hello'],
  ])('refuses %s as a malformed proxy result', (_name, payload) => {
    expect(replyFromProxyResult(payload)).toBeUndefined();
  });
});
