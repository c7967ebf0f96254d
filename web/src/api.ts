// The auth service's API: every request signed with SigV4 (service execute-api) with the
// identity pool's credentials. A 403 that says the credentials were expired or the signature did
// not match is retried once with credentials fetched anew.
import type { Profile } from '../../auth-service/src/domain/profile.js';
import { signedFetch, type ApiAnswer } from '../../shared/signed-fetch.js';
import { newTraceId } from '../../shared/trace-id.js';
import type { WebConfig } from './config.js';
import type { CredentialSource, Credentials } from './credentials.js';
import { ApiError, ApiUnreachableError, type FieldIssue } from './errors.js';

/** A profile as `GET /profile` and `PUT /profile` return it: the auth service's own type. */
export type { Profile };

export interface Api {
  getProfile(): Promise<Profile>;
  updateProfile(update: { name: string }): Promise<Profile>;
}

interface Answer {
  status: number;
  errorType: string | null;
  body: unknown;
  traceId: string;
}

export function createApi(config: WebConfig, credentials: CredentialSource): Api {
  const send = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    let answer = await signedCall(config, await credentials.get(), method, route, text);
    if (isCredentialRefusal(answer)) {
      answer = await signedCall(config, await credentials.get({ forceRefresh: true }), method, route, text);
    }
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    throw apiError(answer);
  };
  return {
    getProfile: async () => (await send('GET', '/profile')) as Profile,
    updateProfile: async (update) => (await send('PUT', '/profile', update)) as Profile,
  };
}

async function signedCall(config: WebConfig, credentials: Credentials, method: string, route: string, body?: string): Promise<Answer> {
  const traceId = newTraceId();
  let answer: ApiAnswer;
  try {
    // The browser sets Host itself, from the URL that was signed.
    answer = await signedFetch(
      { method, url: `${config.endpoints.api}${route}`, headers: { 'x-amzn-trace-id': `Root=${traceId}` }, ...(body === undefined ? {} : { body }) },
      credentials,
      config.region,
      { cache: 'no-store' },
    );
  } catch (error) {
    throw new ApiUnreachableError(error);
  }
  // x-amzn-ErrorType is readable cross-origin only where the API exposes it; the body says the same.
  return { status: answer.status, errorType: answer.headers.get('x-amzn-errortype'), body: answer.body, traceId };
}

const retryableTypes = new Set(['ExpiredTokenException', 'InvalidSignatureException', 'UnrecognizedClientException']);
const retryableMessages = [
  /^The security token included in the request is (expired|invalid)/,
  /^The request signature we calculated does not match/,
  /^Signature expired/,
];

/** API Gateway refused the signature or the credentials (not the caller's permissions). */
export function isCredentialRefusal(answer: Pick<Answer, 'status' | 'errorType' | 'body'>): boolean {
  if (answer.status !== 403) return false;
  if (answer.errorType && retryableTypes.has(answer.errorType)) return true;
  const message = messageOf(answer.body);
  return message !== undefined && retryableMessages.some((pattern) => pattern.test(message));
}

function apiError(answer: Answer): ApiError {
  const body = answer.body;
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof record.error === 'string' ? record.error : undefined;
  const details = Array.isArray(record.details) ? record.details.filter(isFieldIssue) : [];
  return new ApiError(answer.status, messageOf(body) ?? `HTTP ${answer.status}`, { ...(code ? { code } : {}), details, traceId: answer.traceId });
}

/** `message` of a function's error, or of API Gateway's own answers (`Message` for an IAM denial). */
function messageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { message, Message } = body as Record<string, unknown>;
  if (typeof message === 'string') return message;
  return typeof Message === 'string' ? Message : undefined;
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return typeof value === 'object' && value !== null && typeof (value as FieldIssue).field === 'string' && typeof (value as FieldIssue).message === 'string';
}
