import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import aws4 from 'aws4';
import { describe, expect, it } from 'vitest';
import {
  SigV4ErrorType,
  toGatewayResponse,
  verifySigV4,
  type SigningCredentials,
  type SigV4Request,
  type SigV4Result,
} from '../../local/gateway/sigv4/index.js';

const region = 'us-east-1';
const host = '127.0.0.1:4010';
const now = new Date('2024-05-01T12:00:00Z');
const amzDate = '20240501T120000Z';

const temporary = {
  accessKeyId: 'ASIALOCALTEMPORARY01',
  secretAccessKey: 'tmpSecret/Key+With=Symbols0123456789abcd',
  sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+local/token==',
};
const longTerm = {
  accessKeyId: 'AKIALOCALLONGTERM001',
  secretAccessKey: 'longTermSecretKey0123456789abcdefghijklm',
};
const issued = new Map<string, SigningCredentials<string>>([
  [
    temporary.accessKeyId,
    {
      secretAccessKey: temporary.secretAccessKey,
      sessionToken: temporary.sessionToken,
      expiration: new Date('2024-05-01T13:00:00Z'),
      identity: 'us-east-1:temporary-identity',
    },
  ],
  [
    longTerm.accessKeyId,
    {
      secretAccessKey: longTerm.secretAccessKey,
      expiration: new Date('2099-01-01T00:00:00Z'),
      identity: 'long-term-user',
    },
  ],
]);

const verify = (request: SigV4Request, at: Date = now): Promise<SigV4Result<string>> =>
  verifySigV4(request, (id) => issued.get(id), at, { region });

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** A request as it arrives: path and query split at the first `?`, header names lower-cased. */
function arriving(
  method: string,
  target: string,
  headers: Record<string, unknown>,
  body: string | Buffer = '',
): SigV4Request {
  const q = target.indexOf('?');
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = String(value);
  return {
    method,
    path: q === -1 ? target : target.slice(0, q),
    query: q === -1 ? '' : target.slice(q + 1),
    headers: lowered,
    body: Buffer.from(body),
  };
}

interface Aws4Options {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  credentials?: Credentials;
  date?: string;
  region?: string;
  service?: string;
  unsigned?: string[];
}

/** Signs with `aws4`, a signer independent of smithy, as a client would send the request. */
function signWithAws4(options: Aws4Options = {}): SigV4Request {
  const method = options.method ?? 'GET';
  const toSign: aws4.Request & { extraHeadersToIgnore?: Record<string, boolean> } = {
    host,
    method,
    path: options.path ?? '/dev/hello',
    service: options.service ?? 'execute-api',
    region: options.region ?? region,
    headers: { 'X-Amz-Date': options.date ?? amzDate, ...options.headers },
    ...(options.body === undefined ? {} : { body: options.body }),
    extraHeadersToIgnore: Object.fromEntries((options.unsigned ?? []).map((h) => [h, true])),
  };
  const signed = aws4.sign(toSign, options.credentials ?? temporary);
  return arriving(method, signed.path ?? '/', signed.headers ?? {}, options.body);
}

type HttpRequest = Parameters<SignatureV4['presign']>[0];

const smithySigner = (credentials: Credentials = temporary) =>
  new SignatureV4({ service: 'execute-api', region, credentials, sha256: Sha256 });

// The SDK puts the query on the wire with the same escaping as its signer.
const escape = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const wireQuery = (query: HttpRequest['query']): string =>
  Object.entries(query ?? {})
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value ?? '']).map((v) => `${escape(key)}=${escape(v)}`),
    )
    .join('&');

function smithyRequest(method: string, path: string, query: HttpRequest['query'], body?: string): HttpRequest {
  return {
    method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4010,
    path,
    query,
    headers: { host, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  };
}

const fromSmithy = (signed: HttpRequest, body?: string): SigV4Request => {
  const query = wireQuery(signed.query);
  return arriving(signed.method, query ? `${signed.path}?${query}` : signed.path, signed.headers, body);
};

const expectRefused = (result: SigV4Result<string>, errorType: string, message?: string | RegExp) => {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.status).toBe(403);
  expect(result.errorType).toBe(errorType);
  if (typeof message === 'string') expect(result.message).toBe(message);
  else if (message) expect(result.message).toMatch(message);
};

