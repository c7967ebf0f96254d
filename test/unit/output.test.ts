import { describe, expect, it } from 'vitest';
import { RecordOutput, slabBytes } from '../../forwarder/src/output.js';
import { recordLines } from '../../forwarder/src/sinks/shared/body.js';
import { PreparedRecord, type LogRecord } from '../../forwarder/src/record.js';

const record = {} as LogRecord;

/** Places texts in an output as the transform does, and returns the records once flushed. */
function placeAll(output: RecordOutput, texts: readonly string[]): PreparedRecord[] {
  const records = texts.map((text, index) => {
    const bytes = Buffer.byteLength(text);
    const { chunk, start } = output.place(text, bytes);
    return new PreparedRecord(String(index), record, chunk, start, bytes);
  });
  output.flush();
  return records;
}

describe('RecordOutput', () => {
  it('holds each text as its UTF-8 bytes and a newline, multi-byte characters included', () => {
    const texts = ['{"a":1}', '{"é":"日本 😀"}', '{}'];

    const records = placeAll(new RecordOutput(), texts);

    expect(records.map((r) => r.json)).toEqual(texts);
    expect(Buffer.concat(recordLines(records)).toString('utf8')).toBe(`${texts.join('\n')}\n`);
  });

  it('never splits a record across buffers, and gives a record larger than a buffer one of its own', () => {
    const line = `{"m":"${'x'.repeat(1000)}"}`;
    const huge = `{"m":"${'y'.repeat(slabBytes + 10)}"}`;
    const texts = [...Array.from({ length: 2_500 }, () => line), huge, line];

    const records = placeAll(new RecordOutput(), texts);

    expect(records.every((r, index) => r.json === texts[index])).toBe(true);
    expect(new Set(records.map((r) => r.chunk)).size).toBeGreaterThanOrEqual(4);
    const body = recordLines(records);
    // One view per buffer, not one per record.
    expect(body.length).toBe(new Set(records.map((r) => r.chunk)).size);
    expect(Buffer.concat(body).toString('utf8')).toBe(`${texts.join('\n')}\n`);
  });

  it('gives a range per run of consecutive records, so a subset of a batch is sent as it is', () => {
    const records = placeAll(new RecordOutput(), ['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}']);

    const body = recordLines([records[0]!, records[1]!, records[3]!]);

    expect(body.map((part) => part.toString('utf8'))).toEqual(['{"n":0}\n{"n":1}\n', '{"n":3}\n']);
  });

  it('refuses a miscounted size rather than misplace the records after it', () => {
    const output = new RecordOutput();
    output.place('{"é":1}', 7);

    expect(() => output.flush()).toThrow(/wrote 9 bytes where 8 were counted/);
  });

  it('reuses released buffers for the next payload', () => {
    const first = new RecordOutput();
    const [a] = placeAll(first, ['{"first":true}']);
    first.release();

    const [b] = placeAll(new RecordOutput(), ['{"second":true}']);

    expect(b!.chunk).toBe(a!.chunk);
    expect(b!.json).toBe('{"second":true}');
  });
});
