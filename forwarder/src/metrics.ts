// The forwarder's own metrics as CloudWatch Embedded Metric Format: one JSON line per invocation in
// its own log group (never subscribed), which CloudWatch turns into metrics without an API call
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).

export const metricsNamespace = 'LogForwarder';

/** What one invocation did, for one sink. */
export interface InvocationMetrics {
  /** Log events the invocation received (forwarder) or records it read off the queue (replay). */
  RecordsIn: number;
  Delivered: number;
  /** Records put on the failure or dead-letter queue. */
  Parked: number;
  /** Records the store refused for good. */
  Refused: number;
  Filtered: number;
  Truncated: number;
  /** Bytes of the records delivered, as rendered. */
  DeliveredBytes: number;
  Requests: number;
  Retries: number;
  /** Mean time for the store to answer one request. */
  SinkLatency: number;
  /** The invocation's delivery, first record to last answer. */
  Duration: number;
}

const units: Record<keyof InvocationMetrics, string> = {
  RecordsIn: 'Count',
  Delivered: 'Count',
  Parked: 'Count',
  Refused: 'Count',
  Filtered: 'Count',
  Truncated: 'Count',
  DeliveredBytes: 'Bytes',
  Requests: 'Count',
  Retries: 'Count',
  SinkLatency: 'Milliseconds',
  Duration: 'Milliseconds',
};

/**
 * The fields of an EMF log line: the `_aws` metadata naming each metric with its unit under the
 * dimensions Function and Sink, and the values at the root. Pure.
 */
export function emfFields(values: InvocationMetrics, dimensions: { Function: string; Sink: string }, now = Date.now()): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: metricsNamespace,
          Dimensions: [['Function', 'Sink']],
          Metrics: (Object.keys(units) as Array<keyof InvocationMetrics>).map((name) => ({ Name: name, Unit: units[name] })),
        },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(Object.entries(values).map(([name, value]) => [name, Math.round(value * 100) / 100])),
  };
}

/** The metrics of a delivery report and what the invocation adds to it. Pure. */
export function deliveryMetrics(
  report: { delivered: number; undelivered: ReadonlyArray<{ permanent: boolean }>; deliveredBytes: number; requests: number; retries: number; requestMs: number },
  invocation: { recordsIn: number; parked: number; filtered: number; truncated: number; durationMs: number },
): InvocationMetrics {
  return {
    RecordsIn: invocation.recordsIn,
    Delivered: report.delivered,
    Parked: invocation.parked,
    Refused: report.undelivered.filter((item) => item.permanent).length,
    Filtered: invocation.filtered,
    Truncated: invocation.truncated,
    DeliveredBytes: report.deliveredBytes,
    Requests: report.requests,
    Retries: report.retries,
    SinkLatency: report.requests > 0 ? report.requestMs / report.requests : 0,
    Duration: invocation.durationMs,
  };
}
