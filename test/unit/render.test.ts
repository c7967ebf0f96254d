import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StreamTracker } from '../../forwarder/src/stream-context.js';
import { transformPayload } from '../../forwarder/src/transform.js';
import { logsFixture, payloadOf } from '../helpers/fixtures.js';

const variants = readdirSync(new URL('../fixtures/cloudwatch-logs/', import.meta.url))
  .filter((name) => name.endsWith('.json') && name !== 'control-message.json')
  .map((name) => name.replace(/\.json$/, ''));

describe('RecordRenderer', () => {
  it.each(variants)('writes every %s record byte for byte as JSON.stringify does, with its UTF-8 size and a newline', (variant) => {
    const { records } = transformPayload(logsFixture(variant), { region: 'us-east-1', stage: 'dev', maxMessageBytes: 100, streams: new StreamTracker() });

    for (const prepared of records) {
      expect(prepared.json).toBe(JSON.stringify(prepared.record));
      expect(prepared.bytes).toBe(Buffer.byteLength(prepared.json));
      expect(prepared.chunk.toString('utf8', prepared.end, prepared.end + 1)).toBe('\n');
    }
  });

  it('escapes quotes, control characters and lone surrogates in every string field, and counts multi-byte characters', () => {
    const nasty = 'q"uote\\ \u0000\u001f \ud800 </script> é 日本 😀';
    const { records } = transformPayload(
      payloadOf([JSON.stringify({ msg: nasty, logger: nasty, service: nasty, requestId: nasty, err: { message: nasty } })], { logGroup: `/aws/lambda/${nasty}` }),
      { maxMessageBytes: 1000, streams: new StreamTracker() },
    );

    const parsed = JSON.parse(records[0]!.json);
    expect(parsed.message).toBe(nasty);
    expect(parsed.log.logger).toBe(nasty);
    expect(parsed.faas).toEqual({ name: nasty, execution: nasty });
    expect(records[0]!.json).toBe(JSON.stringify(records[0]!.record));
    expect(records[0]!.bytes).toBe(Buffer.byteLength(records[0]!.json));
  });
});
