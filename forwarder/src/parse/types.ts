import type { LogLevel } from './levels.js';

/** What kind of line a parser recognised. */
export const lineKinds = {
  app: 'app',
  initStart: 'init_start',
  initReport: 'init_report',
  start: 'start',
  end: 'end',
  report: 'report',
  timeout: 'timeout',
  runtimeError: 'runtime_error',
  platform: 'platform',
} as const;
export type LineKind = (typeof lineKinds)[keyof typeof lineKinds];

/** The REPORT metrics of one invocation, ECS-style snake case with units in the names. */
export interface LambdaReport {
  duration_ms?: number;
  billed_duration_ms?: number;
  memory_size_mb?: number;
  max_memory_used_mb?: number;
  init_duration_ms?: number;
  restore_duration_ms?: number;
  status?: string;
  error_type?: string;
}

export interface ErrorFields {
  type?: string;
  message?: string;
  stack_trace?: string;
}

/** One log line understood by a parser, before the envelope and stream context are added. */
export interface ParsedLine {
  kind: LineKind;
  level: LogLevel;
  message: string;
  /** ISO 8601 time found inside the line, when more precise or explicit than the event's. */
  time?: string;
  requestId?: string;
  traceId?: string;
  /** Function version from START or platform.start. */
  version?: string;
  report?: LambdaReport;
  error?: ErrorFields;
  /** Structured fields of a JSON app log that have no ECS home. */
  fields?: Record<string, unknown>;
  logger?: string;
  service?: string;
  environment?: string;
}
