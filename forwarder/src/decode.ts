import { gunzipSync } from 'node:zlib';
import { DecodeError } from './errors.js';
import { subscriptionPayloadSchema, type DecodedPayload } from './subscription-schema.js';

export type { DecodedPayload } from './subscription-schema.js';

export type Decoded =
  | { kind: 'data'; payload: DecodedPayload; compressedBytes: number; rawBytes: number }
  | { kind: 'control' };

/**
 * Decodes a CloudWatch Logs subscription event: base64, then gzip (node:zlib), then JSON.
 * CONTROL_MESSAGE payloads (CloudWatch checking the destination) come back as `control`.
 * Throws a {@link DecodeError} saying which step failed.
 */
export function decodeEvent(event: unknown): Decoded {
  const data = (event as { awslogs?: { data?: unknown } } | null)?.awslogs?.data;
  if (typeof data !== 'string' || data === '') {
    throw new DecodeError('event is not a CloudWatch Logs subscription event: awslogs.data is missing');
  }
  const compressed = Buffer.from(data, 'base64');
  let raw: Buffer;
  try {
    raw = gunzipSync(compressed);
  } catch (cause) {
    throw new DecodeError('awslogs.data is not base64-encoded gzip', { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (cause) {
    throw new DecodeError('awslogs.data does not hold JSON', { cause });
  }
  if ((json as { messageType?: unknown } | null)?.messageType === 'CONTROL_MESSAGE') return { kind: 'control' };
  const payload = isSubscriptionPayload(json) ? json : validated(json);
  if (payload.messageType !== 'DATA_MESSAGE') {
    throw new DecodeError(`unknown messageType "${payload.messageType}"`);
  }
  return { kind: 'data', payload, compressedBytes: compressed.length, rawBytes: raw.length };
}

/**
 * The subscription schema's checks written out as a loop: about ten times faster than the schema
 * on a 10,000-event payload, and a payload that fails it goes through the schema for the error.
 * test/unit/schema.test.ts holds the two to the same verdicts.
 */
export function isSubscriptionPayload(json: unknown): json is DecodedPayload {
  if (typeof json !== 'object' || json === null) return false;
  const payload = json as Record<string, unknown>;
  if (
    typeof payload.messageType !== 'string' ||
    typeof payload.owner !== 'string' ||
    typeof payload.logGroup !== 'string' ||
    typeof payload.logStream !== 'string' ||
    !Array.isArray(payload.subscriptionFilters) ||
    !Array.isArray(payload.logEvents) ||
    payload.logEvents.length === 0
  ) {
    return false;
  }
  for (const filter of payload.subscriptionFilters) if (typeof filter !== 'string') return false;
  for (const event of payload.logEvents as unknown[]) {
    if (typeof event !== 'object' || event === null) return false;
    const { id, timestamp, message } = event as Record<string, unknown>;
    if (typeof id !== 'string' || typeof timestamp !== 'number' || typeof message !== 'string') return false;
  }
  return true;
}

function validated(json: unknown): DecodedPayload {
  const parsed = subscriptionPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'payload';
    throw new DecodeError(`awslogs.data is not a subscription payload: ${where}: ${issue?.message}`);
  }
  return parsed.data;
}