const mismatch = /^The request signature we calculated does not match the signature you provided\./;

describe('verifySigV4 with requests signed by aws4', () => {
  it('accepts a GET signed with temporary credentials and returns who signed it', async () => {
    const result = await verify(signWithAws4());

    expect(result).toEqual({
      ok: true,
      accessKeyId: temporary.accessKeyId,
      credentials: issued.get(temporary.accessKeyId),
      signedHeaders: ['host', 'x-amz-date', 'x-amz-security-token'],
    });
  });

  it('accepts long-term credentials without a session token', async () => {
    const result = await verify(signWithAws4({ credentials: longTerm }));

    expect(result.ok && result.credentials.identity).toBe('long-term-user');
  });

  it.each([
    ['a space', '/dev/search?q=a%20b'],
    ['a raw space', '/dev/search?q=a b'],
    ['an encoded slash', '/dev/search?q=%2F'],
    ["!'()*", "/dev/search?q=!'()*"],
    ['a tilde', '/dev/search?q=~user'],
    ['repeated keys out of order', '/dev/search?k=2&k=1&a=3'],
    ['empty values', '/dev/search?e=&f=&g=x'],
    ['unicode', '/dev/search?q=caf%C3%A9%20%E6%97%A5%E6%9C%AC'],
  ])('accepts a query string with %s', async (_case, path) => {
    const result = await verify(signWithAws4({ path }));

    expect(result.ok).toBe(true);
  });

  it.each([
    ['percent-encoded UTF-8 and raw unicode', '/dev/caf%C3%A9/日本'],
    ['an encoded space and reserved characters', "/dev/a%20b/!'()*@:=,"],
    ['a trailing slash', '/dev/users/'],
    ['the stage root', '/dev'],
  ])('accepts a path with %s', async (_case, path) => {
    const result = await verify(signWithAws4({ path }));

    expect(result.ok).toBe(true);
  });

  it('accepts the query whether its reserved characters arrive encoded or not', async () => {
    const request = signWithAws4({ path: "/dev/search?x=!'()*&b&a=" });

    const encoded = await verify(request);
    const raw = await verify({ ...request, query: "x=!'()*&b&a=" });

    expect(request.query).toBe('x=%21%27%28%29%2A&b=&a=');
    expect(encoded.ok).toBe(true);
    expect(raw.ok).toBe(true);
  });

  it.each(['POST', 'PUT'])('accepts a %s with a JSON body', async (method) => {
    const body = JSON.stringify({ name: 'Zoë', tags: ['a', 'b'] });

    const result = await verify(
      signWithAws4({ method, path: '/dev/profile', body, headers: { 'Content-Type': 'application/json' } }),
    );

    expect(result.ok && result.signedHeaders).toEqual([
      'content-length',
      'content-type',
      'host',
      'x-amz-date',
      'x-amz-security-token',
    ]);
  });

  it('accepts a body whose X-Amz-Content-Sha256 is its hash', async () => {
    const body = '{"name":"Ada"}';
    const hash = createHash('sha256').update(body).digest('hex');

    const result = await verify(
      signWithAws4({ method: 'PUT', path: '/dev/profile', body, headers: { 'X-Amz-Content-Sha256': hash } }),
    );

    expect(result.ok && result.signedHeaders).toContain('x-amz-content-sha256');
  });

  it('accepts a header added after signing that is not in SignedHeaders', async () => {
    const request = signWithAws4();

    const result = await verify({ ...request, headers: { ...request.headers, 'user-agent': 'proxy/1.0' } });

    expect(result.ok).toBe(true);
  });

  it.each([
    ['4 min 59 s old', '20240501T115501Z'],
    ['exactly 5 min old', '20240501T115500Z'],
    ['4 min 59 s ahead', '20240501T120459Z'],
    ['exactly 5 min ahead', '20240501T120500Z'],
  ])('accepts an X-Amz-Date %s', async (_case, date) => {
    const result = await verify(signWithAws4({ date }));

    expect(result.ok).toBe(true);
  });
});

