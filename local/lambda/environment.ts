// One execution environment of a function: its log stream, its worker process (started on the
// first invocation and again after a crash or a timeout, each time a cold start), one invocation
// at a time, and the platform lines Lambda writes around each one.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FunctionSpec, InvokeResult, LogWriter, StackSettings } from '../model.js';
import { lambdaEnvironment } from './environment-variables.js';
import { endLine, exitLine, exitReason, initReportLine, initStartLine, logStreamName, reportLine, startLine, timeoutLine, type Report } from './platform-lines.js';
import type { ErrorBody, FromWorker } from './protocol.js';
import { WorkerProcess, type ExitStatus } from './worker-process.js';

/** Lambda gives the init phase 10 seconds. */
const initTimeoutMs = 10_000;
const stopGraceMs = 1_000;

export interface EnvironmentOptions {
  settings: StackSettings;
  workerFile: string;
  baseEnv: Readonly<Record<string, string>>;
  logs: LogWriter;
  /** Also echo every line to the orchestrator's stderr. */
  verbose: boolean;
  /** The orchestrator's own log. */
  report(message: string): void;
}

export interface InvocationRequest {
  requestId: string;
  /** The event as JSON text. */
  event: string;
  invokedFunctionArn: string;
  traceId: string;
}

type ResultFrame = Extract<FromWorker, { type: 'result' }>;
type Outcome = { kind: 'answered'; frame: ResultFrame } | { kind: 'exited'; status: ExitStatus } | { kind: 'timeout'; at: Date };
type InitOutcome = { ok: true } | { ok: false; error: ErrorBody; status: 'error' | 'timeout' };

interface PendingInvocation {
  requestId: string;
  result?: ResultFrame;
  marked: boolean;
  settle(outcome: Outcome): void;
}

export class ExecutionEnvironment {
  readonly logStream = logStreamName();
  private worker: WorkerProcess | undefined;
  private pendingInit: ((outcome: InitOutcome) => void) | undefined;
  private pending: PendingInvocation | undefined;
  private maxMemoryMb = 0;
  private closing = false;

  constructor(
    readonly spec: FunctionSpec,
    private readonly options: EnvironmentOptions,
  ) {}

  /** True when the worker is up: the next invocation is a warm start. */
  get warm(): boolean {
    return this.worker !== undefined;
  }

  async invoke(request: InvocationRequest): Promise<InvokeResult> {
    let initDurationMs: number | undefined;
    if (!this.worker) {
      const started = performance.now();
      const init = await this.start();
      initDurationMs = performance.now() - started;
      if (!init.ok) return this.failInit(request, init, initDurationMs);
    }
    return this.run(request, initDurationMs);
  }

  /** Stops the worker; an invocation in progress ends as a runtime exit, and nothing more is logged. */
  async shutdown(): Promise<void> {
    this.closing = true;
    await this.worker?.stop(stopGraceMs);
  }

