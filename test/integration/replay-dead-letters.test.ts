// `npm run replay`'s move of the dead-letter queue back to the failure queue, against the local SQS.
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { startSqs } from '../../local/sqs/index.js';
import { moveDeadLetters } from '../../scripts/replay-dead-letters.js';
import { closedAfterEach } from '../helpers/loopback-store.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const options = { stage: 'prod', region: 'us-east-1', max: 100, dryRun: false };

describe('moving the dead letters back', () => {
  const closeLater = closedAfterEach();
  const setUp = async (queues = [{ name: 'log-forwarder-prod-dead-letters' }, { name: 'log-forwarder-prod-parked', redrive: { deadLetterQueue: 'log-forwarder-prod-dead-letters', maxReceiveCount: 5 } }]) => {
    const sqs = closeLater(await startSqs({ queues }));
    const client = new SQSClient({ region: 'us-east-1', endpoint: sqs.endpoint, credentials });
    closeLater({ close: async () => client.destroy() });
    const lines: string[] = [];
    return { sqs, client, lines, print: (line: string) => void lines.push(line) };
  };
  const parkedMessage = { sink: { DataType: 'String', StringValue: 'loki' }, failure: { DataType: 'String', StringValue: 'permanent' }, reason: { DataType: 'String', StringValue: 'HTTP 400: line too long' }, records: { DataType: 'Number', StringValue: '3' } };

  it('lists what it would move on a dry run, and leaves every message where it is', async () => {
    const { sqs, client, lines, print } = await setUp();
    const id = sqs.send('log-forwarder-prod-dead-letters', '{"event":{"id":"1"}}', parkedMessage);

    await expect(moveDeadLetters({ ...options, dryRun: true }, client, print)).resolves.toEqual({ waiting: 1, moved: 0 });

    expect(lines).toEqual([`would move ${id}: 3 record(s) for loki, permanent: HTTP 400: line too long`, 'dry run: would move 1 message(s) from log-forwarder-prod-dead-letters back to log-forwarder-prod-parked']);
    expect(sqs.remaining('log-forwarder-prod-dead-letters')).toEqual([expect.objectContaining({ messageId: id, visible: true })]);
    expect(sqs.remaining('log-forwarder-prod-parked')).toEqual([]);
  });

  it('moves every dead letter back to the failure queue with its attributes, receive count reset', async () => {
    const { sqs, client, lines, print } = await setUp();
    sqs.send('log-forwarder-prod-dead-letters', 'one', parkedMessage);
    sqs.send('log-forwarder-prod-dead-letters', 'two', parkedMessage);

    await expect(moveDeadLetters(options, client, print)).resolves.toEqual({ waiting: 2, moved: 2 });

    expect(sqs.remaining('log-forwarder-prod-dead-letters')).toEqual([]);
    expect(sqs.remaining('log-forwarder-prod-parked').map(({ body, receiveCount, attributes }) => ({ body, receiveCount, sink: attributes.sink?.StringValue }))).toEqual([
      { body: 'one', receiveCount: 0, sink: 'loki' },
      { body: 'two', receiveCount: 0, sink: 'loki' },
    ]);
    expect(lines.at(-1)).toBe('moved 2 message(s) from log-forwarder-prod-dead-letters back to log-forwarder-prod-parked; the replay function delivers them');
  });

  it('says so, and does nothing, when the dead-letter queue is empty or the stage has none', async () => {
    const empty = await setUp();
    await expect(moveDeadLetters(options, empty.client, empty.print)).resolves.toEqual({ waiting: 0, moved: 0 });
    expect(empty.lines).toEqual(['log-forwarder-prod-dead-letters is empty']);

    const old = await setUp([{ name: 'log-forwarder-prod-failed' }]);
    await expect(moveDeadLetters(options, old.client, old.print)).resolves.toEqual({ waiting: 0, moved: 0 });
    expect(old.lines).toEqual(['no log-forwarder-prod-dead-letters and log-forwarder-prod-parked queues in us-east-1: this stage parks no records']);
  });
});