describe('verifySigV4 with requests signed by @smithy/signature-v4 (the SDK and web client)', () => {
  it('accepts a GET with a query of repeated keys and reserved characters', async () => {
    const request = smithyRequest('GET', '/dev/search', { k: ['2', '1'], q: "a b/!'()*~", empty: '' });

    const signed = await smithySigner().sign(request, { signingDate: now });

    await expect(verify(fromSmithy(signed))).resolves.toMatchObject({ ok: true });
  });

  it('accepts a PUT with a JSON body and its X-Amz-Content-Sha256', async () => {
    const body = JSON.stringify({ name: 'Grace Hopper' });

    const signed = await smithySigner().sign(smithyRequest('PUT', '/dev/profile', {}, body), { signingDate: now });
    const result = await verify(fromSmithy(signed, body));

    expect(result.ok && result.signedHeaders).toEqual([
      'content-type',
      'host',
      'x-amz-content-sha256',
      'x-amz-date',
      'x-amz-security-token',
    ]);
  });

  it('accepts an encoded unicode path, which it encodes a second time like execute-api', async () => {
    const signed = await smithySigner().sign(smithyRequest('GET', '/dev/caf%C3%A9/a%20b', {}), { signingDate: now });

    await expect(verify(fromSmithy(signed))).resolves.toMatchObject({ ok: true });
  });

  it('accepts a presigned URL (X-Amz-Signature in the query) within its X-Amz-Expires', async () => {
    const signed = await smithySigner().presign(smithyRequest('GET', '/dev/hello', { a: 'b' }), {
      signingDate: now,
      expiresIn: 900,
    });

    const result = await verify(fromSmithy(signed), new Date('2024-05-01T12:14:00Z'));

    expect(result.ok).toBe(true);
  });

  it('refuses a presigned URL after its X-Amz-Expires', async () => {
    const signed = await smithySigner().presign(smithyRequest('GET', '/dev/hello', {}), {
      signingDate: now,
      expiresIn: 60,
    });

    const result = await verify(fromSmithy(signed), new Date('2024-05-01T12:02:00Z'));

    expectRefused(
      result,
      SigV4ErrorType.InvalidSignature,
      'Signature expired: 20240501T120000Z is now earlier than 20240501T120100Z (20240501T120200Z - 1 min.)',
    );
  });

  it('refuses an UNSIGNED-PAYLOAD body, which execute-api does not take', async () => {
    const body = '{"name":"Eve"}';
    const request = smithyRequest('PUT', '/dev/profile', {}, body);
    request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';

    const signed = await smithySigner().sign(request, { signingDate: now });

    expectRefused(await verify(fromSmithy(signed, body)), SigV4ErrorType.InvalidSignature, mismatch);
  });
});

