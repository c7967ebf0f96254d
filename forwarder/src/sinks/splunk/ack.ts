// HEC indexer acknowledgment (opt-in, `?ack=true`): a 200 only says HEC received the events; the
// ackId it returns is polled on /services/collector/ack until HEC says they are indexed
// (https://docs.splunk.com/Documentation/Splunk/latest/Data/AboutHECIDXAck).
import { setTimeout as sleep } from 'node:timers/promises';
import { sendHttp } from '../shared/http-client.js';
import type { StoreAnswer } from '../shared/http-sink.js';
import { delivered, failEvery, type SendOutcome } from '../shared/outcome.js';

/** Polls start at 250 ms and double up to 2 s: HEC acknowledges within seconds once it indexed. */
const firstPollMs = 250;
const maxPollMs = 2_000;

/** The ackId of a HEC answer, or undefined (a token without indexer acknowledgment returns none). */
export function ackIdOf(body: string): number | undefined {
  try {
    const id = (JSON.parse(body) as { ackId?: unknown }).ackId;
    return typeof id === 'number' && Number.isInteger(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Whether HEC's ack answer (`{"acks":{"7":true}}`) says `id` is indexed. */
export function isAcknowledged(body: string, id: number): boolean {
  try {
    return (JSON.parse(body) as { acks?: Record<string, unknown> }).acks?.[String(id)] === true;
  } catch {
    return false;
  }
}

/**
 * Waits, within `signal`, until HEC acknowledges the answer's ackId. Not acknowledged in time, the
 * batch fails as transient and is sent again: HEC may then index it twice (event.id tells the
 * copies apart), which is what acknowledgment trades for never losing one.
 */
export async function awaitAck(
  answer: StoreAnswer,
  count: number,
  ack: { url: URL; channel: string; headers: Readonly<Record<string, string>> },
  signal: AbortSignal,
): Promise<SendOutcome> {
  const id = ackIdOf(answer.body);
  if (id === undefined) return delivered(`HTTP ${answer.status} (no ackId: the token does not acknowledge)`);
  const url = new URL(ack.url);
  url.searchParams.set('channel', ack.channel);
  let wait = firstPollMs;
  let last = 'no answer yet';
  try {
    for (;;) {
      await sleep(wait, undefined, { signal });
      wait = Math.min(maxPollMs, wait * 2);
      const polled = await sendHttp({ url, headers: { ...ack.headers, 'content-type': 'application/json' }, body: JSON.stringify({ acks: [id] }), gzip: false }, signal);
      if (polled.status === 200 && isAcknowledged(polled.body, id)) return delivered(`HTTP ${answer.status}, ackId ${id} indexed`);
      last = `HTTP ${polled.status}${polled.body ? `: ${polled.body.slice(0, 200)}` : ''}`;
      if (polled.status !== 200) break;
    }
  } catch {
    // The request's time ran out while waiting.
  }
  const reason = `HEC did not acknowledge ackId ${id} in time (last poll: ${last}); sent again`;
  return { failures: failEvery(count, true, reason), answer: reason };
}
