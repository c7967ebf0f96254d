// A CloudWatch Logs subscription delivery to a Lambda function, as AWS builds it: a DATA_MESSAGE
// of one log stream's events, gzipped, base64-encoded, under `awslogs.data`.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

export interface SubscriptionLogEvent {
  id: string;
  timestamp: number;
  message: string;
}

export interface SubscriptionPayload {
  messageType: 'DATA_MESSAGE';
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: SubscriptionLogEvent[];
}

/** At most this many events in one delivery. */
export const maxEventsPerPayload = 10_000;
/** At most this many bytes of events in one delivery, counted as CloudWatch Logs counts them. */
export const maxPayloadBytes = 1024 * 1024;

/** CloudWatch Logs counts an event as its UTF-8 message plus 26 bytes (PutLogEvents quotas). */
export function eventBytes(message: string): number {
  return Buffer.byteLength(message, 'utf8') + 26;
}

export async function encodePayload(payload: SubscriptionPayload): Promise<{ awslogs: { data: string } }> {
  const compressed = await gzipAsync(Buffer.from(JSON.stringify(payload), 'utf8'));
  return { awslogs: { data: compressed.toString('base64') } };
}
