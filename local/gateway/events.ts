// The Lambda proxy integration event of a REST API (payload format 1.0), built from a request as
// the local gateway received it. Pure: ids, the clock and the caller's identity come in.
import type { APIGatewayEventIdentity, APIGatewayProxyEvent } from 'aws-lambda';

/** A request header as sent: its name with the client's casing, one entry per header line. */
export type RawHeader = readonly [name: string, value: string];

export interface ProxyEventInput {
  method: string;
  /** The path as received, percent-encoding included, without the query: `/<stage>/…`. */
  rawPath: string;
  /** The raw query string, without `?`. */
  rawQuery: string;
  headers: readonly RawHeader[];
  body: Uint8Array;
  /** Whether the body goes to the function base64-encoded (a binary media type). */
  binary: boolean;
  stage: string;
  resourcePath: string;
  resourceId: string;
  pathParameters: Record<string, string> | null;
  apiId: string;
  accountId: string;
  requestId: string;
  extendedRequestId: string;
  requestTime: Date;
  /** `HTTP/1.1`. */
  protocol: string;
  /** The caller: `anonymousIdentity(...)` or an IAM caller's. */
  identity: APIGatewayEventIdentity;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** `23/Nov/2026:10:00:00 +0000`, as `requestContext.requestTime` is written. */
export function formatRequestTime(date: Date): string {
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

const decode = (raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/**
 * The query as API Gateway hands it over: names and values percent-decoded (`+` stays `+`),
 * `queryStringParameters` with the last value of each name, both null when there is none.
 */
export function queryParameters(
  rawQuery: string,
): Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'> {
  const multi: Record<string, string[]> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    (multi[name] ??= []).push(value);
  }
  const names = Object.keys(multi);
  if (names.length === 0) return { queryStringParameters: null, multiValueQueryStringParameters: null };
  const single = Object.fromEntries(names.map((name) => [name, multi[name]?.at(-1) ?? '']));
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

/**
 * Headers as API Gateway hands them over: with the casing the client sent (the first line's, for a
 * name sent twice), `headers` with the last value of each, `multiValueHeaders` with all of them.
 */
export function headerParameters(headers: readonly RawHeader[]): Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'> {
  const names = new Map<string, string>();
  const multi: Record<string, string[]> = {};
  for (const [rawName, value] of headers) {
    const lower = rawName.toLowerCase();
    const name = names.get(lower) ?? rawName;
    names.set(lower, name);
    (multi[name] ??= []).push(value);
  }
  const single = Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values.at(-1) ?? '']));
  return { headers: single, multiValueHeaders: multi };
}

/** The first value of a header, by case-insensitive name. */
export const headerValue = (headers: readonly RawHeader[], name: string): string | undefined =>
  headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

/** `requestContext.identity` of a route without authorization: only who connected, and how. */
export function anonymousIdentity(sourceIp: string, userAgent: string | null): APIGatewayEventIdentity {
  return {
    cognitoIdentityPoolId: null,
    accountId: null,
    cognitoIdentityId: null,
    caller: null,
    sourceIp,
    principalOrgId: null,
    accessKey: null,
    cognitoAuthenticationType: null,
    cognitoAuthenticationProvider: null,
    userArn: null,
    userAgent,
    user: null,
    apiKey: null,
    apiKeyId: null,
    clientCert: null,
  };
}

/** The Lambda proxy event for one request. */
export function buildProxyEvent(input: ProxyEventInput): APIGatewayProxyEvent {
  const stagePrefix = `/${input.stage}`;
  const path = input.rawPath.startsWith(`${stagePrefix}/`) ? input.rawPath.slice(stagePrefix.length) : '/';
  const host = headerValue(input.headers, 'host');
  const hostname = host?.replace(/:\d+$/, '');
  const body = input.body.byteLength === 0 ? null : Buffer.from(input.body).toString(input.binary ? 'base64' : 'utf8');
  return {
    resource: input.resourcePath,
    path,
    httpMethod: input.method,
    ...headerParameters(input.headers),
    ...queryParameters(input.rawQuery),
    pathParameters: input.pathParameters,
    stageVariables: null,
    requestContext: {
      resourceId: input.resourceId,
      resourcePath: input.resourcePath,
      httpMethod: input.method,
      extendedRequestId: input.extendedRequestId,
      requestTime: formatRequestTime(input.requestTime),
      path: input.rawPath,
      accountId: input.accountId,
      protocol: input.protocol,
      stage: input.stage,
      ...(hostname === undefined ? {} : { domainPrefix: hostname.split('.')[0] ?? hostname, domainName: host }),
      requestTimeEpoch: input.requestTime.getTime(),
      requestId: input.requestId,
      identity: input.identity,
      apiId: input.apiId,
      authorizer: undefined,
    },
    body,
    isBase64Encoded: body !== null && input.binary,
  };
}

const TEXT_TYPES = [
  /^text\//,
  /^application\/(json|xml|javascript|graphql|x-www-form-urlencoded|x-ndjson)$/,
  /^[^/]+\/[^/]+\+(json|xml)$/,
];

/**
 * Whether a body of `contentType` reaches the function base64-encoded. With `binaryMediaTypes`
 * (the API's setting: `image/png`, `image/*`, `*\/*`) those types are; without it, every type that
 * is not text, so that no body is mangled into UTF-8 locally.
 */
export function isBinaryBody(contentType: string | undefined, binaryMediaTypes?: readonly string[]): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!type) return false;
  if (binaryMediaTypes) {
    return binaryMediaTypes.some((pattern) => {
      const [major, minor] = pattern.toLowerCase().split('/');
      const [typeMajor, typeMinor] = type.split('/');
      return (major === '*' || major === typeMajor) && (minor === '*' || minor === typeMinor);
    });
  }
  return !TEXT_TYPES.some((text) => text.test(type));
}
