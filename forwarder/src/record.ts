import type { LogLevel } from './parse/levels.js';
import { isoFromEpochMs, isValidIsoUtc } from './parse/time.js';

/** The time of a record that has none at all: an event time outside the years 0000–9999. */
const epochStart = '1970-01-01T00:00:00.000Z';
import type { ErrorFields, LambdaReport, ParsedLine } from './parse/types.js';
import type { InvocationFacts } from './stream-context.js';

/**
 * One log line as shipped to a store: Elastic Common Schema names as nested objects. The
 * schema is documented field by field in docs/record-schema.md.
 */
export interface LogRecord {
  '@timestamp': string;
  message: string;
  log: { level: LogLevel; logger?: string; truncated?: boolean; original_bytes?: number };
  event: { id: string; kind: 'event' | 'metric' };
  cloud: CloudFields;
  aws: {
    cloudwatch: CloudWatchFields;
    lambda?: { line_type: string; report?: LambdaReport };
  };
  faas?: { name: string; execution?: string; version?: string; coldstart?: boolean };
  trace?: { id: string };
  service?: ServiceFields;
  error?: ErrorFields;
  /** Structured fields of a JSON app log, kept in one namespace so they never clash with ECS. */
  app?: Record<string, unknown>;
  /** ECS `tags`: `_forwarder_render_failure` on a record shipped as its raw text. */
  tags?: string[];
}

/**
 * A record ready to ship: its JSON rendered once, as UTF-8 bytes in the payload's output
 * (`chunk[start, start + bytes)`, followed by a newline), which batching and every sink's
 * encoding copy or send as they are.
 */
export class PreparedRecord {
  constructor(
    /** The CloudWatch event id, the record's idempotency key in every store. */
    readonly id: string,
    readonly record: LogRecord,
    readonly chunk: Buffer,
    readonly start: number,
    /** UTF-8 size of the record's JSON. */
    readonly bytes: number,
  ) {}

  /** A record whose JSON is already a string (a parked record read back, a test's record). */
  static fromJson(id: string, record: LogRecord, json: string): PreparedRecord {
    const chunk = Buffer.from(`${json}\n`, 'utf8');
    return new PreparedRecord(id, record, chunk, 0, chunk.length - 1);
  }

  /** The record's JSON as a string, decoded from its bytes: for parking and for tests, not for sending. */
  get json(): string {
    return this.chunk.toString('utf8', this.start, this.end);
  }

  /** Where the record's bytes end (its newline is at `end`). */
  get end(): number {
    return this.start + this.bytes;
  }
}

export interface CloudFields {
  provider: 'aws';
  account: { id: string };
  region?: string;
}
export interface CloudWatchFields {
  log_group: string;
  log_stream: string;
}
export interface ServiceFields {
  name?: string;
  environment?: string;
}

/**
 * The parts of a record shared by the events of one subscription payload. Records point at these
 * same objects, which must therefore never be mutated per record.
 */
export interface BatchContext {
  readonly cloud: Readonly<CloudFields>;
  readonly cloudwatch: Readonly<CloudWatchFields>;
  /** The function name when the log group is `/aws/lambda/<name>`. */
  readonly functionName?: string;
  readonly service?: Readonly<ServiceFields>;
  readonly parts: SharedParts;
}

type Faas = NonNullable<LogRecord['faas']>;

/**
 * Interns the small objects that many records of a batch have in common (the level, the line
 * type, the invocation, the trace), so a batch builds and renders each of them once instead of
 * once per line. Shared objects are never mutated afterwards: truncation replaces `log`.
 */
export class SharedParts {
  private readonly logs = new Map<string, LogRecord['log']>();
  private readonly aws = new Map<string, LogRecord['aws']>();
  private readonly faas = new Map<string, Faas>();
  private readonly traces = new Map<string, { id: string }>();
  private readonly services = new Map<string, ServiceFields>();
  private lastFaas: Faas | undefined;

  constructor(
    private readonly cloudwatch: Readonly<CloudWatchFields>,
    private readonly functionName: string | undefined,
  ) {}

  logOf(level: LogLevel, logger: string | undefined): LogRecord['log'] {
    if (logger) return { level, logger };
    let log = this.logs.get(level);
    if (!log) this.logs.set(level, (log = { level }));
    return log;
  }

  awsOf(line: ParsedLine): LogRecord['aws'] {
    if (!this.functionName) {
      let aws = this.aws.get('');
      if (!aws) this.aws.set('', (aws = { cloudwatch: this.cloudwatch }));
      return aws;
    }
    if (line.report) return { cloudwatch: this.cloudwatch, lambda: { line_type: line.kind, report: line.report } };
    let aws = this.aws.get(line.kind);
    if (!aws) this.aws.set(line.kind, (aws = { cloudwatch: this.cloudwatch, lambda: { line_type: line.kind } }));
    return aws;
  }