  private start(): Promise<InitOutcome> {
    this.emit(initStartLine(this.options.settings.region));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.worker?.kill();
        settle({ ok: false, status: 'timeout', error: { errorType: 'Sandbox.Timedout', errorMessage: `INIT phase timed out after ${(initTimeoutMs / 1000).toFixed(2)} seconds` } });
      }, initTimeoutMs);
      const settle = (outcome: InitOutcome) => {
        clearTimeout(timer);
        this.pendingInit = undefined;
        resolve(outcome);
      };
      this.pendingInit = settle;
      const { spec } = this;
      const worker = new WorkerProcess(
        {
          workerFile: this.options.workerFile,
          env: lambdaEnvironment(spec, this.options.settings, this.options.baseEnv, this.logStream),
          cwd: path.dirname(spec.handlerFile),
          memoryMb: spec.memoryMb,
          init: {
            type: 'init',
            handlerFile: spec.handlerFile,
            handlerExport: spec.handlerExport,
            nonce: randomBytes(12).toString('hex'),
            context: {
              functionName: spec.name,
              functionVersion: '$LATEST',
              memoryLimitInMB: String(spec.memoryMb),
              logGroupName: spec.logGroup,
              logStreamName: this.logStream,
            },
          },
        },
        { line: (message, timestamp) => this.emit(message, timestamp), frame: (frame) => this.onFrame(frame) },
      );
      this.worker = worker;
      void worker.closed.then((status) => this.onClose(worker, status));
    });
  }

  private async failInit(request: InvocationRequest, init: Extract<InitOutcome, { ok: false }>, initDurationMs: number): Promise<InvokeResult> {
    // The worker exits after an init error; wait so its last lines come first.
    await this.worker?.closed;
    const { requestId } = request;
    this.emit(initReportLine(initDurationMs, init.status, init.error.errorType));
    this.emit(startLine(requestId));
    this.emit(endLine(requestId));
    this.emit(this.report({ requestId, durationMs: 0, status: 'error', errorType: init.error.errorType }));
    return { requestId, error: init.error };
  }

  private async run(request: InvocationRequest, initDurationMs: number | undefined): Promise<InvokeResult> {
    const worker = this.worker;
    if (!worker) throw new Error('run without a worker');
    const { requestId } = request;
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    this.emit(startLine(requestId));
    const started = performance.now();
    const outcome = await new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => settle({ kind: 'timeout', at: new Date() }), timeoutMs);
      const settle = (value: Outcome) => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve(value);
      };
      this.pending = { requestId, marked: false, settle };
      worker.send({ type: 'invoke', requestId, event: request.event, deadline: Date.now() + timeoutMs, traceId: request.traceId, invokedFunctionArn: request.invokedFunctionArn });
    });
    const durationMs = performance.now() - started;
    const base = { requestId, durationMs, ...(initDurationMs === undefined ? {} : { initDurationMs }) };

    if (outcome.kind === 'timeout') {
      worker.kill();
      await worker.closed;
      const message = `Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`;
      this.emit(timeoutLine(outcome.at, requestId, this.spec.timeoutSeconds), outcome.at.getTime());
      this.emit(endLine(requestId));
      this.emit(this.report({ ...base, durationMs: timeoutMs, status: 'timeout' }));
      return { requestId, error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: ${message}` } };
    }
    if (outcome.kind === 'exited') {
      const exitMessage = `RequestId: ${requestId} Error: Runtime exited with error: ${exitReason(outcome.status.code, outcome.status.signal)}`;
      this.endWithExit(base, outcome.status);
      return { requestId, error: { errorType: 'Runtime.ExitError', errorMessage: exitMessage } };
    }
    const { frame } = outcome;
    this.maxMemoryMb = Math.max(this.maxMemoryMb, frame.maxMemoryMb);
    if (frame.exiting) {
      // An uncaught exception or rejection: the worker answered with the error and exits.
      this.endWithExit(base, await worker.closed);
    } else {
      this.emit(endLine(requestId));
      this.emit(this.report(base));
    }
    if (frame.error) return { requestId, error: frame.error };
    return { requestId, payload: frame.payload === undefined ? null : JSON.parse(frame.payload) };
  }

  private endWithExit(base: Omit<Report, 'memorySizeMb' | 'maxMemoryUsedMb'>, status: ExitStatus): void {
    this.emit(exitLine(base.requestId, exitReason(status.code, status.signal)));
    this.emit(endLine(base.requestId));
    this.emit(this.report({ ...base, status: 'error', errorType: 'Runtime.ExitError' }));
  }

  private report(fields: Omit<Report, 'memorySizeMb' | 'maxMemoryUsedMb'>): string {
    return reportLine({ ...fields, memorySizeMb: this.spec.memoryMb, maxMemoryUsedMb: this.maxMemoryMb });
  }

  private onFrame(frame: FromWorker): void {
    switch (frame.type) {
      case 'log':
        this.emit(frame.message, frame.time);
        return;
      case 'ready':
        this.maxMemoryMb = Math.max(this.maxMemoryMb, frame.maxMemoryMb);
        this.pendingInit?.({ ok: true });
        return;
      case 'init-error':
        this.pendingInit?.({ ok: false, status: 'error', error: frame.error });
        return;
      case 'result':
      case 'mark': {
        const pending = this.pending;
        if (pending?.requestId !== frame.requestId) return;
        if (frame.type === 'result') pending.result = frame;
        else pending.marked = true;
        if (pending.result && pending.marked) pending.settle({ kind: 'answered', frame: pending.result });
      }
    }
  }

  private onClose(worker: WorkerProcess, status: ExitStatus): void {
    if (this.worker === worker) this.worker = undefined;
    const reason = exitReason(status.code, status.signal);
    this.pendingInit?.({ ok: false, status: 'error', error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${reason}` } });
    this.pending?.settle({ kind: 'exited', status });
  }

  private emit(message: string, timestamp = Date.now()): void {
    if (this.closing) return;
    try {
      this.options.logs.write({ logGroup: this.spec.logGroup, logStream: this.logStream, timestamp, message });
    } catch (error) {
      this.options.report(`local lambda: the log writer refused a line of ${this.spec.name}: ${String(error)}`);
    }
    if (this.options.verbose) process.stderr.write(`[${this.spec.name}] ${message.endsWith('\n') ? message : `${message}\n`}`);
  }
}
