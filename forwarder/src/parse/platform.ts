import { traceRoot } from '../../../shared/config.js';
import type { LogLevel } from './levels.js';
import { lineKinds, type LambdaReport, type ParsedLine } from './types.js';

/** `Key: value` fields of REPORT / INIT_REPORT lines and the metric each one fills. */
const reportFields: Readonly<Record<string, keyof LambdaReport>> = {
  Duration: 'duration_ms',
  'Billed Duration': 'billed_duration_ms',
  'Memory Size': 'memory_size_mb',
  'Max Memory Used': 'max_memory_used_mb',
  'Init Duration': 'init_duration_ms',
  'Restore Duration': 'restore_duration_ms',
  Status: 'status',
  'Error Type': 'error_type',
};

const requestIdPattern = /RequestId: ([0-9a-zA-Z-]+)/;
const timeoutPattern = /^(\d{4}-\d\d-\d\dT\S+Z)\s+([0-9a-fA-F-]{36})\s+(Task timed out after [\d.]+ seconds)/;

/**
 * Parses the lines the Lambda platform writes in the text log format: INIT_START, START, END,
 * REPORT (with its XRAY suffix), INIT_REPORT, timeouts and runtime exits. Returns undefined for
 * anything else.
 */
export function parsePlatformText(text: string): ParsedLine | undefined {
  const first = text.charCodeAt(0);
  // A cheap first-character gate keeps app lines off the regular expressions below.
  if (!'SERIT'.includes(text[0] ?? '-') && !(first >= 48 && first <= 57)) {
    return undefined;
  }
  if (text.startsWith('START RequestId: ')) {
    const requestId = requestIdPattern.exec(text)?.[1];
    const version = /Version: (\S+)/.exec(text)?.[1];
    return { kind: lineKinds.start, level: 'info', message: text, requestId, version };
  }
  if (text.startsWith('END RequestId: ')) {
    return { kind: lineKinds.end, level: 'info', message: text, requestId: requestIdPattern.exec(text)?.[1] };
  }
  if (text.startsWith('REPORT RequestId: ')) return parseReport(text);
  if (text.startsWith('EXTENSION\t') || text.startsWith('TELEMETRY\t')) {
    return { kind: lineKinds.platform, level: 'info', message: text };
  }
  if (text.startsWith('INIT_START ')) return { kind: lineKinds.initStart, level: 'info', message: text };
  if (text.startsWith('INIT_REPORT ')) {
    const report = reportMetrics(text);
    return { kind: lineKinds.initReport, level: report.status && report.status !== 'success' ? 'error' : 'info', message: text, report };
  }
  if (text.startsWith('RequestId: ') && text.includes(' Error: ')) {
    return { kind: lineKinds.runtimeError, level: 'error', message: text, requestId: requestIdPattern.exec(text)?.[1] };
  }
  // `<iso> <request id> Task timed out…` separates with spaces where runtime lines have tabs.
  const timeout = text.charCodeAt(24) === 32 /* space */ ? timeoutPattern.exec(text) : null;
  if (timeout) {
    return { kind: lineKinds.timeout, level: 'error', message: timeout[3] ?? text, time: timeout[1], requestId: timeout[2] };
  }
  return undefined;
}

function parseReport(text: string): ParsedLine {
  const report = reportMetrics(text);
  const traceId = /XRAY TraceId: (1-[0-9a-f]{8}-[0-9a-f]{24})/.exec(text)?.[1];
  const failed = report.status !== undefined && report.status !== 'success';
  return {
    kind: lineKinds.report,
    level: failed ? 'error' : 'info',
    message: text,
    requestId: requestIdPattern.exec(text)?.[1],
    report,
    ...(traceId ? { traceId } : {}),
  };
}

function reportMetrics(text: string): LambdaReport {
  const report: LambdaReport = {};
  for (const field of text.split(/\t|\n/)) {
    const colon = field.indexOf(': ');
    if (colon < 0) continue;
    const key = reportFields[field.slice(0, colon).trim()];
    if (!key) continue;
    const value = field.slice(colon + 2).trim();
    if (key === 'status' || key === 'error_type') report[key] = value;
    else {
      const number = Number.parseFloat(value);
      if (Number.isFinite(number)) report[key] = number;
    }
  }
  return report;
}

