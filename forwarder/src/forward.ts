import type { Logger } from '../../shared/logger.js';
import { decodeEvent } from './decode.js';
import { Delivery, type DeliveryOptions } from './deliver.js';
import { DeliveryError } from './errors.js';
import type { FailureQueue } from './failure-queue.js';
import { deliveryMetrics, emfFields } from './metrics.js';
import type { PreparedRecord } from './record.js';
import type { Sink } from './sinks/types.js';
import { PayloadTransformer, type TransformOptions } from './transform.js';

/** Records prepared between two turns of the event loop. */
const preparedPerTurn = 1_000;

export interface ForwardDependencies {
  sink: Sink;
  transform: Omit<TransformOptions, 'maxMessageBytes' | 'maxRecordBytes'>;
  delivery: Omit<DeliveryOptions, 'remainingMs'>;
  /** This function's own name: its log group is never forwarded, to avoid a loop. */
  functionName?: string;
  logger: Logger;
  /** Where undelivered records are parked; without it an undelivered record fails the invocation. */
  failureQueue?: Pick<FailureQueue, 'park' | 'deadLettering'>;
}

export interface ForwardSummary {
  outcome: 'control' | 'own-log-group' | 'forwarded';
  events: number;
  shipped: number;
  filtered: number;
  truncated: number;
  /** Records the sink did not take, now on the failure or dead-letter queue. */
  parked: number;
}

/**
 * Handles one subscription event end to end. Resolves when every record is stored or parked on
 * the failure queue; throws a DeliveryError when a record is neither (no failure queue, or
 * parking failed), so Lambda retries the event and finally keeps it in the on-failure destination.
 */
export async function forwardEvent(event: unknown, deps: ForwardDependencies, remainingMs: () => number): Promise<ForwardSummary> {
  const decoded = decodeEvent(event);
  if (decoded.kind === 'control') {
    deps.logger.info('control message acknowledged');
    return { outcome: 'control', events: 0, shipped: 0, filtered: 0, truncated: 0, parked: 0 };
  }
  const { payload } = decoded;
  const events = payload.logEvents.length;
  if (deps.functionName && payload.logGroup === `/aws/lambda/${deps.functionName}`) {
    deps.logger.warn({ logGroup: payload.logGroup, events }, 'own log group is never forwarded; remove its subscription');
    return { outcome: 'own-log-group', events, shipped: 0, filtered: 0, truncated: 0, parked: 0 };
  }
  const { limits } = deps.sink;
  const transformer = new PayloadTransformer(payload, {
    ...deps.transform,
    maxMessageBytes: limits.maxMessageBytes,
    // The record's JSON plus what the sink's encoding adds to it.
    maxRecordBytes: limits.maxRecordBytes - (limits.recordOverheadBytes ?? 1),
  });
  try {
    return await deliverPayload(transformer, payload.logGroup, events, deps, remainingMs);
  } finally {
    // Every request has been answered or abandoned and every record parked or thrown for:
    // the output's buffers can serve the next payload.
    transformer.output.release();
  }
}

async function deliverPayload(transformer: PayloadTransformer, logGroup: string, events: number, deps: ForwardDependencies, remainingMs: () => number): Promise<ForwardSummary> {
  const started = performance.now();
  const delivery = new Delivery(deps.sink, { ...deps.delivery, remainingMs });
  const add = (record: PreparedRecord) => delivery.add(record);
  for (let from = 0; from < transformer.size; from += preparedPerTurn) {
    transformer.prepare(from, Math.min(transformer.size, from + preparedPerTurn), add);
    // Let the requests of batches already full go out (and their gzip run on the thread pool)
    // while the next records are prepared.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const report = await delivery.finish();
  const prepared = report.delivered + report.undelivered.length;
  const summary: ForwardSummary = {
    outcome: 'forwarded',
    events,
    shipped: report.delivered,
    filtered: transformer.filtered,
    truncated: transformer.truncated,
    parked: 0,
  };
  const stats = { logGroup, ...summary, requests: report.requests, retries: report.retries };
  const metrics = (parked: number) => {
    // An info line: nothing to build when LOG_LEVEL is above info.
    if (!deps.logger.isLevelEnabled('info')) return;
    const values = deliveryMetrics(report, { recordsIn: events, parked, filtered: transformer.filtered, truncated: transformer.truncated, durationMs: performance.now() - started });
    deps.logger.info(emfFields(values, { Function: deps.functionName ?? 'log-forwarder', Sink: deps.sink.name }), 'metrics');
  };
  if (report.undelivered.length > 0) {
    const permanent = report.undelivered.filter((r) => r.permanent).length;
    const reason = report.undelivered[0]?.reason ?? 'unknown';
    const what = `${report.undelivered.length} of ${prepared} records not delivered to ${deps.sink.name} (${permanent} refused permanently): ${reason}`;
    const counts = { failed: report.undelivered.length, delivered: report.delivered };
    if (!deps.failureQueue) {
      deps.logger.error({ ...stats, undelivered: report.undelivered.length, permanent, reason }, 'records not delivered');
      metrics(0);
      throw new DeliveryError(what, counts);
    }
    try {
      const parking = await deps.failureQueue.park(report.undelivered, deps.sink.name);
      summary.parked = parking.parked;
      deps.logger.warn({ ...stats, parked: parking.parked, deadLettered: parking.deadLettered, messages: parking.messages, permanent, reason }, 'records parked');
      metrics(parking.parked);
      return summary;
    } catch (error) {
      deps.logger.error({ ...stats, undelivered: report.undelivered.length, permanent, reason, parkError: (error as Error).message }, 'records not delivered nor parked');
      metrics(0);
      throw new DeliveryError(`${what}; parking them failed: ${(error as Error).message}`, counts, { cause: error });
    }
  }
  deps.logger.info(stats, 'forwarded');
  metrics(0);
  return summary;
}