describe('verifySigV4 refusals, with API Gateway bodies', () => {
  it('answers Missing Authentication Token to an unsigned request', async () => {
    const result = await verify(arriving('GET', '/dev/hello', { host }));

    expectRefused(result, SigV4ErrorType.MissingAuthenticationToken, 'Missing Authentication Token');
    expect(!result.ok && toGatewayResponse(result)).toEqual({
      statusCode: 403,
      headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': 'MissingAuthenticationTokenException' },
      body: '{"message":"Missing Authentication Token"}',
    });
  });

  it('answers Missing Authentication Token to a query signature without X-Amz-Algorithm', async () => {
    const result = await verify(arriving('GET', '/dev/hello?X-Amz-Signature=abc', { host }));

    expectRefused(result, SigV4ErrorType.MissingAuthenticationToken, 'Missing Authentication Token');
  });

  it('refuses a bearer token in the Authorization header', async () => {
    const result = await verify(arriving('GET', '/dev/hello', { host, authorization: 'Bearer eyJhbGc.x.y' }));

    expectRefused(
      result,
      SigV4ErrorType.IncompleteSignature,
      "'eyJhbGc.x.y' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer eyJhbGc.x.y'.",
    );
  });

  it('lists every missing Authorization parameter and the missing date', async () => {
    const result = await verify(arriving('GET', '/dev/hello', { host, authorization: 'eyJhbGc.x.y' }));

    expectRefused(
      result,
      SigV4ErrorType.IncompleteSignature,
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' " +
        "parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires " +
        "existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=eyJhbGc.x.y",
    );
  });

  it('refuses an Authorization header without Signature', async () => {
    const { headers } = signWithAws4();
    const authorization = String(headers['authorization']).replace(/, Signature=[0-9a-f]+$/, '');

    const result = await verify(arriving('GET', '/dev/hello', { ...headers, authorization }));

    expectRefused(
      result,
      SigV4ErrorType.IncompleteSignature,
      "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256",
    );
  });

  it('refuses another algorithm', async () => {
    const request = signWithAws4();
    const authorization = String(request.headers['authorization']).replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512');

    const result = await verify({ ...request, headers: { ...request.headers, authorization } });

    expectRefused(result, SigV4ErrorType.IncompleteSignature, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'.");
  });

  it('refuses a credential that is not keyid/date/region/service/term', async () => {
    const request = signWithAws4();
    const authorization = String(request.headers['authorization']).replace('/aws4_request', '');

    const result = await verify({ ...request, headers: { ...request.headers, authorization } });

    expectRefused(result, SigV4ErrorType.IncompleteSignature, /^Credential must have exactly 5 slash-delimited elements/);
  });

  it('refuses a signature that does not cover Host', async () => {
    const result = await verify(signWithAws4({ unsigned: ['host'] }));

    expectRefused(
      result,
      SigV4ErrorType.InvalidSignature,
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  it('refuses a signature that does not cover X-Amz-Date', async () => {
    const result = await verify(signWithAws4({ unsigned: ['x-amz-date'] }));

    expectRefused(result, SigV4ErrorType.InvalidSignature, "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
  });

  it('refuses an X-Amz-Date that is not ISO 8601 basic format', async () => {
    const request = signWithAws4();

    const result = await verify({ ...request, headers: { ...request.headers, 'x-amz-date': '2024-05-01T12:00:00Z' } });

    expectRefused(
      result,
      SigV4ErrorType.IncompleteSignature,
      "Date must be in ISO-8601 'basic format'. Got '2024-05-01T12:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
  });

  it('refuses the wrong secret, telling the canonical request it expected', async () => {
    const result = await verify(signWithAws4({ credentials: { ...temporary, secretAccessKey: 'not-the-secret' } }));

    expectRefused(result, SigV4ErrorType.InvalidSignature, mismatch);
    expect(!result.ok && result.message).toContain(
      '\n\nThe Canonical String for this request should have been\n' +
        `'GET\n/dev/hello\n\nhost:${host}\nx-amz-date:${amzDate}\nx-amz-security-token:${temporary.sessionToken}\n\n` +
        'host;x-amz-date;x-amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' +
        "'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20240501T120000Z\n" +
        '20240501/us-east-1/execute-api/aws4_request\n',
    );
  });

  it.each<[string, (r: SigV4Request) => SigV4Request]>([
    ['method', (r) => ({ ...r, method: 'DELETE' })],
    ['path', (r) => ({ ...r, path: '/dev/profile/other' })],
    ['path encoding', (r) => ({ ...r, path: '/dev/profil%65' })],
    ['query', (r) => ({ ...r, query: 'id=2' })],
    ['repeated query value', (r) => ({ ...r, query: 'id=1&id=1' })],
    ['signed header', (r) => ({ ...r, headers: { ...r.headers, 'content-type': 'text/plain' } })],
    ['body', (r) => ({ ...r, body: Buffer.from('{"name":"Mallory"}') })],
  ])('refuses a request whose %s was changed after signing', async (_part, tamper) => {
    const request = signWithAws4({
      method: 'PUT',
      path: '/dev/profile?id=1',
      body: '{"name":"Alice"}',
      headers: { 'Content-Type': 'application/json' },
    });

    expectRefused(await verify(tamper(request)), SigV4ErrorType.InvalidSignature, mismatch);
  });

  it('refuses a body that no longer matches its signed X-Amz-Content-Sha256', async () => {
    const body = '{"name":"Alice"}';
    const request = signWithAws4({
      method: 'PUT',
      path: '/dev/profile',
      body,
      headers: { 'X-Amz-Content-Sha256': createHash('sha256').update(body).digest('hex') },
    });

    expectRefused(await verify({ ...request, body: Buffer.from('{"name":"Eve"}') }), SigV4ErrorType.InvalidSignature, mismatch);
  });

  it('refuses an access key the identity pool never issued', async () => {
    const result = await verify(signWithAws4({ credentials: { ...longTerm, accessKeyId: 'AKIAUNKNOWN000000000' } }));

    expectRefused(result, SigV4ErrorType.InvalidToken, 'The security token included in the request is invalid.');
  });

  it.each<[string, Credentials]>([
    ['without', { accessKeyId: temporary.accessKeyId, secretAccessKey: temporary.secretAccessKey }],
    ['with another', { ...temporary, sessionToken: 'another-token' }],
  ])('refuses temporary credentials %s session token', async (_case, credentials) => {
    const result = await verify(signWithAws4({ credentials }));

    expectRefused(result, SigV4ErrorType.InvalidToken, 'The security token included in the request is invalid.');
  });

  it('refuses a session token with long-term credentials', async () => {
    const result = await verify(signWithAws4({ credentials: { ...longTerm, sessionToken: 'stray-token' } }));

    expectRefused(result, SigV4ErrorType.InvalidToken, 'The security token included in the request is invalid.');
  });

  it('refuses credentials past their expiration', async () => {
    const result = await verify(signWithAws4({ date: '20240501T130000Z' }), new Date('2024-05-01T13:00:00Z'));

    expectRefused(result, SigV4ErrorType.ExpiredToken, 'The security token included in the request is expired');
  });

  it('refuses an X-Amz-Date 6 minutes old', async () => {
    const result = await verify(signWithAws4({ date: '20240501T115400Z' }));

    expectRefused(
      result,
      SigV4ErrorType.InvalidSignature,
      'Signature expired: 20240501T115400Z is now earlier than 20240501T115500Z (20240501T120000Z - 5 min.)',
    );
  });

  it('refuses an X-Amz-Date 6 minutes ahead', async () => {
    const result = await verify(signWithAws4({ date: '20240501T120600Z' }));

    expectRefused(
      result,
      SigV4ErrorType.InvalidSignature,
      'Signature not yet current: 20240501T120600Z is still later than 20240501T120500Z (20240501T120000Z + 5 min.)',
    );
  });

  it('refuses a credential scoped to another region', async () => {
    const result = await verify(signWithAws4({ region: 'eu-west-1' }));

    expectRefused(result, SigV4ErrorType.InvalidSignature, "Credential should be scoped to a valid region, not 'eu-west-1'. ");
  });

  it('refuses a credential scoped to another service', async () => {
    const result = await verify(signWithAws4({ service: 'lambda' }));

    expectRefused(result, SigV4ErrorType.InvalidSignature, "Credential should be scoped to correct service: 'execute-api'. ");
  });

  it('refuses a credential scope dated another day than X-Amz-Date', async () => {
    const request = signWithAws4();
    const authorization = String(request.headers['authorization']).replace('/20240501/', '/20240430/');

    const result = await verify({ ...request, headers: { ...request.headers, authorization } });

    expectRefused(
      result,
      SigV4ErrorType.InvalidSignature,
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
        "'20240430' != '20240501', from '20240501T120000Z'. ",
    );
  });

  it('refuses a request signed both in the header and in the query', async () => {
    const request = signWithAws4();

    const result = await verify({ ...request, query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' });

    expectRefused(result, SigV4ErrorType.InvalidSignature, mismatch);
  });

  it('lists the presigned URL parameters that are missing', async () => {
    const result = await verify(arriving('GET', '/dev/hello?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab', { host }));

    expectRefused(
      result,
      SigV4ErrorType.IncompleteSignature,
      "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include " +
        "'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. " +
        'Re-examine the query-string parameters.',
    );
  });
});
