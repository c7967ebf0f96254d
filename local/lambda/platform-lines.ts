// The lines the Lambda platform writes to a function's log stream (text log format), byte for
// byte as forwarder/src/parse/platform.ts and test/fixtures/cloudwatch-logs/ know them.
import { createHash, randomBytes } from 'node:crypto';

/** The runtime Lambda would run; the ARN's hash names the local Node.js that really runs it. */
export const runtimeVersion = 'nodejs:22.v1';

export function initStartLine(region: string): string {
  const hash = createHash('sha256').update(`local ${process.version}`).digest('hex');
  return `INIT_START Runtime Version: ${runtimeVersion}\tRuntime Version ARN: arn:aws:lambda:${region}::runtime:${hash}\n`;
}

export function initReportLine(durationMs: number, status: 'error' | 'timeout', errorType?: string): string {
  const fields = [`INIT_REPORT Init Duration: ${durationMs.toFixed(2)} ms`, 'Phase: init', `Status: ${status}`];
  if (errorType) fields.push(`Error Type: ${errorType}`);
  return `${fields.join('\t')}\n`;
}

export const startLine = (requestId: string): string => `START RequestId: ${requestId} Version: $LATEST\n`;

export const endLine = (requestId: string): string => `END RequestId: ${requestId}\n`;

export interface Report {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Only on the first invocation of an environment. */
  initDurationMs?: number;
  status?: 'error' | 'timeout';
  errorType?: string;
}

/** REPORT with Lambda's field order; a successful one ends with a tab, as Lambda's does. */
export function reportLine(report: Report): string {
  const fields = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${Math.max(1, Math.ceil(report.durationMs))} ms`,
    `Memory Size: ${report.memorySizeMb} MB`,
    `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
  ];
  if (report.initDurationMs !== undefined) fields.push(`Init Duration: ${report.initDurationMs.toFixed(2)} ms`);
  if (!report.status) return `${fields.join('\t')}\t\n`;
  fields.push(`Status: ${report.status}`);
  if (report.errorType) fields.push(`Error Type: ${report.errorType}`);
  return `${fields.join('\t')}\n`;
}

/** `<ISO time> <request id> Task timed out after N.NN seconds`: spaces, not tabs, like Lambda. */
export function timeoutLine(at: Date, requestId: string, timeoutSeconds: number): string {
  return `${at.toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds\n`;
}

// Lambda's platform is written in Go and words signals as Go's os/exec does.
const signalWords: Readonly<Record<string, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGINT: 'interrupt',
};

export function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal: ${signalWords[signal] ?? signal.toLowerCase()}`;
  return `exit status ${code ?? 0}`;
}

/** One event of two lines: `RequestId: <id> Error: Runtime exited with error: …\nRuntime.ExitError`. */
export function exitLine(requestId: string, reason: string): string {
  return `RequestId: ${requestId} Error: Runtime exited with error: ${reason}\nRuntime.ExitError\n`;
}

/** `YYYY/MM/DD/[$LATEST]<32 hex>`, the log stream of one execution environment. */
export function logStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/**
 * `_X_AMZN_TRACE_ID` for one invocation: the root of the caller's trace header when it has a
 * valid one, else a new X-Ray root; a new parent segment; the caller's sampling decision or 0.
 */
export function traceHeader(now = Date.now(), incoming?: string): string {
  const root = /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})\s*(?:;|$)/.exec(incoming ?? '')?.[1];
  const sampled = /(?:^|;)\s*Sampled=([01])\s*(?:;|$)/.exec(incoming ?? '')?.[1] ?? '0';
  const epoch = Math.floor(now / 1000).toString(16).padStart(8, '0');
  return `Root=${root ?? `1-${epoch}-${randomBytes(12).toString('hex')}`};Parent=${randomBytes(8).toString('hex')};Sampled=${sampled}`;
}
