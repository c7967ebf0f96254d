import type { LogLevel } from './parse/levels.js';
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
  event: { id: string; kind: 'event' | 'metric'; ingested?: string };
  cloud: { provider: 'aws'; account: { id: string }; region?: string };
  aws: {
    cloudwatch: { log_group: string; log_stream: string };
    lambda?: { line_type: string; report?: LambdaReport };
  };
  faas?: { name: string; execution?: string; version?: string; coldstart?: boolean };
  trace?: { id: string };
  service?: { name?: string; environment?: string };
  error?: ErrorFields;
  /** Structured fields of a JSON app log, kept in one namespace so they never clash with ECS. */
  app?: Record<string, unknown>;
}

/** The parts of a record shared by every event of one subscription payload. */
export interface BatchContext {
  accountId: string;
  region?: string;
  logGroup: string;
  logStream: string;
  /** The function name when the log group is `/aws/lambda/<name>`. */
  functionName?: string;
  serviceName?: string;
  environment?: string;
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
    '@timestamp': line.time ?? new Date(source.timestamp).toISOString(),
    message: line.message,
    log: line.logger ? { level: line.level, logger: line.logger } : { level: line.level },
    event: { id: source.id, kind: line.report ? 'metric' : 'event' },
    cloud: batch.region
      ? { provider: 'aws', account: { id: batch.accountId }, region: batch.region }
      : { provider: 'aws', account: { id: batch.accountId } },
    aws: { cloudwatch: { log_group: batch.logGroup, log_stream: batch.logStream } },
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
  const serviceName = line.service ?? batch.serviceName;
  const environment = line.environment ?? batch.environment;
  if (serviceName || environment) {
    record.service = {};
    if (serviceName) record.service.name = serviceName;
    if (environment) record.service.environment = environment;
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