interface PlatformJson {
  time?: unknown;
  type: string;
  record?: Record<string, unknown>;
}

/** True for a record of Lambda's JSON log format written by the platform (`platform.*`). */
export function isPlatformJson(value: Record<string, unknown>): value is Record<string, unknown> & PlatformJson {
  return typeof value.type === 'string' && value.type.startsWith('platform.');
}

/**
 * Parses a `platform.*` record of Lambda's JSON log format. The message is rendered like the
 * text format's line, so searches for "REPORT RequestId" find both formats.
 */
export function parsePlatformJson(value: PlatformJson): Omit<ParsedLine, 'time'> {
  const record = value.record ?? {};
  const requestId = typeof record.requestId === 'string' ? record.requestId : undefined;
  const tracing = record.tracing as { value?: unknown } | undefined;
  const traceId = traceRoot(typeof tracing?.value === 'string' ? tracing.value : undefined);
  const status = typeof record.status === 'string' ? record.status : undefined;
  const level: LogLevel = status && status !== 'success' ? 'error' : 'info';
  const base = { level, requestId, ...(traceId ? { traceId } : {}) };
  switch (value.type) {
    case 'platform.start': {
      const version = typeof record.version === 'string' ? record.version : undefined;
      return { ...base, kind: lineKinds.start, version, message: `START RequestId: ${requestId} Version: ${version}` };
    }
    case 'platform.runtimeDone':
      return { ...base, kind: lineKinds.end, message: `END RequestId: ${requestId}` };
    case 'platform.report': {
      const report = jsonMetrics(record.metrics, status, record.errorType);
      return { ...base, kind: lineKinds.report, report, message: renderReport(requestId, report) };
    }
    case 'platform.initStart':
      return {
        ...base,
        kind: lineKinds.initStart,
        message: `INIT_START Runtime Version: ${String(record.runtimeVersion)}\tRuntime Version ARN: ${String(record.runtimeVersionArn)}`,
      };
    case 'platform.initReport': {
      const report = jsonMetrics(record.metrics, status, record.errorType);
      return { ...base, kind: lineKinds.initReport, report, message: `INIT_REPORT ${JSON.stringify(record)}` };
    }
    default:
      return { ...base, kind: lineKinds.platform, message: `${value.type} ${JSON.stringify(record)}` };
  }
}

function jsonMetrics(metrics: unknown, status: string | undefined, errorType: unknown): LambdaReport {
  const m = (metrics ?? {}) as Record<string, unknown>;
  const report: LambdaReport = {};
  const put = (key: keyof LambdaReport, v: unknown) => {
    if (typeof v === 'number') (report as Record<string, unknown>)[key] = v;
  };
  put('duration_ms', m.durationMs);
  put('billed_duration_ms', m.billedDurationMs);
  put('memory_size_mb', m.memorySizeMB);
  put('max_memory_used_mb', m.maxMemoryUsedMB);
  put('init_duration_ms', m.initDurationMs);
  put('restore_duration_ms', m.restoreDurationMs);
  if (status) report.status = status;
  if (typeof errorType === 'string') report.error_type = errorType;
  return report;
}

function renderReport(requestId: string | undefined, r: LambdaReport): string {
  const parts = [`REPORT RequestId: ${requestId}`];
  if (r.duration_ms !== undefined) parts.push(`Duration: ${r.duration_ms.toFixed(2)} ms`);
  if (r.billed_duration_ms !== undefined) parts.push(`Billed Duration: ${r.billed_duration_ms} ms`);
  if (r.memory_size_mb !== undefined) parts.push(`Memory Size: ${r.memory_size_mb} MB`);
  if (r.max_memory_used_mb !== undefined) parts.push(`Max Memory Used: ${r.max_memory_used_mb} MB`);
  if (r.init_duration_ms !== undefined) parts.push(`Init Duration: ${r.init_duration_ms.toFixed(2)} ms`);
  if (r.status !== undefined && r.status !== 'success') parts.push(`Status: ${r.status}`);
  return parts.join('\t');
}
