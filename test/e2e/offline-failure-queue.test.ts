// The failure queue in the offline stack: the real forwarder, shipping to a loopback store that
// refuses one record, delivers the others and parks that one on the local SQS; the replay function,
// on its event source, meets the same refusal and sends it to the dead-letter queue.
// A store down for an invocation gets every line parked after the retry window (1.5 s here, the
// stage param retryWindowMs), and the replay delivers them once the store is back.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showParking } from '../../local/demo/parking.js';
import { startStack, type RunningStack } from '../../local/stack.js';
import { startCollector, type Collector } from '../helpers/collector.js';

const root = path.resolve(import.meta.dirname, '../..');
const stateDir = path.join(root, '.local', `test-e2e-queue-${process.pid}`);
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
async function eventually(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the offline stack parks what the store does not take, and replays it', () => {
  let stack: RunningStack;
  let store: Collector;
  let lambda: LambdaClient;
  const lines = () => [...store.stored.values()].map(({ item }) => ({ message: String(item.message), fn: (item.faas as { name?: string } | undefined)?.name }));

  beforeAll(async () => {
    store = await startCollector();
    stack = await startStack({ root, stateDir, ports: {}, logSink: store.url, forwarderParams: { retryWindowMs: '1500' }, asyncRetryDelaysMs: [100, 200] });
    lambda = new LambdaClient({ region: stack.endpoints.region, endpoint: stack.endpoints.endpoints.lambda, credentials });
  }, 180_000);

  afterAll(async () => {
    lambda?.destroy();
    await stack?.close();
    await store?.close();
    rmSync(stateDir, { recursive: true, force: true });
  }, 60_000);

  const invokeHealth = async () => {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'auth-service-local-health', Payload: JSON.stringify({ httpMethod: 'GET', path: '/health', resource: '/health', headers: {}, requestContext: {} }) }));
    expect(answer.FunctionError).toBeUndefined();
    await stack.flushLogs();
  };
  const queue = (name: string) => stack.sqs.remaining(`log-forwarder-local-${name}`);

  it('delivers the other lines of an event whose one record the store refuses, and dead-letters that one after replay', async () => {
    // The first request's first record is refused for good, wherever it comes again.
    store.setFaults([{ kind: 'refuse-record', index: 0 }, { kind: 'ok' }]);

    await invokeHealth();

    await eventually('the refused record reaches the dead-letter queue', () => queue('dead-letters').length === 1);
    const [dead] = queue('dead-letters');
    const refused = (JSON.parse(dead!.body) as { event: { id: string } }).event.id;
    expect(store.stored.has(refused)).toBe(false);
    const delivered = lines().filter((line) => line.fn === 'auth-service-local-health');
    expect(delivered.map((line) => line.message.split(' ')[0])).toEqual(expect.arrayContaining(['END', 'REPORT']));
    expect([...store.stored.values()].every(({ times }) => times === 1)).toBe(true);
    expect(dead?.attributes.failure?.StringValue).toBe('permanent');
    expect(dead?.attributes.reason?.StringValue).toMatch(/^HTTP 400/);
    expect(queue('parked')).toEqual([]);
  }, 60_000);

  it('parks every line while the store is down, and the replay delivers each once when it is back', async () => {
    const before = store.stored.size;
    store.setFaults([{ kind: 'status', status: 503 }]);

    await invokeHealth();
    await eventually('the lines are parked', () => queue('parked').length > 0);
    expect(store.stored.size).toBe(before);
    store.setFaults([{ kind: 'ok' }]);

    await eventually('the replay empties the failure queue', () => queue('parked').length === 0 && store.stored.size > before, 30_000);
    expect([...store.stored.values()].every(({ times }) => times === 1)).toBe(true);
    expect(queue('dead-letters')).toHaveLength(1);
  }, 60_000);

  it('shows at npm start that a line a receiver refuses is parked with its reason while the others are delivered', async () => {
    const printed: string[] = [];

    const shown = await showParking(stack, (line) => printed.push(line));

    expect(shown.delivered).toEqual(['order 1041 placed', 'order 1041 shipped']);
    expect(shown.reason).toBe('HTTP 400: failed to parse field [app.amount] of type [long]: "12 EUR"');
    expect(printed).toEqual([
      'failure queue: a receiver whose schema refuses one of an event\'s 3 lines took the other 2 (order 1041 placed; order 1041 shipped)',
      'failure queue: the refused line waits on log-forwarder-local-dead-letters: HTTP 400: failed to parse field [app.amount] of type [long]: "12 EUR"',
    ]);
  }, 60_000);
});
