// Pure encoding of a batch as a Loki push request: streams by a few labels, nanosecond timestamps, ascending.
import type { LogRecord, PreparedRecord } from '../../record.js';
import { quoted } from '../../render.js';
import { BodyBuilder } from '../shared/body.js';
import { LastRun } from '../shared/last-run.js';

/** One line of a stream, with its position in the batch so Loki's answer can be mapped back. */
export interface LokiEntry {
  index: number;
  /** Nanoseconds since the epoch, as Loki wants them: a decimal string. */
  ns: string;
  /** The line as it stands between the quotes of the push body: its JSON, escaped as a JSON string. */
  escaped: string;
}

export interface LokiStream {
  labels: Record<string, string>;
  entries: LokiEntry[];
}

/**
 * The stream labels of a record: what is constant within a batch and of low cardinality (Loki
 * indexes labels only and keeps one stream per label set,
 * https://grafana.com/docs/loki/latest/get-started/labels/bp-labels/): the service, stage and
 * function, the level, the log group and the account and region. Request and trace ids, and the
 * log stream (one per execution environment), stay in the line, where LogQL's `| json` finds them.
 */
export function lokiLabels(record: LogRecord): Record<string, string> {
  const labels: Record<string, string> = {};
  if (record.service?.name) labels.service = record.service.name;
  if (record.service?.environment) labels.stage = record.service.environment;
  if (record.faas?.name) labels.function = record.faas.name;
  labels.level = record.log.level;
  labels.log_group = record.aws.cloudwatch.log_group;
  labels.cloud_account_id = record.cloud.account.id;
  if (record.cloud.region) labels.cloud_region = record.cloud.region;
  return labels;
}

/**
 * The line of a record: the record without what its labels carry (`log.level`, `service`,
 * `faas.name`, `cloud`, `aws.cloudwatch.log_group`). Members in the record's order; absent or
 * emptied objects are left out.
 */
export function lokiLine(record: LogRecord): Record<string, unknown> {
  const log = lineLog(record.log);
  const faas = lineFaas(record.faas);
  const line: Record<string, unknown> = { '@timestamp': record['@timestamp'], message: record.message };
  if (log) line.log = log;
  line.event = record.event;
  line.aws = lineAws(record.aws);
  if (faas) line.faas = faas;
  if (record.trace) line.trace = record.trace;
  if (record.error) line.error = record.error;
  if (record.app) line.app = record.app;
  if (record.tags) line.tags = record.tags;
  return line;
}