  faasOf(execution: string | undefined, version: string | undefined, coldstart: boolean | undefined): Faas | undefined {
    if (!this.functionName) return undefined;
    // Consecutive lines mostly belong to the same invocation: check the last one first.
    const last = this.lastFaas;
    if (last && last.execution === execution && last.version === version && last.coldstart === coldstart) return last;
    const key = `${execution}\u0000${version}\u0000${coldstart}`;
    let faas = this.faas.get(key);
    if (!faas) {
      faas = { name: this.functionName };
      if (execution) faas.execution = execution;
      if (version) faas.version = version;
      if (coldstart !== undefined) faas.coldstart = coldstart;
      this.faas.set(key, faas);
    }
    this.lastFaas = faas;
    return faas;
  }

  serviceOf(base: Readonly<ServiceFields> | undefined, name: string | undefined, environment: string | undefined): ServiceFields {
    const key = `${name}\u0000${environment}`;
    let service = this.services.get(key);
    if (!service) {
      service = { ...base };
      if (name) service.name = name;
      if (environment) service.environment = environment;
      this.services.set(key, service);
    }
    return service;
  }

  traceOf(id: string): { id: string } {
    let trace = this.traces.get(id);
    if (!trace) this.traces.set(id, (trace = { id }));
    return trace;
  }
}

export interface BatchSource {
  owner: string;
  logGroup: string;
  logStream: string;
  region?: string;
  /** The forwarder's stage: the environment of the services that subscribe to it. */
  stage?: string;
}

/** Builds the shared part of a payload's records once. */
export function batchContext(source: BatchSource): BatchContext {
  const functionName = functionNameOf(source.logGroup);
  const serviceName = serviceNameOf(functionName, source.stage);
  const service: ServiceFields = {};
  if (serviceName) service.name = serviceName;
  if (source.stage) service.environment = source.stage;
  const cloudwatch = { log_group: source.logGroup, log_stream: source.logStream };
  return {
    cloud: source.region
      ? { provider: 'aws', account: { id: source.owner }, region: source.region }
      : { provider: 'aws', account: { id: source.owner } },
    cloudwatch,
    ...(functionName ? { functionName } : {}),
    ...(serviceName || source.stage ? { service } : {}),
    parts: new SharedParts(cloudwatch, functionName),
  };
}

export interface SourceEvent {
  id: string;
  timestamp: number;
}

/** Assembles the record of one parsed line. Pure: the same input gives the same record. */
export function buildRecord(
  source: SourceEvent,
  line: ParsedLine,
  batch: BatchContext,
  facts: InvocationFacts | undefined,
): LogRecord {
  const record: LogRecord = {
    // Whatever a parser found is checked once more here: a record's time is always a real one.
    '@timestamp': (line.time !== undefined && isValidIsoUtc(line.time) ? line.time : undefined) ?? isoFromEpochMs(source.timestamp) ?? epochStart,
    message: line.message,
    log: batch.parts.logOf(line.level, line.logger),
    event: { id: source.id, kind: line.report ? 'metric' : 'event' },
    cloud: batch.cloud,
    aws: batch.parts.awsOf(line),
  };
  const faas = batch.parts.faasOf(line.requestId, line.version ?? facts?.version, facts?.coldstart);
  if (faas) record.faas = faas;
  const traceId = line.traceId ?? facts?.traceId;
  if (traceId) record.trace = batch.parts.traceOf(traceId);
  if (line.service || line.environment) {
    record.service = batch.parts.serviceOf(batch.service, line.service, line.environment);
  } else if (batch.service) {
    record.service = batch.service;
  }
  if (line.error) record.error = line.error;
  if (line.fields) record.app = line.fields;
  return record;
}

/** `/aws/lambda/<name>` gives the function name; other log groups have none. */
export function functionNameOf(logGroup: string): string | undefined {
  const prefix = '/aws/lambda/';
  return logGroup.startsWith(prefix) ? logGroup.slice(prefix.length) || undefined : undefined;
}

/**
 * The Serverless Framework names functions `<service>-<stage>-<function>`; when the forwarder
 * knows its stage, the service is what comes before `-<stage>-`.
 */
export function serviceNameOf(functionName: string | undefined, stage: string | undefined): string | undefined {
  if (!functionName || !stage) return undefined;
  const marker = functionName.indexOf(`-${stage}-`);
  return marker > 0 ? functionName.slice(0, marker) : undefined;
}
