// Pure encoding of a batch as a Loki push request: streams by a few labels, nanosecond timestamps, ascending.
import type { LogRecord, PreparedRecord } from '../../record.js';

/** One line of a stream, with its position in the batch so Loki's answer can be mapped back. */
export interface LokiEntry {
  index: number;
  /** Nanoseconds since the epoch, as Loki wants them: a decimal string. */
  ns: string;
  line: string;
}

export interface LokiStream {
  labels: Record<string, string>;
  entries: LokiEntry[];
}

/**
 * The stream labels of a record: few and of low cardinality (Loki indexes labels only and keeps
 * one stream per label set, https://grafana.com/docs/loki/latest/get-started/labels/bp-labels/).
 * Request and trace ids stay in the line, where LogQL's `| json` filter finds them.
 */
export function lokiLabels(record: LogRecord): Record<string, string> {
  const labels: Record<string, string> = {};
  if (record.service?.name) labels.service = record.service.name;
  if (record.service?.environment) labels.stage = record.service.environment;
  if (record.faas?.name) labels.function = record.faas.name;
  labels.level = record.log.level;
  return labels;
}

const isoUtc = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * `@timestamp` in nanoseconds since the epoch. A UTC ISO string keeps every fraction digit it has
 * (a JSON logger's microseconds stay microseconds); anything else goes through Date.parse.
 */
export function nanosecondsOf(timestamp: string): string {
  const iso = isoUtc.exec(timestamp);
  const seconds = iso ? Date.parse(`${iso[1]}Z`) : Number.NaN;
  if (iso && !Number.isNaN(seconds)) return joinNanoseconds(seconds / 1000, (iso[2] ?? '').padEnd(9, '0'));
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? '0' : (BigInt(ms) * 1_000_000n).toString();
}

/** Whole seconds and nine fraction digits as one nanosecond count. */
export function joinNanoseconds(seconds: number, fraction9: string): string {
  return (BigInt(seconds) * 1_000_000_000n + BigInt(fraction9)).toString();
}

/**
 * Groups a batch into streams by label set, each stream's entries in ascending time (the order
 * Loki needs when `unordered_writes` is off; equal times keep the batch order).
 */
export function lokiStreams(batch: readonly PreparedRecord[]): LokiStream[] {
  const streams = new Map<string, { labels: Record<string, string>; timed: Array<{ time: bigint; entry: LokiEntry }> }>();
  for (let index = 0; index < batch.length; index += 1) {
    const { record, json } = batch[index]!;
    const labels = lokiLabels(record);
    const key = JSON.stringify(labels);
    let stream = streams.get(key);
    if (!stream) streams.set(key, (stream = { labels, timed: [] }));
    const ns = nanosecondsOf(record['@timestamp']);
    stream.timed.push({ time: BigInt(ns), entry: { index, ns, line: json } });
  }
  return [...streams.values()].map(({ labels, timed }) => ({
    labels,
    entries: timed.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.entry.index - b.entry.index)).map((t) => t.entry),
  }));
}

/** The JSON body of `POST /loki/api/v1/push`: `{"streams":[{"stream":{…},"values":[["<ns>","<line>"],…]}]}`. */
export function encodeLokiPush(streams: readonly LokiStream[]): string {
  const parts = new Array<string>(streams.length);
  for (let s = 0; s < streams.length; s += 1) {
    const stream = streams[s]!;
    const values = new Array<string>(stream.entries.length);
    for (let e = 0; e < stream.entries.length; e += 1) {
      const entry = stream.entries[e]!;
      values[e] = `["${entry.ns}",${JSON.stringify(entry.line)}]`;
    }
    parts[s] = `{"stream":${JSON.stringify(stream.labels)},"values":[${values.join(',')}]}`;
  }
  return `{"streams":[${parts.join(',')}]}`;
}