/** The record's `log` without the level its label carries; undefined when nothing else is left. */
function lineLog(log: LogRecord['log']): Partial<LogRecord['log']> | undefined {
  const { level: _level, ...rest } = log;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** The record's `aws` without the log group its label carries. */
function lineAws(aws: LogRecord['aws']): Record<string, unknown> {
  const { log_group: _group, ...cloudwatch } = aws.cloudwatch;
  return { ...aws, cloudwatch };
}

/** The record's `faas` without the name its label carries; undefined when nothing else is left. */
function lineFaas(faas: LogRecord['faas']): Record<string, unknown> | undefined {
  const { name: _name, ...rest } = faas ?? {};
  return Object.keys(rest).length > 0 ? rest : undefined;
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

/** JSON text as the inside of a JSON string: JSON text holds no raw control character, so only quotes and backslashes change. */
function escapedJson(json: string): string {
  return json.replace(/["\\]/g, '\\$&');
}

/** A string value as it stands, escaped, inside the line's JSON string. */
function escapedString(value: string): string {
  const { json } = quoted(value);
  return json.length === value.length + 2 ? `\\"${value}\\"` : escapedJson(json);
}

/**
 * Writes each record's line straight in its escaped form (never rendering it as JSON first and
 * escaping that whole string again): the parts a batch's records share (`aws`, `faas`, `event`'s
 * kind) are escaped once, the rest per record. The same text as escaping
 * `JSON.stringify(lokiLine(record))`.
 */
export class LokiLineWriter {
  private readonly shared = new WeakMap<object, string | undefined>();

  line(record: LogRecord): string {
    const { aws, faas } = record;
    let text = `{\\"@timestamp\\":${escapedString(record['@timestamp'])},\\"message\\":${escapedString(record.message)}`;
    // The level alone is what a shared log object holds: only a logger or a truncation is left.
    const log = record.log.logger !== undefined || record.log.truncated !== undefined || record.log.original_bytes !== undefined ? lineLog(record.log) : undefined;
    if (log) text += `,\\"log\\":${escapedJson(JSON.stringify(log))}`;
    text += `,\\"event\\":{\\"id\\":${escapedString(record.event.id)},\\"kind\\":\\"${record.event.kind}\\"}`;
    // A REPORT's aws object is its own; every other line type's is shared.
    text += `,\\"aws\\":${aws.lambda?.report === undefined ? this.once(aws, escapedAws) : escapedAws(aws)}`;
    const faasText = faas === undefined ? undefined : this.once(faas, escapedFaas);
    if (faasText !== undefined) text += `,\\"faas\\":${faasText}`;
    if (record.trace) text += `,\\"trace\\":{\\"id\\":${escapedString(record.trace.id)}}`;
    if (record.error) text += `,\\"error\\":${escapedJson(JSON.stringify(record.error))}`;
    if (record.app) text += `,\\"app\\":${escapedJson(JSON.stringify(record.app))}`;
    if (record.tags) text += `,\\"tags\\":${escapedJson(JSON.stringify(record.tags))}`;
    return `${text}}`;
  }

  private once<T extends object>(value: T, render: (value: T) => string | undefined): string | undefined {
    if (this.shared.has(value)) return this.shared.get(value);
    const text = render(value);
    this.shared.set(value, text);
    return text;
  }
}

function escapedAws(aws: LogRecord['aws']): string {
  return escapedJson(JSON.stringify(lineAws(aws)));
}

function escapedFaas(faas: NonNullable<LogRecord['faas']>): string | undefined {
  const rest = lineFaas(faas);
  return rest === undefined ? undefined : escapedJson(JSON.stringify(rest));
}

/**
 * Groups a batch into streams by label set, each stream's entries in ascending time (the order
 * Loki needs when `unordered_writes` is off; equal times keep the batch order).
 */
export function lokiStreams(batch: readonly PreparedRecord[]): LokiStream[] {
  const writer = new LokiLineWriter();
  const streams = new Map<string, { labels: Record<string, string>; timed: Array<{ time: bigint; entry: LokiEntry }> }>();
  // Consecutive records of a payload mostly share every object their labels come from.
  const run = new LastRun<{ key: string; labels: Record<string, string> }>();
  for (let index = 0; index < batch.length; index += 1) {
    const { record } = batch[index]!;
    const { key, labels } = run.of([record.log, record.service, record.faas, record.cloud, record.aws.cloudwatch], () => {
      const labels = lokiLabels(record);
      return { key: JSON.stringify(labels), labels };
    });
    let stream = streams.get(key);
    if (!stream) streams.set(key, (stream = { labels, timed: [] }));
    const ns = nanosecondsOf(record['@timestamp']);
    stream.timed.push({ time: BigInt(ns), entry: { index, ns, escaped: writer.line(record) } });
  }
  return [...streams.values()].map(({ labels, timed }) => ({
    labels,
    entries: timed.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.entry.index - b.entry.index)).map((t) => t.entry),
  }));
}

/** The JSON body of `POST /loki/api/v1/push`: `{"streams":[{"stream":{…},"values":[["<ns>","<line>"],…]}]}`. */
export function encodeLokiPush(streams: readonly LokiStream[]): Buffer {
  let expected = 16;
  for (const stream of streams) for (const entry of stream.entries) expected += entry.escaped.length + 32;
  const body = new BodyBuilder(expected).add('{"streams":[');
  streams.forEach((stream, s) => {
    body.add(`${s === 0 ? '' : ','}{"stream":${JSON.stringify(stream.labels)},"values":[`);
    stream.entries.forEach((entry, e) => body.add(`${e === 0 ? '' : ','}["${entry.ns}","${entry.escaped}"]`));
    body.add(']}');
  });
  return body.add(']}').bytes();
}

/** UTF-8 bytes of an entry's line, as Loki counts them against its limit. */
export function lineBytes(entry: LokiEntry): number {
  return Buffer.byteLength(JSON.parse(`"${entry.escaped}"`) as string);
}
