import type { LogLevel } from './parse/levels.js';
import { isoFromEpochMs } from './parse/time.js';
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
 * The parts of a record shared by every event of one subscription payload. Records point at
 * these same objects, which must therefore never be mutated per record.
 */
export interface BatchContext {
  readonly cloud: Readonly<CloudFields>;
  readonly cloudwatch: Readonly<CloudWatchFields>;
  /** The function name when the log group is `/aws/lambda/<name>`. */
  readonly functionName?: string;
  readonly service?: Readonly<ServiceFields>;
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
  return {
    cloud: source.region
      ? { provider: 'aws', account: { id: source.owner }, region: source.region }
      : { provider: 'aws', account: { id: source.owner } },
    cloudwatch: { log_group: source.logGroup, log_stream: source.logStream },
    ...(functionName ? { functionName } : {}),
    ...(serviceName || source.stage ? { service } : {}),
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
    '@timestamp': line.time ?? isoFromEpochMs(source.timestamp) ?? new Date(0).toISOString(),
    message: line.message,
    log: line.logger ? { level: line.level, logger: line.logger } : { level: line.level },
    event: { id: source.id, kind: line.report ? 'metric' : 'event' },
    cloud: batch.cloud,
    aws: { cloudwatch: batch.cloudwatch },
  };
  if (batch.functionName) {
    record.aws.lambda = line.report ? { line_type: line.kind, report: line.report } : { line_type: line.kind };
    const faas: NonNullable<LogRecord['faas']> = { name: batch.functionName };
    if (line.requestId) faas.execution = line.requestId;
    const version = line.version ?? facts?.version;
    if (version) faas.version = version;
    if (facts?.coldstart !== undefined) faas.coldstart = facts.coldstart;
    record.faas = faas;
  }
  const traceId = line.traceId ?? facts?.traceId;
  if (traceId) record.trace = { id: traceId };
  if (line.service || line.environment) {
    record.service = { ...batch.service };
    if (line.service) record.service.name = line.service;
    if (line.environment) record.service.environment = line.environment;
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
