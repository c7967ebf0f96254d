// One execution environment's Node.js process: spawned with the function's environment only,
// told what to load on stdin, its stdout and stderr read into raw lines and frames.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { OutputReader, type OutputHandlers } from './output-reader.js';
import { frameStart, type InitMessage, type ToWorker } from './protocol.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface WorkerOptions {
  workerFile: string;
  env: Record<string, string>;
  cwd: string;
  memoryMb: number;
  init: InitMessage;
}

export class WorkerProcess {
  /** Settles once the process has exited and everything it wrote has been read. */
  readonly closed: Promise<ExitStatus>;
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;

  constructor(options: WorkerOptions, handlers: OutputHandlers) {
    // The nodejs24.x runtime caps the old space at about 90% of the function's memory.
    const heapMb = Math.max(64, Math.floor(options.memoryMb * 0.9));
    this.child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, options.workerFile], {
      env: options.env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const marker = `${frameStart}${options.init.nonce}`;
    const stdout = new OutputReader(marker, handlers);
    const stderr = new OutputReader(marker, handlers);
    this.child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A write to a worker that just died fails with EPIPE; its exit is handled through `closed`.
    this.child.stdin.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      this.child.once('error', () => resolve({ code: null, signal: null }));
      this.child.once('close', (code, signal) => {
        stdout.end();
        stderr.end();
        resolve({ code, signal });
      });
    });
    this.send(options.init);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(message: ToWorker): void {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** Closes stdin (the worker leaves on its own), then kills it if it has not after `graceMs`. */
  async stop(graceMs: number): Promise<ExitStatus> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), graceMs);
    const status = await this.closed;
    clearTimeout(timer);
    return status;
  }
}
