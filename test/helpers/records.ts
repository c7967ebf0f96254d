// The one builder of records for sink tests: a full ECS record rendered as the forwarder renders it.
import { Batcher } from '../../forwarder/src/batch.js';
import { PreparedRecord, type LogRecord } from '../../forwarder/src/record.js';
import { RecordRenderer } from '../../forwarder/src/render.js';
import type { StoreAnswer } from '../../forwarder/src/sinks/shared/http-sink.js';
import type { SinkLimits } from '../../forwarder/src/sinks/types.js';

/** A record of `shop-dev-orders` with every field a Lambda line has; `overrides` replace top-level fields. */
export function logRecord(id: string, overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    '@timestamp': '2026-11-23T10:00:00.123Z',
    message: `message ${id} "quoted"`,
    log: { level: 'info' },
    event: { id, kind: 'event' },
    cloud: { provider: 'aws', account: { id: '123456789012' } },
    aws: { cloudwatch: { log_group: '/aws/lambda/shop-dev-orders', log_stream: 's' } },
    faas: { name: 'shop-dev-orders', execution: 'req-1' },
    trace: { id: '1-66433733-5f2c7e3b9a1d4c8e2b6f0a17' },
    service: { name: 'shop', environment: 'dev' },
    ...overrides,
  };
}

/** `logRecord(id, overrides)` rendered once, as the transform hands it to a sink. */
export function preparedRecord(id: string, overrides: Partial<LogRecord> = {}): PreparedRecord {
  const record = logRecord(id, overrides);
  return PreparedRecord.fromJson(id, record, new RecordRenderer().render(record).json);
}

/** A CloudWatch-shaped event id (56 digits) for record `n`. */
export function eventId(n: number): string {
  return String(n).padStart(56, '0');
}

/** Cuts records into batches as the delivery loop does. */
export function batchesOf(records: readonly PreparedRecord[], limits: Pick<SinkLimits, 'maxBatchRecords' | 'maxBatchBytes' | 'recordOverheadBytes'>): PreparedRecord[][] {
  const batcher = new Batcher(limits);
  const batches: PreparedRecord[][] = [];
  for (const record of records) {
    const full = batcher.add(record);
    if (full) batches.push(full);
  }
  const last = batcher.flush();
  if (last) batches.push(last);
  return batches;
}

/** A store's answer as the HTTP sink skeleton hands it to a classifier. */
export function storeAnswer(status: number, body = '', headers: Record<string, string> = {}): StoreAnswer {
  return { status, body, headers };
}
