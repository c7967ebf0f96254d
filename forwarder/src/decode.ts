import { gunzipSync } from 'node:zlib';
import { DecodeError } from './errors.js';
import { subscriptionPayloadSchema, type DecodedPayload } from './schema.js';

export type { DecodedPayload } from './schema.js';

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
  const parsed = subscriptionPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'payload';
    throw new DecodeError(`awslogs.data is not a subscription payload: ${where}: ${issue?.message}`);
  }
  if (parsed.data.messageType !== 'DATA_MESSAGE') {
    throw new DecodeError(`unknown messageType "${parsed.data.messageType}"`);
  }
  return { kind: 'data', payload: parsed.data, compressedBytes: compressed.length, rawBytes: raw.length };
}
