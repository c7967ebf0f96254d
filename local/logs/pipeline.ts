// Logs like CloudWatch: every line of every function is kept per log group and stream (and in a
// file per group for people), and each subscription filter sends the lines that match its
// pattern to its destination function (the forwarder) in subscription payloads, asynchronously,
// within `flushMs` of the first line of a batch.
import path from 'node:path';
import type { Invoker, LogLine, LogWriter, StackSettings, SubscriptionSpec } from '../model.js';
import { StreamEventIds } from './event-ids.js';
import { compileFilterPattern } from './filter-pattern/index.js';
import { LogFiles } from './log-files.js';
import { encodePayload, eventBytes, maxEventsPerPayload, maxPayloadBytes, type SubscriptionLogEvent } from './subscription-payload.js';

export interface LogPipelineOptions {
  subscriptions: readonly SubscriptionSpec[];
  /** Runs the destination functions; the pipeline invokes them with `invocationType: 'Event'`. */
  invoker: Invoker;
  settings: StackSettings;
  /** A batch is sent at most this long after its first line; 1000 by default. */
  flushMs?: number;
  /** Failures to deliver (and subscriptions refused); stderr by default. */
  onError?: (error: unknown) => void;
  /** Keep `<stateDir>/cloudwatch/<group>.log`; true by default. */
  files?: boolean;
}

export interface LogPipeline extends LogWriter {
  /** Sends every pending batch now and waits until each has been handed to its destination. */
  flush(): Promise<void>;
  /** Flushes, then takes no more lines. */
  close(): Promise<void>;
}

interface Subscription {
  spec: SubscriptionSpec;
  /** CloudFormation names a filter after its stack and logical id; locally, after its group. */
  filterName: string;
  matches(message: string): boolean;
}

interface Batch {
  subscription: Subscription;
  logGroup: string;
  logStream: string;
  events: SubscriptionLogEvent[];
  bytes: number;
  timer?: NodeJS.Timeout;
}

/** Refuses to subscribe a destination's own log group: its lines would invoke it forever. */
function subscriptionsOf(specs: readonly SubscriptionSpec[], onError: (error: unknown) => void): Map<string, Subscription[]> {
  const destinationGroups = new Set(specs.map((spec) => `/aws/lambda/${spec.functionName}`));
  const byGroup = new Map<string, Subscription[]>();
  for (const spec of specs) {
    if (destinationGroups.has(spec.logGroup)) {
      onError(new Error(`local logs: not subscribing ${spec.logGroup} to ${spec.functionName}: it is the log group of a subscription destination, and forwarding it would loop`));
      continue;
    }
    const subscription = {
      spec,
      filterName: `${spec.logGroup.split('/').pop() ?? spec.logGroup}-subscription`,
      matches: compileFilterPattern(spec.filterPattern),
    };
    byGroup.set(spec.logGroup, [...(byGroup.get(spec.logGroup) ?? []), subscription]);
  }
  return byGroup;
}

export function createLogPipeline(options: LogPipelineOptions): LogPipeline {
  const { invoker, settings } = options;
  const flushMs = options.flushMs ?? 1000;
  const onError = options.onError ?? ((error: unknown) => void process.stderr.write(`local logs: ${error instanceof Error ? error.message : String(error)}\n`));
  const subscriptions = subscriptionsOf(options.subscriptions, onError);
  const files = options.files === false ? undefined : new LogFiles(path.join(settings.stateDir, 'cloudwatch'), onError);
  const streamIds = new Map<string, StreamEventIds>();
  const batches = new Map<string, Batch>();
  const sending = new Set<Promise<void>>();
  const tails = new Map<string, Promise<void>>();
  let closed = false;

  function idsOf(line: LogLine): StreamEventIds {
    const key = `${line.logGroup}\u0000${line.logStream}`;
    let ids = streamIds.get(key);
    if (!ids) streamIds.set(key, (ids = new StreamEventIds()));
    return ids;
  }

  async function deliver(batch: Batch): Promise<void> {
    const event = await encodePayload({
      messageType: 'DATA_MESSAGE',
      owner: settings.accountId,
      logGroup: batch.logGroup,
      logStream: batch.logStream,
      subscriptionFilters: [batch.subscription.filterName],
      logEvents: batch.events,
    });
    await invoker.invoke(batch.subscription.spec.functionName, event, { invocationType: 'Event' });
  }

  function send(key: string): void {
    const batch = batches.get(key);
    if (!batch) return;
    batches.delete(key);
    clearTimeout(batch.timer);
    // A stream's payloads are handed over in the order of their lines.
    const previous = tails.get(key) ?? Promise.resolve();
    const task = previous
      .then(() => deliver(batch))
      .catch((error: unknown) => onError(new Error(`local logs: could not deliver ${batch.events.length} events of ${batch.logGroup} to ${batch.subscription.spec.functionName}`, { cause: error })))
      .finally(() => {
        sending.delete(task);
        if (tails.get(key) === task) tails.delete(key);
      });
    tails.set(key, task);
    sending.add(task);
  }

  function add(subscription: Subscription, line: LogLine, event: SubscriptionLogEvent): void {
    const key = `${subscription.spec.functionName}\u0000${line.logGroup}\u0000${line.logStream}`;
    const size = eventBytes(event.message);
    const open = batches.get(key);
    if (open && open.bytes + size > maxPayloadBytes) send(key);
    let batch = batches.get(key);
    if (!batch) {
      batch = { subscription, logGroup: line.logGroup, logStream: line.logStream, events: [], bytes: 0 };
      batch.timer = setTimeout(() => send(key), flushMs);
      batches.set(key, batch);
    }
    batch.events.push(event);
    batch.bytes += size;
    if (batch.events.length >= maxEventsPerPayload) send(key);
  }

  async function flush(): Promise<void> {
    for (const key of [...batches.keys()]) send(key);
    while (sending.size > 0) await Promise.allSettled([...sending]);
  }

  return {
    write(line) {
      if (closed) return;
      files?.append(line);
      const event = { id: idsOf(line).next(line.timestamp), timestamp: line.timestamp, message: line.message };
      for (const subscription of subscriptions.get(line.logGroup) ?? []) {
        let matched: boolean;
        try {
          matched = subscription.matches(line.message);
        } catch (error) {
          onError(error);
          continue;
        }
        if (matched) add(subscription, line, event);
      }
    },
    flush,
    async close() {
      closed = true;
      await flush();
      await files?.close();
    },
  };
}
