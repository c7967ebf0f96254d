// Calls an `aws_iam` route the way a frontend does: SigV4 over the request with identity-pool
// credentials (@smithy/signature-v4), then fetch. The web client, the demo and the tests share it.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@aws-sdk/types';

export interface SignedRequest {
  method: string;
  /** Absolute URL, query string included. */
  url: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** The body as JSON, or as text when it is not JSON. */
  body: unknown;
}

/**
 * Signs `request` for API Gateway (service `execute-api`) and sends it; `init` adds fetch options
 * that are not signed (e.g. `cache`). A network failure rejects with fetch's own error.
 */
export async function signedFetch(
  request: SignedRequest,
  credentials: AwsCredentialIdentity,
  region: string,
  init: Pick<RequestInit, 'cache'> = {},
): Promise<ApiAnswer> {
  const url = new URL(request.url);
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const previous = query[key];
    query[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  const unsigned = new HttpRequest({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query,
    headers: { host: url.host, ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}), ...request.headers },
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  const signer = new SignatureV4({ credentials, region, service: 'execute-api', sha256: Sha256 });
  const signed = await signer.sign(unsigned);
  const headers = { ...signed.headers };
  // fetch sets Host itself from the URL (the same value that was signed).
  delete headers.host;
  const response = await fetch(url, { ...init, method: request.method, headers, ...(request.body !== undefined ? { body: request.body } : {}) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}
